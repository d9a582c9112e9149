"""AppTest: the Stages and Stageplansjablonen forms keep what was typed and show the command's
Dutch message at the field (the widgets have no bounds of their own, so no English browser
message comes first), and a save shows its confirmation."""

from __future__ import annotations

from dashboard.navigation import PAGES_DIR
from tests.test_app import app_env, demo_url, login  # noqa: F401 - fixtures and the login helper

TIMEOUT = 60


def test_an_fte_above_one_gets_the_importers_message_at_the_field_and_stays_typed(app_env):  # noqa: F811
    at = login("opleider")
    at.switch_page(str(PAGES_DIR / "stages.py")).run(timeout=TIMEOUT)
    assert not at.exception
    at.selectbox(key="stage_wijzig_aios").select_index(0).run(timeout=TIMEOUT)
    form = next(s.key for s in at.selectbox if s.key.startswith("stage_wijzig_") and s.key.endswith("_begeleider"))
    form = form.removesuffix("_begeleider")
    at.number_input(key=f"{form}_fte").set_value(1.5)
    next(b for b in at.button if b.label == "Wijzigingen opslaan").click().run(timeout=TIMEOUT)
    assert [e.value for e in at.error] == ["Moet een getal van 0,1 tot en met 1 zijn (nu 1,5)."]
    assert at.number_input(key=f"{form}_fte").value == 1.5


def test_a_template_with_a_negative_kpb_target_is_refused_at_the_field_and_a_good_one_is_saved(app_env):  # noqa: F811
    at = login("opleider")
    at.switch_page(str(PAGES_DIR / "stageplansjablonen.py")).run(timeout=TIMEOUT)
    assert not at.exception
    kpb = next(n for n in at.number_input if n.label == "KPB's per stage")
    kpb.set_value(-1)
    next(b for b in at.button if b.label == "Sjabloon opslaan").click().run(timeout=TIMEOUT)
    assert [e.value for e in at.error] == ["Vul het aantal KPB's per stage in\\: een geheel getal van 0 tot en met 100."]
    kpb = next(n for n in at.number_input if n.label == "KPB's per stage")
    assert kpb.value == -1
    kpb.set_value(9)
    next(b for b in at.button if b.label == "Sjabloon opslaan").click().run(timeout=TIMEOUT)
    assert not at.error
    assert [s.value for s in at.success] == ["Sjabloon opgeslagen. Nieuwe stages krijgen dit stageplan; bestaande "
                                             "stageplannen houden hun eigen doelen en zeggen uit welke versie ze komen."]
    assert any("versie 3: 9 KPB's" in c.value for c in at.caption)
