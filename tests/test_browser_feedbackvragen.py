"""Browser test at phone width (390 px): the aios asks feedback (a KPB) on an EPA on Mijn stage →
the begeleider answers it from Mijn aios with a KPB (the quick form opens prefilled) → the aios
sees the request answered and the KPB counted toward the target. Counts taps, keystrokes and
seconds per part, as the phone flows in test_browser_phone do (artifacts/flows.json).

A server of its own, on a fresh demo database.
"""

from __future__ import annotations

import re
import time

from tests.test_browser import (  # fixtures and helpers, not tests
    CHROMIUM,
    browser,  # noqa: F401 - a fixture
    expect,
    expect_expanded,
    expect_page,
    server,  # noqa: F401 - a fixture
    server_db,  # noqa: F401 - a fixture
    shot,
    wait_idle,
)
from tests.test_browser_phone import (  # noqa: F401 - phone: a fixture
    _login_at,
    _record,
    phone,
)

assert CHROMIUM
TOPIC = "Slecht-nieuwsgesprek op het spreekuur"
BLOCK = "[data-testid='stVerticalBlock']"


def _card(page, text: str):
    """The innermost block (a bordered card) that holds `text`: blocks nest, the innermost comes last."""
    return page.locator(BLOCK).filter(has_text=text).last


def _kpbs_done(page) -> int:
    text = page.get_by_text(re.compile(r"KPB's \d+ van verwacht")).inner_text()
    return int(re.search(r"KPB's (\d+) van", text).group(1))


def test_the_aios_asks_a_kpb_and_the_begeleider_answers_it_from_mijn_aios(phone, server):  # noqa: F811
    aios = phone()
    started = time.monotonic()
    _login_at(aios, f"{server}/mijn_stage", "aios")
    expect_page(aios.page, "Mijn stage")
    kpbs_before = _kpbs_done(aios.page)
    ask = aios.page.locator("summary", has_text="Vraag uw begeleider om feedback of een KPB")
    aios.click(ask)
    expect_expanded(ask)
    # A KPB is the first choice and the stage's begeleider is chosen already: the EPA, the topic.
    epa = aios.page.get_by_label("EPA", exact=True)
    aios.choose(epa, "EPA3")
    expect(epa).to_have_value(re.compile("^EPA3 "))
    aios.type(aios.page.get_by_label("Waar wil je feedback op?"), TOPIC)
    aios.click(aios.page.get_by_role("button", name="Feedback vragen"))
    wait_idle(aios.page)
    expect(aios.page.get_by_text("Uw vraag is verstuurd")).to_be_visible()
    _record("aios vraagt een KPB op een EPA", aios, started)
    expect(aios.page.get_by_text(TOPIC)).to_have_count(1)
    expect(_card(aios.page, TOPIC).get_by_text("Wacht op antwoord")).to_be_visible()
    shot(aios.page, "telefoon-aios-feedbackvraag")

    bg = phone()
    started = time.monotonic()
    _login_at(bg, f"{server}/mijn_aios", "begeleider")
    expect_page(bg.page, "Mijn aios")
    expect(bg.page.get_by_text(re.compile(r"^Openstaande feedbackvragen \(\d+\)$"))).to_have_count(1)
    expect(bg.page.get_by_text(TOPIC)).to_have_count(1)
    request = _card(bg.page, TOPIC)
    shot(bg.page, "telefoon-begeleider-open-feedbackvragen")
    bg.click(request.get_by_role("button", name="Beantwoorden"))
    expect_page(bg.page, "Gesprek vastleggen")
    expect(bg.page.get_by_text("U beantwoordt de feedbackvraag van")).to_be_visible()
    # The KPB tab is open and the EPA chosen: the begeleider gives the level and the feedback.
    expect(bg.page.get_by_label("EPA", exact=True)).to_have_value(re.compile("EPA3"))
    bg.click(bg.page.get_by_role("radiogroup", name="Supervisieniveau").get_by_text("3", exact=True))
    bg.type(bg.page.get_by_label("Feedback", exact=True), "Goed aangesloten bij de patiënt; structuur bewaken.")
    bg.click(bg.page.get_by_role("button", name="KPB opslaan"))
    wait_idle(bg.page)
    expect(bg.page.get_by_text("De feedbackvraag is beantwoord")).to_be_visible()
    _record("begeleider beantwoordt de vraag met een KPB", bg, started)
    shot(bg.page, "telefoon-begeleider-kpb-beantwoord")
    expect(bg.page.get_by_text("U beantwoordt de feedbackvraag van")).to_have_count(0)

    aios.page.goto(f"{server}/mijn_stage")
    expect_page(aios.page, "Mijn stage")
    expect(aios.page.get_by_text(TOPIC)).to_have_count(1)
    expect(_card(aios.page, TOPIC).get_by_text(re.compile(r"Beantwoord op \d\d-\d\d-\d{4} met een KPB"))).to_be_visible()
    assert _kpbs_done(aios.page) == kpbs_before + 1  # the KPB counts toward the target
    shot(aios.page, "telefoon-aios-feedbackvraag-beantwoord")
