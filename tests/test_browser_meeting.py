"""Browser test of the stagecommissie's meeting: prepared with three sites, held item by item
(one decided and its besluit corrected, one discussed without a decision, one skipped with an
outcome chosen but not recorded) in projector mode, closed after the page named what was not
recorded, and its pack (the notulen) read back with pypdf. Screenshots at projector 1920×1080 and
desktop 1400×900.

A server of its own: other browser modules write decisions on theirs.
"""

from __future__ import annotations

from sqlalchemy import select

from data_access.db import make_engine
from data_access.models import CommitteeDecision, Meeting, MeetingItem, MeetingStatus, Stageplaats
from sample_data import DEMO_PASSWORD
from tests.test_browser import (  # fixtures and helpers, not tests
    CHROMIUM,
    browser,  # noqa: F401 - a fixture
    expect,
    expect_page,
    login,
    server,  # noqa: F401 - a fixture
    server_db,  # noqa: F401 - a fixture
    shot,
    wait_idle,
)

assert CHROMIUM
PROJECTOR = {"width": 1920, "height": 1080}
DESKTOP = {"width": 1400, "height": 900}


def _tags(page):
    return page.locator("[data-testid='stMultiSelect'] span[data-tag]").locator("visible=true")


def _outcome_form(page):
    return page.locator("[class*='st-key-uitkomst_'][class*='_formulier']").locator("visible=true")


def _decisions(db_url: str) -> int:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        n = len(conn.execute(select(CommitteeDecision.id)).all())
    engine.dispose()
    return n


def _site_status(db_url: str, name: str) -> str:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        status = conn.execute(select(Stageplaats.status).where(Stageplaats.name == name)).scalar_one()
    engine.dispose()
    return status.value


def test_the_committee_prepares_holds_closes_a_meeting_and_downloads_the_notulen(browser, server, server_db, tmp_path):  # noqa: F811
    import pypdf

    context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(server)
    wait_idle(page)
    login(page, "commissie", DEMO_PASSWORD)
    expect_page(page, "Stageplaatsen")  # the committee lands on its sites (no meeting is being held)
    before = _decisions(server_db)

    # The comparison: three sites, each its own colour, whole names, no toolbar.
    page.get_by_role("tab", name="Vergelijken").click()
    wait_idle(page)  # the tab runs when chosen
    chooser = page.get_by_label("Kies 2 tot 6 stageplaatsen")
    for count in (1, 2, 3):
        chooser.click()
        chooser.press("ArrowDown")
        chooser.press("Enter")
        page.keyboard.press("Escape")
        wait_idle(page)
        expect(_tags(page)).to_have_count(count)
    chart = page.locator("[data-testid='stVegaLiteChart']").locator("visible=true")
    expect(chart).to_have_count(1)
    chart.hover()
    expect(page.locator(".st-key-vergelijk_grafiek [data-testid='stElementToolbar']").locator("visible=true")).to_have_count(0)
    shot(page, "vergelijken-1400")
    page.set_viewport_size(PROJECTOR)
    wait_idle(page)
    shot(page, "vergelijken-1920")
    page.set_viewport_size(DESKTOP)

    # Prepare: a new meeting with three sites on the agenda.
    page.locator("[data-testid='stSidebarNavLink']", has_text="Vergadering").click()
    expect_page(page, "Vergadering")
    page.get_by_role("combobox", name="Kies een vergadering").click()
    page.get_by_role("option", name="Nieuwe vergadering voorbereiden").click()
    wait_idle(page)
    agenda = page.get_by_label("Agenda", exact=True)
    while _tags(page).count():
        agenda.click()
        agenda.press("Backspace")
        wait_idle(page)
    for count in (1, 2, 3):
        agenda.click()
        agenda.press("ArrowDown")
        agenda.press("Enter")
        page.keyboard.press("Escape")
        wait_idle(page)
        expect(_tags(page)).to_have_count(count)
    sites = [t.strip() for t in _tags(page).all_inner_texts()]
    page.get_by_label("Aanwezigen (één per regel)").fill("Voorzitter Demo\nPiet Secretaris")
    shot(page, "vergadering-voorbereiden-1400")
    page.get_by_role("button", name="Vergadering voorbereiden").click()
    wait_idle(page)
    expect(page.get_by_text("De vergadering is voorbereid.", exact=False)).to_be_visible()
    shot(page, "vergadering-voorbereid-1400")
    page.get_by_role("button", name="Vergadering openen").click()
    wait_idle(page)

    # Hold it in projector mode, one site at a time.
    page.set_viewport_size(PROJECTOR)
    expect(page.get_by_role("heading", name=f"Punt 1 van 3: {sites[0]}")).to_be_visible()
    expect(page.locator("[data-testid='stSidebar']")).to_be_hidden()
    form = _outcome_form(page)
    form.get_by_label("Motivering (bij een besluit)").fill("Goede beoordelingen; geen actie nodig.")
    form.get_by_role("button", name="Uitkomst vastleggen").click()
    wait_idle(page)
    expect(page.get_by_text("Kies een besluit.", exact=True)).to_be_visible()  # no decision without a choice
    assert _decisions(server_db) == 0 + before
    expect(form.get_by_label("Motivering (bij een besluit)")).to_have_value("Goede beoordelingen; geen actie nodig.")
    shot(page, "vergadering-geen-keuze-1920")
    # A decision that needs a follow-up date says so as soon as it is chosen, before saving.
    date_label = "Opvolgen op (verplicht bij gesprek en remediëringsplan)"
    expect(form.get_by_label(date_label, exact=True)).to_be_visible()
    form.get_by_text("gesprek", exact=True).click()
    wait_idle(page)
    expect(form.get_by_label("Opvolgen op (verplicht bij gesprek)", exact=True)).to_be_visible()
    expect(form.get_by_label(date_label, exact=True)).to_have_count(0)
    expect(page.get_by_text("Kies een besluit.", exact=True)).to_have_count(0)  # a choice is made now
    assert _decisions(server_db) == 0 + before
    shot(page, "vergadering-datum-verplicht-1920")
    was = _site_status(server_db, sites[0])
    form.get_by_text("geen actie", exact=True).click()
    wait_idle(page)
    expect(form.get_by_label("Opvolgen op (mag leeg bij geen actie)", exact=True)).to_be_visible()
    after_saving = "" if was == "actief" else f" De status van {sites[0]} is nu: actief (was: {was})."
    expect(form.get_by_text(f"De status van {sites[0]} blijft: actief." if was == "actief" else
                            f"De status van {sites[0]} wordt: actief (was: {was}).", exact=True)).to_be_visible()
    form.get_by_role("button", name="Uitkomst vastleggen").click()
    wait_idle(page)
    expect(page.get_by_text("Besluit: geen actie", exact=True)).to_be_visible()
    expect(page.get_by_text(f"{sites[0]}: geen actie.{after_saving}", exact=True)).to_be_visible()
    shot(page, "vergadering-projector-1920")

    # The besluit is corrected while the meeting is open: the new one replaces it.
    page.get_by_role("button", name="Besluit corrigeren").click()
    wait_idle(page)
    form = _outcome_form(page)
    expect(form.get_by_role("radio", name="geen actie", exact=True)).to_be_checked()
    expect(form.get_by_label("Motivering (verplicht)", exact=True)).to_have_value("Goede beoordelingen; geen actie nodig.")
    form.get_by_text("stopzetten", exact=True).click()
    wait_idle(page)
    expect(form.get_by_text(f"De status van {sites[0]} wordt: stopgezet (was: actief).", exact=True)).to_be_visible()
    form.get_by_label("Motivering (verplicht)", exact=True).fill("Praktijk stopt met opleiden.")
    form.get_by_role("button", name="Uitkomst vastleggen").click()
    wait_idle(page)
    expect(page.get_by_text("Besluit: stopzetten", exact=True)).to_be_visible()
    expect(page.get_by_text(f"{sites[0]}: gecorrigeerd in stopzetten. De status van {sites[0]} is nu: stopgezet "
                            "(was: actief).", exact=True)).to_be_visible()
    assert (_decisions(server_db), _site_status(server_db, sites[0])) == (1 + before, "stopgezet")
    shot(page, "vergadering-gecorrigeerd-1920")

    page.keyboard.press("PageDown")  # a presenter's clicker
    wait_idle(page)
    expect(page.get_by_role("heading", name=f"Punt 2 van 3: {sites[1]}")).to_be_visible()
    form = _outcome_form(page)
    form.get_by_text("besproken zonder besluit", exact=True).click()
    form.get_by_label("Aantekening voor de notulen").fill("Terug na de volgende vrijgave.")
    form.get_by_role("button", name="Uitkomst vastleggen").click()
    wait_idle(page)
    expect(page.get_by_text("Besproken zonder besluit. U kunt alsnog een besluit vastleggen.", exact=True)).to_be_visible()

    page.get_by_role("button", name="Volgende").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name=f"Punt 3 van 3: {sites[2]}")).to_be_visible()
    page.set_viewport_size(DESKTOP)
    wait_idle(page)
    shot(page, "vergadering-punt-1400")

    # An outcome chosen on the third and not recorded stays when the chair goes back, and is named.
    _outcome_form(page).get_by_text("gesprek", exact=True).click()
    wait_idle(page)
    page.get_by_role("button", name="Vorige").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name=f"Punt 2 van 3: {sites[1]}")).to_be_visible()
    expect(page.get_by_text(f"Nog niet vastgelegd: punt 3 ({sites[2]}). Wat u daar koos of typte staat klaar; ga "
                            "terug om het vast te leggen.", exact=True)).to_be_visible()
    page.get_by_role("button", name="Naar punt 3").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name=f"Punt 3 van 3: {sites[2]}")).to_be_visible()
    expect(_outcome_form(page).get_by_role("radio", name="gesprek", exact=True)).to_be_checked()

    # Leave it unrecorded and close: the page names it before the closing is confirmed.
    page.get_by_text("Vergadering afsluiten en downloads").click()
    page.get_by_label("Notities bij de vergadering").fill("Volgende keer eerst de opvolgingen.")
    page.get_by_role("button", name="Vergadering sluiten", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text(f"3. {sites[2]}: geen uitkomst; wat is ingevuld (gesprek) is niet vastgelegd en gaat "
                            "verloren.", exact=True)).to_be_visible()
    assert page.get_by_text("De vergadering is gesloten", exact=False).count() == 0
    expect(page.get_by_text("Volgende keer eerst de opvolgingen.", exact=True)).to_be_visible()  # what will be saved
    page.get_by_role("button", name="Ja, vergadering sluiten", exact=True).scroll_into_view_if_needed()
    shot(page, "vergadering-sluiten-bevestigen-1400")
    page.get_by_role("button", name="Ja, vergadering sluiten", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text("De vergadering is gesloten", exact=False)).to_be_visible()
    shot(page, "vergadering-notulen-1400")

    with page.expect_download() as download:
        page.get_by_role("button", name="Notulen (PDF)").click()
    path = tmp_path / "notulen.pdf"
    download.value.save_as(path)
    pages = [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(path).pages]
    assert len(pages) == 5  # cover, three sites, outcomes
    assert pages[0].startswith("Notulen stagecommissie")
    positions = [pages[0].index(f"{i}. {name} —") for i, name in enumerate(sites, 1)]
    assert positions == sorted(positions)  # the agenda in order, each with its reason
    assert "Piet Secretaris" in pages[0]
    assert [p.startswith(name) for p, name in zip(pages[1:4], sites, strict=True)] == [True] * 3
    last = pages[-1]
    assert last.startswith("Besluiten en uitkomsten")
    assert f"1. {sites[0]} besluit: stopzetten. Praktijk stopt met opleiden." in last
    assert f"2. {sites[1]} besproken zonder besluit. Aantekening: Terug na de volgende vrijgave." in last
    assert f"3. {sites[2]} niet besproken." in last

    engine = make_engine(server_db)
    with engine.connect() as conn:
        meeting = conn.execute(select(Meeting.id, Meeting.status, Meeting.notes).order_by(Meeting.id.desc())).first()
        items = conn.execute(select(MeetingItem.status).where(MeetingItem.meeting_id == meeting.id)
                             .order_by(MeetingItem.position)).scalars().all()
    engine.dispose()
    assert (meeting.status, meeting.notes) == (MeetingStatus.GESLOTEN, "Volgende keer eerst de opvolgingen.")
    assert [i.value for i in items] == ["besluit", "besproken", "te bespreken"]
    assert _decisions(server_db) == 1 + before
    context.close()
