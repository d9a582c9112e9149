"""Browser test: on a fresh demo database the opleider adds a stage on the Stages page, and the
stageplan in the aiosdossier shows the targets of the opleiding's current template.

A server of its own (a fresh demo database), as in test_browser_phone.py.
"""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access import clock
from sample_data import DEMO_PASSWORD
from tests.test_browser import (  # fixtures and helpers, not tests
    CHROMIUM,
    browser,  # noqa: F401 - a fixture
    choose,
    expect,
    expect_page,
    login,
    page,  # noqa: F401 - a fixture
    server,  # noqa: F401 - a fixture
    server_db,  # noqa: F401 - a fixture
    shot,
    wait_idle,
)

assert CHROMIUM


def _choose(browser_page, where, label: str, option: str) -> None:
    """A selectbox: typed into its search and chosen with Enter."""
    choose(browser_page, where.get_by_label(label, exact=True), option)
    wait_idle(browser_page)


def _date(browser_page, where, label: str, day: dt.date) -> None:
    """A date field of day, month and year segments: typed digit by digit from the first."""
    where.get_by_label(label, exact=True).get_by_role("spinbutton").first.click()
    browser_page.keyboard.type(f"{day:%d%m%Y}")
    browser_page.keyboard.press("Tab")


def test_opleider_adds_a_stage_and_its_stageplan_has_the_templates_targets(page, server, server_db):  # noqa: F811
    from data_access.db import make_engine
    from data_access.models import (
        EpaTarget,
        Praktijkopdracht,
        Stage,
        Stageplan,
        StageplanTemplate,
        TemplateEpaTarget,
        TemplateOpdracht,
    )
    from data_access.queries.stages import (
        load_managed_aios,
        load_managed_opleidingen,
        load_site_begeleiders,
    )
    from data_access.viewer import viewer_for

    login(page, "opleider", DEMO_PASSWORD)
    expect_page(page, "Cohorten")
    engine = make_engine(server_db)
    try:
        viewer = viewer_for(engine, "opleider")
        opleiding = load_managed_opleidingen(engine, viewer).iloc[0]
        aios = load_managed_aios(engine, viewer, opleiding_id=int(opleiding["opleiding_id"])).iloc[0]
        sites = load_site_begeleiders(engine, viewer, opleiding_id=int(opleiding["opleiding_id"]))
        site = sites[sites["begeleider_id"].notna()].iloc[0]
    finally:
        engine.dispose()
    # Far beyond every generated stage (they start at most 45 days from today), so nothing overlaps.
    start = clock.today() + dt.timedelta(days=400)
    end = start + dt.timedelta(days=90)

    began = time.monotonic()
    page.locator("[data-testid='stSidebarNavLink']", has_text="Stages").first.click()
    expect_page(page, "Stages")
    # Both tabs are in the page; the hidden one has fields with the same labels.
    tab = page.get_by_role("tabpanel", name="Stage toevoegen")
    _choose(page, tab, "Stageplaats", site["stageplaats"])
    expect(page.get_by_text(f"Het stageplan komt uit sjabloon {opleiding['name']} versie {opleiding['version']}")).to_have_count(1)
    _choose(page, tab, "Aios", aios["aios_name"])
    _choose(page, tab, "Begeleider", site["begeleider"])
    _date(page, tab, "Startdatum", start)
    _date(page, tab, "Einddatum", end)
    tab.get_by_role("button", name="Stage toevoegen").click()
    wait_idle(page)
    expect(page.get_by_text("Stage toegevoegd:")).to_have_count(1)
    seconds = time.monotonic() - began
    shot(page, "stage-toegevoegd")

    engine = make_engine(server_db)
    try:
        with Session(engine) as s:
            stage = s.execute(select(Stage).where(Stage.aios_id == int(aios["aios_id"]), Stage.start_date == start)).scalar_one()
            assert (stage.end_date, stage.fte, stage.stageplaats_id) == (end, 1.0, int(site["stageplaats_id"]))
            plan = s.execute(select(Stageplan).where(Stageplan.stage_id == stage.id)).scalar_one()
            template = s.get(StageplanTemplate, plan.template_id)
            assert (template.id, template.version) == (int(opleiding["template_id"]), int(opleiding["version"]))
            assert (plan.kpb_target, plan.gesprek_interval_weeks, plan.verslag_due) == (
                template.kpb_target, template.gesprek_interval_weeks, end - dt.timedelta(days=template.verslag_days_before))
            epas = s.execute(select(EpaTarget.epa_id, EpaTarget.target_level).where(EpaTarget.stage_id == stage.id)
                             .order_by(EpaTarget.epa_id)).all()
            assert epas == s.execute(select(TemplateEpaTarget.epa_id, TemplateEpaTarget.target_level)
                                     .where(TemplateEpaTarget.template_id == template.id).order_by(TemplateEpaTarget.epa_id)).all()
            opdrachten = s.execute(select(Praktijkopdracht.title, Praktijkopdracht.due_date)
                                   .where(Praktijkopdracht.stage_id == stage.id).order_by(Praktijkopdracht.id)).all()
            assert opdrachten == [(t, start + dt.timedelta(days=d)) for t, d in s.execute(
                select(TemplateOpdracht.title, TemplateOpdracht.due_days).where(TemplateOpdracht.template_id == template.id)
                .order_by(TemplateOpdracht.position))]
            stage_id, kpb, rhythm, due = stage.id, plan.kpb_target, template.gesprek_interval_weeks, plan.verslag_due
    finally:
        engine.dispose()

    page.goto(f"{server}/aios?aios={int(aios['aios_id'])}&stage={stage_id}")
    expect_page(page, "Aiosdossier")
    page.get_by_role("tab", name="Stageplan").click()
    wait_idle(page)
    rhythm_words = "wekelijks" if rhythm == 1 else f"om de {rhythm} weken"
    expect(page.get_by_text(f"Stageplan volgens sjabloon {opleiding['name']} versie {opleiding['version']} · "
                            f"begeleidingsgesprekken {rhythm_words}")).to_have_count(1)
    expect(page.get_by_text(f"0 van {kpb} KPB's (richtlijn voor de hele stage)")).to_have_count(1)
    expect(page.get_by_text(f"inleveren uiterlijk {due:%d-%m-%Y}")).to_have_count(1)
    shot(page, "stageplan-uit-sjabloon")
    print(f"stage toevoegen: {seconds:.1f} s van menu tot bevestiging")


def test_opleider_changes_the_template_into_a_new_version_for_new_stages(page, server_db):  # noqa: F811
    from data_access.db import make_engine
    from data_access.queries.stages import load_managed_opleidingen
    from data_access.viewer import viewer_for

    engine = make_engine(server_db)
    try:
        before = load_managed_opleidingen(engine, viewer_for(engine, "opleider")).iloc[0]
    finally:
        engine.dispose()
    login(page, "opleider", DEMO_PASSWORD)
    expect_page(page, "Cohorten")
    page.locator("[data-testid='stSidebarNavLink']", has_text="Stageplansjablonen").click()
    expect_page(page, "Stageplansjablonen")
    kpb = page.get_by_label("KPB's per stage", exact=True)
    kpb.fill(str(int(before["kpb_target"]) + 2))
    page.get_by_test_id("stForm").get_by_text("wekelijks", exact=True).click()
    page.get_by_role("button", name="Sjabloon opslaan").click()
    wait_idle(page)
    expect(page.get_by_text("Sjabloon opgeslagen.")).to_have_count(1)
    version = int(before["version"]) + 1
    expect(page.get_by_text(f"sjabloon {before['name']} versie {version}: {int(before['kpb_target']) + 2} KPB's, "
                            "begeleidingsgesprekken wekelijks")).to_have_count(1)
    shot(page, "stageplansjabloon-nieuwe-versie")
    engine = make_engine(server_db)
    try:
        after = load_managed_opleidingen(engine, viewer_for(engine, "opleider")).iloc[0]
    finally:
        engine.dispose()
    assert (after["version"], after["kpb_target"], after["gesprek_interval_weeks"]) == (
        version, int(before["kpb_target"]) + 2, 1)
