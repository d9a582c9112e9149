"""The stageplan written by the aios (issue 15): leerdoelen with what, why, steps and a target
date; offered for approval, approved or sent back by the begeleider of the stage; a change after
approval is a new version; status proposals; praktijkopdracht status. Exact values on the
fixture (TODAY = 2026-03-02), both databases.

Stage 1: a1 with bg1 (cohort of opl1), plan approved, leerdoelen 1 (behaald), 2 (bezig), 3 (gepland),
praktijkopdrachten 1 (bezig) and 2 (afgerond). Stage 3: a3 with bg2 (2026-02-02 .. 2026-05-03),
plan not approved, leerdoel 4 (bezig).
"""

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.db import alembic_config
from data_access.errors import AccessDenied, ValidationError
from data_access.gesprekken import GesprekInput, NewLeerdoel, log_gesprek
from data_access.models import (
    AuditLog,
    CanMedsRole,
    GesprekType,
    Leerdoel,
    LeerdoelHistory,
    LeerdoelStatus,
    OpdrachtStatus,
    OpSchema,
    Praktijkopdracht,
    Stageplan,
)
from data_access.stageplan import (
    OFFERED,
    LeerdoelInput,
    approve_stageplan,
    confirm_leerdoel,
    load_plan_history,
    load_plan_leerdoelen,
    load_stageplans,
    offer_stageplan,
    return_stageplan,
    set_leerdoel_status,
    set_opdracht_status,
    write_leerdoel,
)
from data_access.viewer import viewer_for
from tests.fixture_data import TODAY, uid

D = dt.date
GOAL = LeerdoelInput(text="Een slechtnieuwsgesprek zelfstandig voeren", why="Ik vermijd ze nu nog",
                     steps="Twee keer meekijken, dan zelf onder supervisie", canmeds_role=CanMedsRole.COMMUNICATOR,
                     target_date=D(2026, 4, 15), submit_token="g-1")


def _audit(engine, entity=None) -> list[tuple]:
    with Session(engine) as s:
        stmt = select(AuditLog.action, AuditLog.entity, AuditLog.entity_id, AuditLog.user_id).order_by(AuditLog.id)
        return s.execute(stmt.where(AuditLog.entity == entity) if entity else stmt).all()


def _goal(engine, lid) -> tuple:
    with Session(engine) as s:
        g = s.get(Leerdoel, lid)
        return (g.text, g.why, g.steps, g.canmeds_role, g.target_date, g.status, g.version, g.awaiting_approval,
                g.draft)


def _plan(engine, stage_id) -> tuple:
    row = load_stageplans(engine, viewer_for(engine, "admin"), today=TODAY, stage_id=stage_id).iloc[0]
    approved = row["approved_at"] if row["approved_at"] is not None else None
    return row["state"], approved, row["approved_by"], row["return_remark"], int(row["leerdoelen"]), int(row["waiting"])


def test_the_aios_writes_a_leerdoel_that_waits_for_approval_once_per_submit(fresh_db):
    a3 = viewer_for(fresh_db, "a3")
    lid = write_leerdoel(fresh_db, a3, 3, GOAL)
    assert write_leerdoel(fresh_db, a3, 3, GOAL) == lid  # a double submit saves once
    assert _goal(fresh_db, lid) == (GOAL.text, GOAL.why, GOAL.steps, CanMedsRole.COMMUNICATOR, D(2026, 4, 15),
                                    LeerdoelStatus.GEPLAND, 1, True, None)
    assert _audit(fresh_db) == [("geschreven", "leerdoel", lid, uid("a3"))]
    assert _plan(fresh_db, 3) == ("concept", None, None, None, 2, 1)
    history = load_plan_history(fresh_db, a3, stage_id=3)
    assert history[["leerdoel_id", "changed_by", "event", "version", "changed"]].values.tolist() == [
        [lid, "Cees Aios", "geschreven", 1, ""]]


def test_every_field_has_its_dutch_message_and_nothing_is_written(fresh_db):
    a3 = viewer_for(fresh_db, "a3")
    with pytest.raises(ValidationError) as err:
        write_leerdoel(fresh_db, a3, 3, LeerdoelInput(" ", "", "", None, None, "g-2"))
    assert err.value.fields == {
        "text": "Beschrijf wat u wilt bereiken.",
        "why": "Schrijf op waarom dit leerdoel voor u belangrijk is.",
        "steps": "Noem de concrete stappen waarmee u het bereikt.",
        "canmeds_role": "Kies de CanMEDS-rol.",
        "target_date": "Kies een streefdatum.",
    }
    with pytest.raises(ValidationError) as err:
        write_leerdoel(fresh_db, a3, 3, LeerdoelInput("a", "b", "c", CanMedsRole.LEADER, D(2026, 6, 1), "g-3"))
    assert err.value.fields == {"target_date": "Kies een streefdatum binnen de stage (02-02-2026 t/m 03-05-2026)."}
    assert _audit(fresh_db) == [] and _plan(fresh_db, 3)[4] == 1


@pytest.mark.parametrize("username", ["a1", "bg1", "bg2", "opl1", "com1", "admin"])
def test_only_the_aios_of_the_stage_writes_its_leerdoelen(fresh_db, username):
    """Another aios, a begeleider (also of this stage: the leerdoelen are the aios' own), an
    opleider of another cohort, the commissie and the beheerder are refused and audited."""
    viewer = viewer_for(fresh_db, username)
    with pytest.raises(AccessDenied):
        write_leerdoel(fresh_db, viewer, 3, GOAL)
    with pytest.raises(AccessDenied):
        write_leerdoel(fresh_db, viewer, 3, GOAL, leerdoel_id=4)
    with pytest.raises(AccessDenied):
        offer_stageplan(fresh_db, viewer, 3)
    assert _audit(fresh_db) == [("geweigerd", "stage", 3, uid(username)), ("geweigerd", "leerdoel", 4, uid(username)),
                                ("geweigerd", "stage", 3, uid(username))]
    assert _plan(fresh_db, 3) == ("concept", None, None, None, 1, 0)


def test_offered_then_approved_by_the_begeleider_of_the_stage(fresh_db):
    a3, bg2 = viewer_for(fresh_db, "a3"), viewer_for(fresh_db, "bg2")
    lid = write_leerdoel(fresh_db, a3, 3, GOAL)
    offer_stageplan(fresh_db, a3, 3)
    offer_stageplan(fresh_db, a3, 3)  # a double tap offers once
    assert _plan(fresh_db, 3) == ("aangeboden", None, None, None, 2, 1)
    with pytest.raises(ValidationError) as err:  # locked while the begeleider looks at it
        write_leerdoel(fresh_db, a3, 3, GOAL, leerdoel_id=lid)
    assert err.value.fields == {"_": OFFERED}
    for other in ("a3", "bg1", "bg3", "opl1", "com1", "admin"):
        with pytest.raises(AccessDenied):
            approve_stageplan(fresh_db, viewer_for(fresh_db, other), 3, TODAY)
    approve_stageplan(fresh_db, bg2, 3, TODAY)
    approve_stageplan(fresh_db, bg2, 3, TODAY)  # a double tap approves once
    assert _plan(fresh_db, 3) == ("goedgekeurd", TODAY, "Bea Begeleider", None, 2, 0)
    assert _goal(fresh_db, lid)[6:] == (1, False, None)
    assert _audit(fresh_db) == [("geschreven", "leerdoel", lid, uid("a3")), ("aangeboden", "stageplan", 3, uid("a3"))] + [
        ("geweigerd", "stage", 3, uid(u)) for u in ("a3", "bg1", "bg3", "opl1", "com1", "admin")] + [
        ("goedgekeurd", "stageplan", 3, uid("bg2"))]
    with pytest.raises(ValidationError) as err:
        offer_stageplan(fresh_db, a3, 3)
    assert err.value.fields == {"_": "Er is niets nieuws om aan te bieden: het stageplan is goedgekeurd."}


def test_sent_back_with_a_remark_then_changed_and_offered_again(fresh_db):
    a3, bg2 = viewer_for(fresh_db, "a3"), viewer_for(fresh_db, "bg2")
    lid = write_leerdoel(fresh_db, a3, 3, GOAL)
    with pytest.raises(ValidationError) as err:
        return_stageplan(fresh_db, bg2, 3, "Maak het concreter.")
    assert err.value.fields == {"_": "Het stageplan is niet aangeboden ter goedkeuring."}
    offer_stageplan(fresh_db, a3, 3)
    with pytest.raises(ValidationError) as err:
        return_stageplan(fresh_db, bg2, 3, "  ")
    assert err.value.fields == {"remark": "Schrijf erbij wat er anders moet."}
    return_stageplan(fresh_db, bg2, 3, "Maak het concreter.")
    return_stageplan(fresh_db, bg2, 3, "Maak het concreter.")  # a double tap sends back once
    assert _plan(fresh_db, 3) == ("teruggestuurd", None, None, "Maak het concreter.", 2, 1)
    write_leerdoel(fresh_db, a3, 3, LeerdoelInput(**{**GOAL.__dict__, "steps": "Eerst twee keer meekijken"}),
                   leerdoel_id=lid)
    assert _goal(fresh_db, lid)[2:3] == ("Eerst twee keer meekijken",)  # never approved: changed in place
    offer_stageplan(fresh_db, a3, 3)
    assert _plan(fresh_db, 3) == ("aangeboden", None, None, None, 2, 1)
    assert [a[0] for a in _audit(fresh_db, "stageplan")] == ["aangeboden", "teruggestuurd", "aangeboden"]
    history = load_plan_history(fresh_db, a3, stage_id=3)
    assert history[["event", "version", "changed"]].values.tolist() == [["geschreven", 1, ""], ["gewijzigd", 1, "stappen"]]


def test_a_change_after_approval_is_a_new_version_and_the_approved_one_counts_until_approved(fresh_db):
    a3, bg2 = viewer_for(fresh_db, "a3"), viewer_for(fresh_db, "bg2")
    lid = write_leerdoel(fresh_db, a3, 3, GOAL)
    offer_stageplan(fresh_db, a3, 3)
    approve_stageplan(fresh_db, bg2, 3, D(2026, 2, 20))
    changed = LeerdoelInput(**{**GOAL.__dict__, "text": "Drie slechtnieuwsgesprekken voeren", "target_date": D(2026, 4, 30)})
    write_leerdoel(fresh_db, a3, 3, changed, leerdoel_id=lid)
    write_leerdoel(fresh_db, a3, 3, changed, leerdoel_id=lid)  # the same change twice is one version
    draft = {"text": "Drie slechtnieuwsgesprekken voeren", "why": GOAL.why, "steps": GOAL.steps,
             "canmeds_role": "Communicator", "target_date": "2026-04-30"}
    assert _goal(fresh_db, lid) == (GOAL.text, GOAL.why, GOAL.steps, CanMedsRole.COMMUNICATOR, D(2026, 4, 15),
                                    LeerdoelStatus.GEPLAND, 1, False, draft)
    # The approved version still counts; the plan is approved, with a change in concept.
    assert _plan(fresh_db, 3) == ("concept", D(2026, 2, 20), "Bea Begeleider", None, 2, 1)
    offer_stageplan(fresh_db, a3, 3)
    approve_stageplan(fresh_db, bg2, 3, TODAY)
    assert _goal(fresh_db, lid) == ("Drie slechtnieuwsgesprekken voeren", GOAL.why, GOAL.steps,
                                    CanMedsRole.COMMUNICATOR, D(2026, 4, 30), LeerdoelStatus.GEPLAND, 2, False, None)
    history = load_plan_history(fresh_db, bg2, stage_id=3)
    assert history[["changed_by", "event", "version", "text", "changed"]].values.tolist() == [
        ["Cees Aios", "geschreven", 1, GOAL.text, ""],
        ["Bea Begeleider", "goedgekeurd", 1, GOAL.text, ""],
        ["Cees Aios", "nieuwe versie", 2, "Drie slechtnieuwsgesprekken voeren", "wat, streefdatum"],
        ["Bea Begeleider", "goedgekeurd", 2, "Drie slechtnieuwsgesprekken voeren", ""],
    ]
    assert [a[0] for a in _audit(fresh_db, "leerdoel")] == ["geschreven", "nieuwe versie"]
    frame = load_plan_leerdoelen(fresh_db, a3, stage_id=3)
    assert frame[["id", "version", "awaiting_approval"]].values.tolist() == [[4, 1, False], [lid, 2, False]]


def test_the_startgesprek_approves_an_offered_plan_the_same_way(fresh_db):
    """One way to approve: a vastgesteld startgesprek approves what waits, like approve_stageplan."""
    a3, bg2 = viewer_for(fresh_db, "a3"), viewer_for(fresh_db, "bg2")
    lid = write_leerdoel(fresh_db, a3, 3, GOAL)
    offer_stageplan(fresh_db, a3, 3)
    log_gesprek(fresh_db, bg2, GesprekInput(
        stage_id=3, type=GesprekType.STARTGESPREK, date=D(2026, 2, 3), submit_token="s-1", stageplan_approved=True,
        leerdoelen=(NewLeerdoel("Casus presenteren", CanMedsRole.SCHOLAR),)), TODAY)
    assert _plan(fresh_db, 3) == ("goedgekeurd", D(2026, 2, 3), "Bea Begeleider", None, 3, 0)
    assert _goal(fresh_db, lid)[7] is False


def test_status_proposals_by_the_aios_and_confirmation_by_begeleider_or_opleider(fresh_db):
    a1, bg1, opl1 = (viewer_for(fresh_db, u) for u in ("a1", "bg1", "opl1"))
    set_leerdoel_status(fresh_db, a1, 3, LeerdoelStatus.BEZIG)
    set_leerdoel_status(fresh_db, a1, 3, LeerdoelStatus.BEZIG)  # a double tap proposes once
    with Session(fresh_db) as s:
        assert (s.get(Leerdoel, 3).status, s.get(Leerdoel, 3).proposed_status) == (LeerdoelStatus.GEPLAND, LeerdoelStatus.BEZIG)
    confirm_leerdoel(fresh_db, opl1, 3)
    set_leerdoel_status(fresh_db, a1, 2, LeerdoelStatus.BIJGESTELD)
    confirm_leerdoel(fresh_db, bg1, 2)
    for username, status in (("a1", LeerdoelStatus.GEPLAND), ("a3", LeerdoelStatus.BEZIG), ("bg2", LeerdoelStatus.BEZIG),
                             ("com1", LeerdoelStatus.BEZIG), ("admin", LeerdoelStatus.BEZIG)):
        with pytest.raises(AccessDenied):
            set_leerdoel_status(fresh_db, viewer_for(fresh_db, username), 3, status)
    with Session(fresh_db) as s:
        assert [(g.id, g.status, g.proposed_status) for g in s.scalars(select(Leerdoel).where(Leerdoel.stage_id == 1))] == [
            (1, LeerdoelStatus.BEHAALD, None), (2, LeerdoelStatus.BIJGESTELD, None), (3, LeerdoelStatus.BEZIG, None)]
        events = s.execute(select(LeerdoelHistory.leerdoel_id, LeerdoelHistory.event, LeerdoelHistory.changed_by)
                           .where(LeerdoelHistory.id > 2).order_by(LeerdoelHistory.id)).all()
    assert events == [(3, "status bezig", uid("opl1")), (2, "status bijgesteld", uid("bg1"))]
    assert _audit(fresh_db) == [("voorgesteld", "leerdoel", 3, uid("a1")), ("bevestigd", "leerdoel", 3, uid("opl1")),
                                ("voorgesteld", "leerdoel", 2, uid("a1")), ("bevestigd", "leerdoel", 2, uid("bg1"))] + [
        ("geweigerd", "leerdoel", 3, uid(u)) for u in ("a1", "a3", "bg2", "com1", "admin")]


def _evaluatie(**kw) -> GesprekInput:
    return GesprekInput(**({"stage_id": 1, "type": GesprekType.EVALUATIEGESPREK, "date": TODAY, "submit_token": "e-1",
                            "op_schema": OpSchema.JA, "wat_gaat_goed": "Veel", "wat_kan_beter": "Tempo"} | kw))


def test_the_evaluatiegesprek_saves_leerdoel_statuses_in_its_own_transaction(fresh_db):
    bg1, a1 = viewer_for(fresh_db, "bg1"), viewer_for(fresh_db, "a1")
    statuses = ((2, LeerdoelStatus.BEHAALD), (3, LeerdoelStatus.BEZIG), (1, None))
    with pytest.raises(ValidationError) as err:  # the gesprek fails: no status changes either
        log_gesprek(fresh_db, bg1, _evaluatie(wat_gaat_goed="", leerdoel_statuses=statuses), TODAY)
    assert err.value.fields == {"wat_gaat_goed": "Vul in wat goed gaat."}
    with pytest.raises(ValidationError) as err:  # a leerdoel of another stage
        log_gesprek(fresh_db, bg1, _evaluatie(leerdoel_statuses=((4, LeerdoelStatus.BEHAALD),)), TODAY)
    assert err.value.fields == {"leerdoel_status_4": "Dit leerdoel hoort niet bij deze stage."}
    assert _audit(fresh_db) == []
    gid = log_gesprek(fresh_db, bg1, _evaluatie(leerdoel_statuses=statuses), TODAY)
    log_gesprek(fresh_db, bg1, _evaluatie(leerdoel_statuses=statuses), TODAY)  # resubmit: once
    with Session(fresh_db) as s:
        assert [(g.id, g.status) for g in s.scalars(select(Leerdoel).where(Leerdoel.stage_id == 1))] == [
            (1, LeerdoelStatus.BEHAALD), (2, LeerdoelStatus.BEHAALD), (3, LeerdoelStatus.BEZIG)]
    assert _audit(fresh_db) == [("aangemaakt", "gesprek", gid, uid("bg1")), ("gewijzigd", "leerdoel", 2, uid("bg1")),
                                ("gewijzigd", "leerdoel", 3, uid("bg1"))]
    # The aios' own verslag of an evaluatiegesprek proposes; the begeleider confirms later.
    log_gesprek(fresh_db, a1, _evaluatie(submit_token="e-2", leerdoel_statuses=((3, LeerdoelStatus.BIJGESTELD),)), TODAY)
    with Session(fresh_db) as s:
        assert (s.get(Leerdoel, 3).status, s.get(Leerdoel, 3).proposed_status) == (LeerdoelStatus.BEZIG,
                                                                                    LeerdoelStatus.BIJGESTELD)


def test_praktijkopdracht_status_by_aios_and_begeleider_beoordeeld_only_by_begeleider(fresh_db):
    a1, bg1 = viewer_for(fresh_db, "a1"), viewer_for(fresh_db, "bg1")
    set_opdracht_status(fresh_db, a1, 1, OpdrachtStatus.AFGEROND)
    set_opdracht_status(fresh_db, a1, 1, OpdrachtStatus.AFGEROND)  # a double tap writes once
    with pytest.raises(ValidationError) as err:
        set_opdracht_status(fresh_db, a1, 1, OpdrachtStatus.BEOORDEELD)
    assert err.value.fields == {"status": "Beoordeeld is het oordeel van uw begeleider."}
    set_opdracht_status(fresh_db, bg1, 1, OpdrachtStatus.BEOORDEELD)
    with pytest.raises(ValidationError):
        set_opdracht_status(fresh_db, a1, 1, OpdrachtStatus.BEZIG)  # nor undoes it
    set_opdracht_status(fresh_db, viewer_for(fresh_db, "opl1"), 2, OpdrachtStatus.BEOORDEELD)
    for username in ("a3", "bg2", "opl2", "com1", "admin"):
        with pytest.raises(AccessDenied):
            set_opdracht_status(fresh_db, viewer_for(fresh_db, username), 1, OpdrachtStatus.GEPLAND)
    with Session(fresh_db) as s:
        assert s.execute(select(Praktijkopdracht.id, Praktijkopdracht.status).order_by(Praktijkopdracht.id)).all() == [
            (1, OpdrachtStatus.BEOORDEELD), (2, OpdrachtStatus.BEOORDEELD)]
    assert _audit(fresh_db) == [("gewijzigd", "praktijkopdracht", 1, uid("a1")),
                                ("gewijzigd", "praktijkopdracht", 1, uid("bg1")),
                                ("gewijzigd", "praktijkopdracht", 2, uid("opl1"))] + [
        ("geweigerd", "praktijkopdracht", 1, uid(u)) for u in ("a3", "bg2", "opl2", "com1", "admin")]


def test_plans_to_approve_are_the_offered_ones_of_the_begeleider(fresh_db):
    a3 = viewer_for(fresh_db, "a3")
    write_leerdoel(fresh_db, a3, 3, GOAL)
    offer_stageplan(fresh_db, a3, 3)
    for username, expected in (("bg2", [3]), ("bg1", []), ("com1", []), ("a1", [])):
        frame = load_stageplans(fresh_db, viewer_for(fresh_db, username), today=TODAY, offered_only=True)
        assert frame["stage_id"].tolist() == expected


def test_migration_0010_makes_open_opdrachten_gepland(fresh_db):
    from alembic import command
    from sqlalchemy import text

    cfg = alembic_config(fresh_db.url.render_as_string(hide_password=False))
    command.downgrade(cfg, "0008")
    with fresh_db.begin() as conn:
        conn.execute(text("UPDATE praktijkopdracht SET status = 'open' WHERE id = 1"))
    command.upgrade(cfg, "head")
    with fresh_db.connect() as conn:
        assert conn.execute(text("SELECT id, status FROM praktijkopdracht ORDER BY id")).all() == [
            (1, "gepland"), (2, "afgerond")]
    # The old value is no longer allowed: the database's own check refuses it.
    with pytest.raises(IntegrityError, match="CHECK constraint failed|violates check constraint"), \
            fresh_db.begin() as conn:
        conn.execute(text("UPDATE praktijkopdracht SET status = 'open' WHERE id = 1"))
