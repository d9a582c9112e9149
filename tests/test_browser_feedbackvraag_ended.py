"""Browser test: the begeleider answers a feedback request of an aios whose stage has ended (the
aios asked during the stage). "Beantwoorden" on Mijn aios opens the form on exactly that aios'
stage, with the banner that names them; the KPB is saved on that stage, the confirmation names
the aios and the request is answered (issue 30, item 1: the form opened on another aios, the
first of the list of running stages, and saved the KPB there).

A server of its own, on a demo database made before the start: one stage of the demo begeleider
ended three days ago (within the date margin, so today is a valid date) and its aios asked a KPB
during it. Nothing depends on the calendar: the situation is made relative to the run's day.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access import clock
from data_access.db import make_engine
from data_access.models import FeedbackRequest, Kpb
from sample_data import DEMO_PASSWORD
from tests.demo_db import AnsweredLate, demo_copy, request_of_an_ended_stage
from tests.servers import running_app
from tests.test_browser import (  # fixtures and helpers, not tests
    CHROMIUM,
    browser,  # noqa: F401 - a fixture
    expect,
    expect_page,
    login,
    page,  # noqa: F401 - a fixture
    shot,
    wait_idle,
)

assert CHROMIUM
TODAY = clock.today()
BLOCK = "[data-testid='stVerticalBlock']"
TOPIC = "Overdracht aan de avonddienst (afgelopen stage)"
FEEDBACK = "Overdracht volledig en kort; actiepunten expliciet benoemen."


@pytest.fixture(scope="module")
def ended(tmp_path_factory, demo_template) -> tuple[str, AnsweredLate]:
    """A demo database in which one stage of the demo begeleider ended three days ago (within the
    date margin: today is a valid date) and its aios asked a KPB during it; its URL."""
    url = demo_copy(demo_template, tmp_path_factory.mktemp("beantwoorden"), "app.sqlite")
    return url, request_of_an_ended_stage(url, TODAY, 3, TOPIC)


@pytest.fixture(scope="module")
def server(ended):
    with running_app(ended[0]) as url:
        yield url


def test_answering_a_request_of_an_ended_stage_saves_the_kpb_on_that_stage(page, server, ended):  # noqa: F811
    url, ended = ended
    page.goto(f"{server}/mijn_aios")
    wait_idle(page)
    login(page, "begeleider", DEMO_PASSWORD)
    expect_page(page, "Mijn aios")
    card = page.locator(BLOCK).filter(has_text=TOPIC).last
    expect(card).to_contain_text(ended.aios_name)
    card.get_by_role("button", name="Beantwoorden").click()
    expect_page(page, "Gesprek vastleggen")
    # The form is that aios' and says so; there is no list to slip to another aios from.
    expect(page.get_by_text(f"U beantwoordt de feedbackvraag van {ended.aios_name}")).to_be_visible()
    expect(page.get_by_label("Aios", exact=True)).to_have_count(0)
    expect(page.get_by_label("EPA", exact=True)).not_to_have_value("")
    shot(page, "feedbackvraag-afgelopen-stage")
    page.get_by_role("radiogroup", name="Supervisieniveau").get_by_text("3", exact=True).click()
    page.get_by_label("Feedback", exact=True).fill(FEEDBACK)
    page.get_by_role("button", name="KPB opslaan").click()
    wait_idle(page)
    expect(page.get_by_text(f"KPB van {TODAY:%d-%m-%Y} voor {ended.aios_name} vastgelegd (supervisieniveau 3). "
                            "De feedbackvraag is beantwoord.", exact=True)).to_be_visible()

    engine = make_engine(url)
    with Session(engine) as session:
        kpbs = session.execute(select(Kpb.id, Kpb.stage_id, Kpb.date, Kpb.supervision_level)
                               .where(Kpb.feedback == FEEDBACK)).all()
        request = session.get(FeedbackRequest, ended.request_id)
        assert [(k.stage_id, k.date, k.supervision_level) for k in kpbs] == [(ended.stage_id, TODAY, 3)]
        assert (request.answered_on, request.kpb_id, request.declined_on) == (TODAY, kpbs[0].id, None)
    engine.dispose()

    page.goto(f"{server}/mijn_aios")
    expect_page(page, "Mijn aios")
    expect(page.get_by_text(TOPIC)).to_have_count(0)  # no longer open
