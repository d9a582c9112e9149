"""Stageplan templates and Stage toevoegen / wijzigen: versions, the stageplan made from the
template, every check's Dutch message, refusals per role, idempotent submits, audit rows and
the two-week gesprek rhythm (fixture, TODAY = 2026-03-02)."""

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.errors import AccessDenied, ValidationError
from data_access.models import (
    AuditLog,
    BegeleiderStageplaats,
    EpaTarget,
    Praktijkopdracht,
    Stage,
    StageBegeleider,
    Stageplan,
    StageplanTemplate,
)
from data_access.queries.dossier import load_stage_dossier
from data_access.queries.filters import StageSelection
from data_access.queries.progress import load_stage_progress
from data_access.stageplan_templates import TemplateInput, save_template
from data_access.stages import StageChange, StageInput, add_stage, change_stage
from data_access.viewer import viewer_for
from tests.fixture_data import TODAY

D = dt.date
MG, HAG = 1, 2
A2, A3 = 2, 3  # a2 in opl1's cohort MG 2024; a3 in MG 2025, outside it
S1, S2, S3 = 1, 2, 3
BG1, BG2, BG3 = 1, 2, 3


def _template(**kw) -> TemplateInput:
    base = {"opleiding_id": MG, "name": "Stageplan MG", "kpb_target": 8, "gesprek_interval_weeks": 2,
            "verslag_days_before": 10, "epa_targets": ((1, 3), (2, 2)),
            "opdrachten": (("Casusverslag", 28), ("Presentatie", 70)), "submit_token": "sj-1"}
    return TemplateInput(**(base | kw))


def _stage(**kw) -> StageInput:
    base = {"aios_id": A2, "stageplaats_id": S2, "begeleider_id": BG2, "second_begeleider_id": None,
            "start_date": D(2026, 4, 6), "end_date": D(2026, 7, 5), "fte": 1.0, "submit_token": "st-1"}
    return StageInput(**(base | kw))


def _audit(engine, entity: str) -> list[tuple]:
    with Session(engine) as s:
        return s.execute(select(AuditLog.action, AuditLog.user_id, AuditLog.entity_id, AuditLog.before, AuditLog.after)
                         .where(AuditLog.entity == entity).order_by(AuditLog.id)).all()


def _count(engine, model) -> int:
    with Session(engine) as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def _plan(engine, stage_id: int) -> tuple:
    with Session(engine) as s:
        plan = s.execute(select(Stageplan).where(Stageplan.stage_id == stage_id)).scalar_one()
        epas = s.execute(select(EpaTarget.epa_id, EpaTarget.target_level).where(EpaTarget.stage_id == stage_id)
                         .order_by(EpaTarget.epa_id)).all()
        opdrachten = s.execute(select(Praktijkopdracht.title, Praktijkopdracht.due_date, Praktijkopdracht.status)
                               .where(Praktijkopdracht.stage_id == stage_id).order_by(Praktijkopdracht.id)).all()
        version = s.execute(select(StageplanTemplate.version).where(StageplanTemplate.id == plan.template_id)
                            ).scalar_one_or_none()
        return (plan.kpb_target, plan.gesprek_interval_weeks, plan.verslag_due, version,
                [tuple(e) for e in epas], [(t, d, st.value) for t, d, st in opdrachten])


# --- templates ------------------------------------------------------------------------------


def test_saving_a_changed_template_makes_a_new_version_and_an_unchanged_one_writes_nothing(fresh_db):
    opl1 = viewer_for(fresh_db, "opl1")
    first = save_template(fresh_db, opl1, _template())
    assert save_template(fresh_db, opl1, _template()) == first  # double submit
    assert save_template(fresh_db, opl1, _template(submit_token="sj-2")) == first  # nothing changed
    second = save_template(fresh_db, opl1, _template(kpb_target=9, submit_token="sj-3"))
    admin = viewer_for(fresh_db, "admin")
    third = save_template(fresh_db, admin, _template(opleiding_id=HAG, epa_targets=(), submit_token="sj-4"))
    with Session(fresh_db) as s:
        rows = s.execute(select(StageplanTemplate.id, StageplanTemplate.opleiding_id, StageplanTemplate.version,
                                StageplanTemplate.kpb_target).order_by(StageplanTemplate.id)).all()
    assert [tuple(r) for r in rows] == [(first, MG, 1, 8), (second, MG, 2, 9), (third, HAG, 1, 8)]
    audit = _audit(fresh_db, "stageplansjabloon")
    assert [(a, u, e) for a, u, e, _, _ in audit] == [("aangemaakt", 2, first), ("nieuwe versie", 2, second),
                                                        ("aangemaakt", 1, third)]
    assert audit[1][3]["kpb_doel"] == 8 and audit[1][4]["kpb_doel"] == 9 and audit[1][4]["versie"] == 2
    assert audit[0][4]["praktijkopdrachten"] == [["Casusverslag", 28], ["Presentatie", 70]]


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"name": "  "}, "name", "Geef het sjabloon een naam."),
    ({"kpb_target": None}, "kpb_target", "Vul het aantal KPB's per stage in: een geheel getal van 0 tot en met 100."),
    ({"kpb_target": 101}, "kpb_target", "Vul het aantal KPB's per stage in: een geheel getal van 0 tot en met 100."),
    ({"gesprek_interval_weeks": 3}, "gesprek_interval_weeks", "Kies wekelijks of om de 2 weken."),
    ({"verslag_days_before": 91}, "verslag_days_before",
     "Vul in hoeveel dagen voor het einde het stageverslag binnen moet zijn: 0 tot en met 90."),
    ({"epa_targets": ((1, 6),)}, "epa_targets", "Het beoogde supervisieniveau is 1 tot en met 5."),
    ({"epa_targets": ((1, 3), (1, 4))}, "epa_targets", "Elke EPA mag maar één keer in het sjabloon staan."),
    ({"epa_targets": ((3, 3),)}, "epa_targets", "Deze EPA hoort niet bij de opleiding."),
    ({"opdrachten": (("", 10),)}, "opdracht_0", "Vul de titel van de praktijkopdracht in."),
    ({"opdrachten": (("Casus", None),)}, "opdracht_0",
     "Vul in na hoeveel dagen na de start de opdracht af moet zijn: 0 tot en met 730."),
])
def test_template_checks_have_a_dutch_message_per_field(fresh_db, changes, field, message):
    with pytest.raises(ValidationError) as err:
        save_template(fresh_db, viewer_for(fresh_db, "opl1"), _template(**changes))
    assert err.value.fields == {field: message}
    assert _count(fresh_db, StageplanTemplate) == 0


@pytest.mark.parametrize(("username", "opleiding"), [
    ("opl1", HAG),  # not a programme of opl1's cohorts
    ("opl2", HAG),  # follows a4 of HAG one by one, no cohort: manages no template
    ("com1", MG), ("bg1", MG), ("a1", MG),
])
def test_template_refused_outside_the_viewers_programmes_and_audited(fresh_db, username, opleiding):
    viewer = viewer_for(fresh_db, username)
    with pytest.raises(AccessDenied, match="U mag het stageplansjabloon van deze opleiding niet wijzigen."):
        save_template(fresh_db, viewer, _template(opleiding_id=opleiding, epa_targets=()))
    assert _count(fresh_db, StageplanTemplate) == 0
    assert [(a, u, e) for a, u, e, _, _ in _audit(fresh_db, "stageplansjabloon")] == [("geweigerd", viewer.user_id, opleiding)]


# --- stage toevoegen ------------------------------------------------------------------------


def test_a_new_stage_gets_its_stageplan_from_the_current_template_and_keeps_it_after_a_change(fresh_db):
    opl1 = viewer_for(fresh_db, "opl1")
    v1 = save_template(fresh_db, opl1, _template())
    stage_id = add_stage(fresh_db, opl1, _stage(second_begeleider_id=None), TODAY)
    expected_v1 = (8, 2, D(2026, 6, 25), 1, [(1, 3), (2, 2)],
                   [("Casusverslag", D(2026, 5, 4), "gepland"), ("Presentatie", D(2026, 6, 15), "gepland")])
    assert _plan(fresh_db, stage_id) == expected_v1
    with Session(fresh_db) as s:
        stage = s.get(Stage, stage_id)
        assert (stage.aios_id, stage.stageplaats_id, stage.fte, stage.status.value) == (A2, S2, 1.0, "gepland")
        assert s.execute(select(StageBegeleider.begeleider_id, StageBegeleider.is_primary)
                         .where(StageBegeleider.stage_id == stage_id)).all() == [(BG2, True)]
        assert s.execute(select(Stageplan.template_id).where(Stageplan.stage_id == stage_id)).scalar_one() == v1
    save_template(fresh_db, opl1, _template(kpb_target=4, gesprek_interval_weeks=1, verslag_days_before=7,
                                            epa_targets=((1, 4),), opdrachten=(("Reflectie", 14),), submit_token="sj-2"))
    assert _plan(fresh_db, stage_id) == expected_v1  # an existing stageplan keeps its targets
    later = add_stage(fresh_db, opl1, _stage(start_date=D(2026, 7, 6), end_date=D(2026, 10, 4), submit_token="st-2"), TODAY)
    assert _plan(fresh_db, later) == (4, 1, D(2026, 9, 27), 2, [(1, 4)], [("Reflectie", D(2026, 7, 20), "gepland")])
    audit = _audit(fresh_db, "stage")
    assert [(a, u, e) for a, u, e, _, _ in audit] == [("aangemaakt", 2, stage_id), ("aangemaakt", 2, later)]
    assert audit[0][4] == {"aios": A2, "stageplaats": S2, "begeleiders": [BG2], "start": "2026-04-06",
                           "einde": "2026-07-05", "fte": 1.0, "sjabloon": v1, "sjabloonversie": 1}


def test_without_a_template_a_stage_gets_the_importers_plan(fresh_db):
    stage_id = add_stage(fresh_db, viewer_for(fresh_db, "admin"), _stage(), TODAY)
    assert _plan(fresh_db, stage_id) == (6, 1, D(2026, 6, 28), None, [], [])


def test_a_second_begeleider_linked_to_the_site_is_added_as_not_primary(fresh_db):
    admin = viewer_for(fresh_db, "admin")
    # bg1 is linked to S1 only; link checks use the importer's rule, so S1 with bg1 + bg1 twice fails,
    # and a second begeleider must be linked to the site as well.
    with pytest.raises(ValidationError) as err:
        add_stage(fresh_db, admin, _stage(second_begeleider_id=BG1), TODAY)
    assert err.value.fields == {"second_begeleider_id": "Begeleider 'bg1' is niet gekoppeld aan stageplaats 'S2'. "
                                                        "Koppel die eerst (import Begeleiders of de pagina Gebruikers)."}
    with pytest.raises(ValidationError) as err:
        add_stage(fresh_db, admin, _stage(second_begeleider_id=BG2), TODAY)
    assert err.value.fields == {"second_begeleider_id": "De tweede begeleider is dezelfde als de eerste; kies een ander of niemand."}


@pytest.mark.parametrize(("changes", "fields"), [
    ({"aios_id": None}, {"aios_id": "Kies een aios."}),
    ({"stageplaats_id": None}, {"stageplaats_id": "Kies een stageplaats."}),
    ({"stageplaats_id": S3}, {"stageplaats_id": "Deze stageplaats hoort niet bij de opleiding van de aios."}),
    ({"begeleider_id": None}, {"begeleider_id": "Kies een begeleider."}),
    ({"begeleider_id": BG1}, {"begeleider_id": "Begeleider 'bg1' is niet gekoppeld aan stageplaats 'S2'. Koppel die "
                                               "eerst (import Begeleiders of de pagina Gebruikers)."}),
    ({"start_date": None, "end_date": None}, {"start_date": "Vul de startdatum in.", "end_date": "Vul de einddatum in."}),
    ({"end_date": D(2026, 4, 6)}, {"end_date": "De einddatum moet na de startdatum liggen."}),
    ({"fte": None}, {"fte": "Vul de fte in."}),
    ({"fte": 0.0}, {"fte": "Moet een getal van 0,1 tot en met 1 zijn (nu 0)."}),
    ({"fte": 1.5}, {"fte": "Moet een getal van 0,1 tot en met 1 zijn (nu 1,5)."}),
    # a2 was at S1 from 2025-09-01 to 2025-11-30 (stage 2): the importer would call this the same stage.
    ({"stageplaats_id": S1, "begeleider_id": BG1, "start_date": D(2025, 11, 1), "end_date": D(2026, 1, 31)},
     {"start_date": "Deze aios heeft al een stage op S1 van 01-09-2025 tot en met 30-11-2025, die met deze periode "
                    "overlapt. Wijzig die stage in plaats van een tweede toe te voegen."}),
    ({"start_date": D(2025, 11, 1), "end_date": D(2026, 1, 31), "fte": 0.5},
     {"fte": "Overlapt met de stage op S1 van 01-09-2025 tot en met 30-11-2025 (1 fte, al in de database); samen "
             "1,5 fte, meer dan 1."}),
])
def test_stage_checks_are_the_importers_with_a_dutch_message_per_field(fresh_db, changes, fields):
    with pytest.raises(ValidationError) as err:
        add_stage(fresh_db, viewer_for(fresh_db, "opl1"), _stage(**changes), TODAY)
    assert err.value.fields == fields
    assert _count(fresh_db, Stage) == 8 and _audit(fresh_db, "stage") == []


def test_part_time_stages_that_fit_in_one_fte_may_overlap(fresh_db):
    admin = viewer_for(fresh_db, "admin")
    first = add_stage(fresh_db, admin, _stage(fte=0.5), TODAY)
    second = add_stage(fresh_db, admin, _stage(stageplaats_id=S1, begeleider_id=BG1, fte=0.5, submit_token="st-2"), TODAY)
    assert second == first + 1
    with pytest.raises(ValidationError) as err:
        change_stage(fresh_db, admin, second, StageChange(BG1, None, D(2026, 4, 6), D(2026, 7, 5), 0.6), TODAY)
    assert err.value.fields == {"fte": "Overlapt met de stage op S2 van 06-04-2026 tot en met 05-07-2026 (0,5 fte, al in de "
                                       "database); samen 1,1 fte, meer dan 1."}


def test_double_submit_makes_one_stage(fresh_db):
    opl1 = viewer_for(fresh_db, "opl1")
    first = add_stage(fresh_db, opl1, _stage(), TODAY)
    assert add_stage(fresh_db, opl1, _stage(), TODAY) == first
    assert _count(fresh_db, Stage) == 9 and _count(fresh_db, Stageplan) == 9
    assert len(_audit(fresh_db, "stage")) == 1


@pytest.mark.parametrize(("username", "aios_id"), [
    ("opl1", A3),  # a3 is in cohort MG 2025, not one of opl1's cohorts
    ("opl2", 4),  # opl2 follows a4 one by one: may read the dossier, not place stages
    ("com1", A2), ("bg1", A2), ("a2", A2),
])
def test_stage_refused_outside_the_viewers_cohorts_and_for_other_roles(fresh_db, username, aios_id):
    viewer = viewer_for(fresh_db, username)
    with pytest.raises(AccessDenied, match="U mag geen stages vastleggen of wijzigen voor deze aios."):
        add_stage(fresh_db, viewer, _stage(aios_id=aios_id), TODAY)
    with pytest.raises(AccessDenied, match="U mag geen stages vastleggen of wijzigen voor deze aios."):
        change_stage(fresh_db, viewer, 3 if aios_id == A3 else 2, StageChange(BG1, None, D(2025, 9, 1), D(2025, 11, 30), 0.8), TODAY)
    assert _count(fresh_db, Stage) == 8
    assert [(a, u) for a, u, *_ in _audit(fresh_db, "stage")] == [("geweigerd", viewer.user_id)] * 2


def test_a_submit_token_of_someone_elses_stage_is_refused(fresh_db):
    later = {"aios_id": A3, "start_date": D(2026, 5, 4), "end_date": D(2026, 8, 2)}
    add_stage(fresh_db, viewer_for(fresh_db, "admin"), _stage(**later), TODAY)
    with pytest.raises(AccessDenied):
        add_stage(fresh_db, viewer_for(fresh_db, "opl1"), _stage(**later), TODAY)


# --- stage wijzigen -------------------------------------------------------------------------


def test_changing_the_period_moves_the_verslag_due_date_and_is_audited(fresh_db):
    opl1 = viewer_for(fresh_db, "opl1")
    save_template(fresh_db, opl1, _template())
    stage_id = add_stage(fresh_db, opl1, _stage(), TODAY)
    change = StageChange(BG2, None, D(2026, 4, 13), D(2026, 7, 12), 0.8)
    assert change_stage(fresh_db, opl1, stage_id, change, TODAY) == stage_id
    assert change_stage(fresh_db, opl1, stage_id, change, TODAY) == stage_id  # the same change again: no write
    with Session(fresh_db) as s:
        stage = s.get(Stage, stage_id)
        assert (stage.start_date, stage.end_date, stage.fte) == (D(2026, 4, 13), D(2026, 7, 12), 0.8)
    assert _plan(fresh_db, stage_id)[2] == D(2026, 7, 2)  # 10 days before the end, as the template says
    audit = _audit(fresh_db, "stage")
    assert [(a, u) for a, u, *_ in audit] == [("aangemaakt", 2), ("gewijzigd", 2)]
    assert audit[1][3:] == ({"start": "2026-04-06", "einde": "2026-07-05", "fte": 1.0, "stageverslag_uiterlijk": "2026-06-25"},
                            {"start": "2026-04-13", "einde": "2026-07-12", "fte": 0.8, "stageverslag_uiterlijk": "2026-07-02"})


def test_a_handed_in_verslag_keeps_its_due_date_and_begeleiders_change(fresh_db):
    admin = viewer_for(fresh_db, "admin")
    with Session(fresh_db) as s, s.begin():
        s.execute(Stageplan.__table__.update().where(Stageplan.stage_id == 2).values(verslag_handed_in=D(2025, 11, 20)))
        due = s.execute(select(Stageplan.verslag_due).where(Stageplan.stage_id == 2)).scalar_one()
    change_stage(fresh_db, admin, 2, StageChange(BG1, None, D(2025, 9, 1), D(2025, 12, 7), 1.0), TODAY)
    assert _plan(fresh_db, 2)[2] == due
    with Session(fresh_db) as s, s.begin():
        s.add(BegeleiderStageplaats(begeleider_id=BG2, stageplaats_id=S1))
    change_stage(fresh_db, admin, 2, StageChange(BG2, BG1, D(2025, 9, 1), D(2025, 12, 7), 1.0), TODAY)
    with Session(fresh_db) as s:
        assert s.execute(select(StageBegeleider.begeleider_id, StageBegeleider.is_primary)
                         .where(StageBegeleider.stage_id == 2).order_by(StageBegeleider.begeleider_id)).all() == [
            (BG1, False), (BG2, True)]
    audit = _audit(fresh_db, "stage")
    assert [(a, b, c) for a, _, _, b, c in audit] == [
        ("gewijzigd", {"einde": "2025-11-30"}, {"einde": "2025-12-07"}),
        ("gewijzigd", {"begeleiders": [BG1]}, {"begeleiders": [BG2, BG1]}),
    ]


# --- the gesprek rhythm ---------------------------------------------------------------------


def test_a_two_week_rhythm_halves_the_expected_begeleidingsgesprekken_exactly(fresh_db):
    opl1 = viewer_for(fresh_db, "opl1")
    save_template(fresh_db, opl1, _template())  # om de 2 weken
    two_weekly = add_stage(fresh_db, opl1, _stage(start_date=D(2026, 1, 5), end_date=D(2026, 4, 5)), TODAY)
    progress = load_stage_progress(fresh_db, opl1, StageSelection(TODAY, stage_ids=(1, two_weekly)))
    rows = progress.set_index("stage_id")
    # Both 2026-01-05 .. 2026-04-05, 8 full weeks by TODAY: weekly 7 expected, every two weeks 3.
    assert rows.loc[1, "expected_begeleidingsgesprek"] == 7
    assert rows.loc[two_weekly, "expected_begeleidingsgesprek"] == 3
    assert rows.loc[[1, two_weekly], "gesprek_interval_weeks"].tolist() == [1, 2]
    dossier = load_stage_dossier(fresh_db, opl1, two_weekly, TODAY)
    slots = dossier.slots[dossier.slots["type"] == "begeleidingsgesprek"]
    assert slots["due"].tolist() == [D(2026, 1, 25), D(2026, 2, 8), D(2026, 2, 22), D(2026, 3, 8), D(2026, 3, 22)]
    assert slots["status"].tolist() == ["ontbreekt", "ontbreekt", "ontbreekt", "verwacht", "verwacht"]


def test_the_gesprek_flag_waits_the_extra_week_of_a_two_week_rhythm_and_says_so():
    import pandas as pd

    from data_access.flags import stage_flags
    from data_access.settings import FlagThresholds

    limits = FlagThresholds()  # 10 days without a gesprek for a weekly rhythm
    base = {"start_date": D(2026, 1, 5), "end_date": D(2026, 4, 5), "days_since_feedback": 1,
            "n_startgesprek": 1, "n_evaluatiegesprek": 0, "n_begeleidingsgesprek": 3,
            "expected_begeleidingsgesprek": 3, "kpb_done": 0, "expected_kpb": 0, "approved_at": D(2026, 1, 5),
            "week": 9, "verslag_handed_in": None, "verslag_due": D(2026, 3, 29)}
    flags = [stage_flags(pd.Series(base | {"days_since_gesprek": days, "gesprek_interval_weeks": weeks}), TODAY, limits)
             .get("gesprek") for weeks, days in ((1, 10), (2, 16), (2, 17))]
    assert flags == ["geen gesprek sinds 10 dagen (verwacht: wekelijks)", None,
                     "geen gesprek sinds 17 dagen (verwacht: om de 2 weken)"]


# --- what the forms offer, per role ---------------------------------------------------------


@pytest.mark.parametrize(("username", "aios_ids", "opleidingen"), [
    ("admin", [1, 2, 3, 4], [MG, HAG]), ("opl1", [1, 2], [MG]), ("opl2", [], []),
    ("com1", [], []), ("bg1", [], []), ("a1", [], []),
])
def test_the_forms_offer_only_what_the_viewer_manages(fixture_db, username, aios_ids, opleidingen):
    from data_access.queries.stages import load_managed_aios, load_managed_opleidingen, load_managed_stages

    viewer = viewer_for(fixture_db, username)
    assert load_managed_aios(fixture_db, viewer)["aios_id"].tolist() == aios_ids
    assert load_managed_opleidingen(fixture_db, viewer)["opleiding_id"].tolist() == opleidingen
    assert load_managed_stages(fixture_db, viewer, aios_id=1)["stage_id"].tolist() == ([1, 5, 8] if 1 in aios_ids else [])


def test_the_dossier_names_the_template_version_to_those_who_may_see_the_stage(fresh_db):
    from data_access.queries.stages import load_stageplan_origin

    opl1 = viewer_for(fresh_db, "opl1")
    save_template(fresh_db, opl1, _template())
    stage_id = add_stage(fresh_db, opl1, _stage(), TODAY)
    assert load_stageplan_origin(fresh_db, opl1, stage_id).values.tolist() == [["Stageplan MG", 1, 2]]
    assert load_stageplan_origin(fresh_db, viewer_for(fresh_db, "com1"), stage_id).empty
    assert load_stageplan_origin(fresh_db, viewer_for(fresh_db, "a1"), stage_id).empty
    assert load_stageplan_origin(fresh_db, viewer_for(fresh_db, "a2"), stage_id).values.tolist() == [["Stageplan MG", 1, 2]]
