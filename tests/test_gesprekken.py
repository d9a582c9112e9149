"""Logging gesprekken, KPB's and feedback: validation per field, workflow, versions, idempotent
and concurrent saves, refusals and audit rows (fixture, TODAY = 2026-03-02)."""

import datetime as dt
import threading

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.errors import AccessDenied, ValidationError
from data_access.gesprekken import (
    FeedbackInput,
    GesprekInput,
    KpbInput,
    Limits,
    NewLeerdoel,
    confirm_gesprek,
    log_feedback,
    log_gesprek,
    log_kpb,
    return_gesprek,
)
from data_access.models import (
    AuditLog,
    Beoordeling,
    CanMedsRole,
    FeedbackMoment,
    Gesprek,
    GesprekType,
    Kpb,
    Leerdoel,
    OpSchema,
    RubricScore,
    Stageplan,
)
from data_access.queries.filters import StageSelection
from data_access.queries.progress import load_stage_progress
from data_access.viewer import viewer_for
from tests.fixture_data import TODAY

D = dt.date
B = GesprekType.BEGELEIDINGSGESPREK


def _input(**kw) -> GesprekInput:
    base = {"stage_id": 1, "type": B, "date": TODAY, "submit_token": "t-1", "verslag": "Casus besproken."}
    return GesprekInput(**(base | kw))


def _audit(engine) -> list[tuple]:
    with Session(engine) as s:
        return s.execute(select(AuditLog.action, AuditLog.entity, AuditLog.user_id).order_by(AuditLog.id)).all()


def _count(engine, model) -> int:
    with Session(engine) as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def test_a_begeleider_logs_a_begeleidingsgesprek_that_counts_at_once(fresh_db):
    bg1 = viewer_for(fresh_db, "bg1")
    before = load_stage_progress(fresh_db, bg1, StageSelection(TODAY)).set_index("stage_id").loc[1, "n_begeleidingsgesprek"]
    gid = log_gesprek(fresh_db, bg1, _input(afspraken="Volgende week KPB."), TODAY)
    with Session(fresh_db) as s:
        g = s.get(Gesprek, gid)
        assert (g.status.value, g.confirmed_by, g.version, g.verslag, g.afspraken) == (
            "vastgesteld", bg1.user_id, 1, "Casus besproken.", "Volgende week KPB.")
    assert _audit(fresh_db) == [("aangemaakt", "gesprek", bg1.user_id)]
    after = load_stage_progress(fresh_db, bg1, StageSelection(TODAY)).set_index("stage_id").loc[1]
    assert (after["n_begeleidingsgesprek"], after["last_gesprek"]) == (before + 1, TODAY)


@pytest.mark.parametrize(("changes", "limits", "errors"), [
    ({"date": TODAY + dt.timedelta(days=1)}, Limits(), {"date": "De datum ligt in de toekomst."}),
    ({"date": D(2025, 12, 21)}, Limits(),
     {"date": "De datum valt buiten de stage (05-01-2026 t/m 05-04-2026, met 14 dagen marge): kies een datum van "
              "22-12-2025 t/m 02-03-2026."}),
    ({"date": None}, Limits(), {"date": "Vul de datum in."}),
    ({"verslag": "   "}, Limits(), {"verslag": "Noteer de besproken onderwerpen."}),
    ({"verslag": "kort", "afspraken": "x" * 11}, Limits(text=10), {"afspraken": "Deze tekst is te lang: maximaal 10 tekens (nu 11)."}),
    ({"type": GesprekType.EVALUATIEGESPREK, "verslag": ""}, Limits(),
     {"wat_gaat_goed": "Vul in wat goed gaat.", "wat_kan_beter": "Vul in wat beter kan.",
      "op_schema": "Kies of de aios op schema ligt."}),
    ({"type": GesprekType.STARTGESPREK, "leerdoelen": (NewLeerdoel(" ", CanMedsRole.LEADER),)}, Limits(),
     {"stageplan_approved": "Geef aan of het stageplan is goedgekeurd.",
      "leerdoel_0": "Vul de tekst van het leerdoel in."}),
])
def test_each_validation_rule_has_its_message_and_writes_nothing(fresh_db, changes, limits, errors):
    with pytest.raises(ValidationError) as err:
        log_gesprek(fresh_db, viewer_for(fresh_db, "bg1"), _input(**changes), TODAY, limits)
    assert err.value.fields == errors
    assert (_count(fresh_db, Gesprek), _audit(fresh_db)) == (13, [])


def test_a_second_eindgesprek_for_a_stage_is_refused(fresh_db):
    """Stage 2 already has an eindgesprek (27-11-2025)."""
    data = _input(stage_id=2, type=GesprekType.EINDGESPREK, date=D(2025, 11, 28), wat_gaat_goed="a",
                  wat_kan_beter="b", signed=True, scores=((1, 3), (2, 3)))
    with pytest.raises(ValidationError) as err:
        log_gesprek(fresh_db, viewer_for(fresh_db, "bg1"), data, TODAY)
    assert err.value.fields["type"].startswith("Voor deze stage is al een eindgesprek vastgelegd")


def test_a_second_eindbeoordeling_is_refused(fresh_db):
    """Stage 7 has no eindgesprek but already an eindbeoordeling by bg1 (rubric 1)."""
    data = _input(stage_id=7, type=GesprekType.EINDGESPREK, date=D(2025, 5, 30), wat_gaat_goed="a",
                  wat_kan_beter="b", signed=True, scores=((1, 3), (2, 3)))
    with pytest.raises(ValidationError) as err:
        log_gesprek(fresh_db, viewer_for(fresh_db, "bg1"), data, TODAY)
    assert err.value.fields == {"scores": "Voor deze stage is al een eindbeoordeling vastgelegd."}


def test_a_summative_beoordeling_needs_every_criterion_and_a_signature(fresh_db):
    """Stage 1 on TODAY uses rubric version 2: criteria 3, 4 and 5."""
    data = _input(type=GesprekType.EINDGESPREK, wat_gaat_goed="Zorgvuldig", wat_kan_beter="Tempo",
                  scores=((3, 3), (4, 2), (5, None)), early_confirmed=True)  # 5 weeks early: confirmed
    with pytest.raises(ValidationError) as err:
        log_gesprek(fresh_db, viewer_for(fresh_db, "bg1"), data, TODAY)
    assert err.value.fields == {"signed": "Onderteken het eindgesprek.", "score_5": "Geef een score voor dit criterium."}
    gid = log_gesprek(fresh_db, viewer_for(fresh_db, "bg1"), _input(
        type=GesprekType.EINDGESPREK, wat_gaat_goed="Zorgvuldig", wat_kan_beter="Tempo", signed=True,
        scores=((3, 3), (4, 2), (5, 4)), early_confirmed=True), TODAY)
    with Session(fresh_db) as s:
        b = s.execute(select(Beoordeling).where(Beoordeling.stage_id == 1, Beoordeling.moment == "eind")).scalar_one()
        assert (b.rubric_id, b.rater_kind.value, b.date) == (2, "begeleider", TODAY)
        assert sorted(s.execute(select(RubricScore.criterion_id, RubricScore.score)
                                .where(RubricScore.beoordeling_id == b.id)).all()) == [(3, 3), (4, 2), (5, 4)]
        assert s.get(Gesprek, gid).type is GesprekType.EINDGESPREK


def test_the_startgesprek_approves_the_stageplan_and_adds_leerdoelen(fresh_db):
    """Stage 3 (a3, bg2): stageplan not approved in the fixture."""
    log_gesprek(fresh_db, viewer_for(fresh_db, "bg2"), _input(
        stage_id=3, type=GesprekType.STARTGESPREK, date=D(2026, 2, 3), stageplan_approved=True,
        leerdoelen=(NewLeerdoel("Zelfstandig een casus presenteren", CanMedsRole.COMMUNICATOR),)), TODAY)
    with Session(fresh_db) as s:
        assert s.execute(select(Stageplan.approved_at).where(Stageplan.stage_id == 3)).scalar_one() == D(2026, 2, 3)
        assert s.execute(select(Leerdoel.text).where(Leerdoel.stage_id == 3).order_by(Leerdoel.id)).scalars().all() == [
            "Leerdoel 4", "Zelfstandig een casus presenteren"]


@pytest.mark.parametrize("username", ["bg2", "a2", "opl2", "com1"])
def test_logging_for_an_aios_who_is_not_yours_is_refused_and_audited(fresh_db, username):
    viewer = viewer_for(fresh_db, username)
    with pytest.raises(AccessDenied):
        log_gesprek(fresh_db, viewer, _input(), TODAY)
    assert _audit(fresh_db) == [("geweigerd", "stage", viewer.user_id)]
    assert _count(fresh_db, Gesprek) == 13


def test_draft_return_rewrite_confirm_and_correct_as_a_new_version(fresh_db):
    a1, bg1 = viewer_for(fresh_db, "a1"), viewer_for(fresh_db, "bg1")
    evaluatie = {"type": GesprekType.EVALUATIEGESPREK, "op_schema": OpSchema.DEELS, "wat_gaat_goed": "Contact",
                 "wat_kan_beter": "Planning"}
    gid = log_gesprek(fresh_db, a1, _input(submit_token="draft", **evaluatie), TODAY)
    with Session(fresh_db) as s:
        assert (s.get(Gesprek, gid).status.value, s.get(Gesprek, gid).confirmed_by) == ("concept", None)
    with pytest.raises(ValidationError) as err:
        return_gesprek(fresh_db, bg1, gid, " ")
    assert err.value.fields == {"remark": "Schrijf erbij wat er anders moet."}
    return_gesprek(fresh_db, bg1, gid, "Noem ook de afspraken.")
    with Session(fresh_db) as s:
        assert s.get(Gesprek, gid).return_remark == "Noem ook de afspraken."
    rewritten = log_gesprek(fresh_db, a1, _input(submit_token="draft-2", afspraken="KPB plannen", **evaluatie),
                            TODAY, replaces=gid)
    assert rewritten == gid  # the same draft, rewritten
    with pytest.raises(AccessDenied):
        confirm_gesprek(fresh_db, viewer_for(fresh_db, "bg2"), gid)
    confirm_gesprek(fresh_db, bg1, gid)
    with pytest.raises(ValidationError):
        confirm_gesprek(fresh_db, bg1, gid)  # vastgesteld is final
    with Session(fresh_db) as s:
        g = s.get(Gesprek, gid)
        assert (g.status.value, g.confirmed_by, g.return_remark, g.afspraken) == ("vastgesteld", bg1.user_id, None, "KPB plannen")
    corrected = log_gesprek(fresh_db, a1, _input(submit_token="fix", afspraken="KPB in week 10", **evaluatie),
                            TODAY, replaces=gid)
    with Session(fresh_db) as s:
        new = s.get(Gesprek, corrected)
        assert (new.version, new.supersedes_id, new.status.value) == (2, gid, "concept")
        assert s.get(Gesprek, gid).afspraken == "KPB plannen"  # the old version stays as it was
    progress = load_stage_progress(fresh_db, bg1, StageSelection(TODAY)).set_index("stage_id").loc[1]
    assert progress["n_evaluatiegesprek"] == 1  # a corrected verslag counts once
    assert [a[0] for a in _audit(fresh_db) if a[0] != "geweigerd"] == [
        "aangemaakt", "teruggestuurd", "herschreven", "vastgesteld", "gecorrigeerd"]


def test_the_same_submit_token_saves_one_gesprek(fresh_db):
    bg1 = viewer_for(fresh_db, "bg1")
    first = log_gesprek(fresh_db, bg1, _input(submit_token="dubbel"), TODAY)
    again = log_gesprek(fresh_db, bg1, _input(submit_token="dubbel", verslag="anders"), TODAY)
    assert first == again
    assert _count(fresh_db, Gesprek) == 14 and len(_audit(fresh_db)) == 1


def test_twenty_concurrent_saves_all_land_once(fresh_db):
    bg1 = viewer_for(fresh_db, "bg1")
    ids, failures = [], []
    start = threading.Barrier(22)

    def save(token: str) -> None:
        start.wait()
        try:
            ids.append(log_gesprek(fresh_db, bg1, _input(submit_token=token, verslag=f"Gesprek {token}"), TODAY))
        except Exception as exc:  # noqa: BLE001 - every failure is the finding
            failures.append(repr(exc))

    threads = [threading.Thread(target=save, args=(f"c-{i}",)) for i in range(20)]
    threads += [threading.Thread(target=save, args=("c-0",)) for _ in range(2)]  # two resubmits of one
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert len(set(ids)) == 20 and len(ids) == 22
    with Session(fresh_db) as s:
        assert s.execute(select(func.count()).select_from(Gesprek).where(Gesprek.submit_token.like("c-%"))).scalar_one() == 20
    assert len(_audit(fresh_db)) == 20


def test_quick_kpb_and_feedback_entries(fresh_db):
    a1, bg1 = viewer_for(fresh_db, "a1"), viewer_for(fresh_db, "bg1")
    with pytest.raises(ValidationError) as err:
        log_kpb(fresh_db, bg1, KpbInput(1, None, TODAY, 7, "", "k-0"), TODAY)
    assert err.value.fields == {"epa": "Kies de EPA.", "supervision_level": "Kies een supervisieniveau van 1 tot 5.",
                                "feedback": "Schrijf de feedback op."}
    kid = log_kpb(fresh_db, bg1, KpbInput(1, 1, TODAY, 3, "Goede anamnese", "k-1"), TODAY)
    assert log_kpb(fresh_db, bg1, KpbInput(1, 1, TODAY, 3, "Goede anamnese", "k-1"), TODAY) == kid
    fid = log_feedback(fresh_db, a1, FeedbackInput(1, TODAY, True, "rapportage", "f-1"), TODAY)
    assert log_feedback(fresh_db, a1, FeedbackInput(1, TODAY, True, "rapportage", "f-1"), TODAY) == fid
    with Session(fresh_db) as s:
        assert s.execute(select(func.count()).select_from(Kpb)).scalar_one() == 4
        moments = s.execute(select(FeedbackMoment.kind, FeedbackMoment.asked_by_aios, FeedbackMoment.topic)
                            .where(FeedbackMoment.date == TODAY).order_by(FeedbackMoment.id)).all()
    assert [(k.value, a, t) for k, a, t in moments] == [("KPB", False, "EPA1"), ("informeel", True, "rapportage")]
    with pytest.raises(AccessDenied):
        log_feedback(fresh_db, viewer_for(fresh_db, "bg2"), FeedbackInput(1, TODAY, False, "x", "f-2"), TODAY)


def test_forms_offer_the_due_type_drafts_rubric_with_descriptions_and_epas(fresh_db):
    from data_access.cycle import next_gesprek_type
    from data_access.queries.forms import load_drafts, load_rubric_form, load_stage_epas

    bg1 = viewer_for(fresh_db, "bg1")
    progress = load_stage_progress(fresh_db, bg1, StageSelection(TODAY)).set_index("stage_id")
    # Stage 1 on TODAY: startgesprek held, past the midpoint without an evaluatiegesprek.
    assert next_gesprek_type(progress.loc[1], TODAY) is GesprekType.EVALUATIEGESPREK
    assert next_gesprek_type(progress.loc[1], D(2026, 1, 20)) is GesprekType.BEGELEIDINGSGESPREK
    assert next_gesprek_type(progress.loc[1], D(2025, 12, 1)) is GesprekType.BEGELEIDINGSGESPREK  # kennismaking held
    a1 = viewer_for(fresh_db, "a1")
    gid = log_gesprek(fresh_db, a1, _input(submit_token="d1"), TODAY)
    assert load_drafts(fresh_db, bg1)["id"].tolist() == [gid]
    assert load_drafts(fresh_db, a1)["id"].tolist() == [gid]
    assert load_drafts(fresh_db, viewer_for(fresh_db, "bg2")).empty
    form = load_rubric_form(fresh_db, bg1, 1, TODAY)
    assert sorted(form["criterion_id"].unique()) == [3, 4, 5] and set(form["version"]) == {2}
    assert load_rubric_form(fresh_db, bg1, 1, D(2025, 12, 1))["version"].unique().tolist() == [1]
    assert load_rubric_form(fresh_db, viewer_for(fresh_db, "bg2"), 1, TODAY).empty
    assert load_stage_epas(fresh_db, a1, 1)["code"].tolist() == ["EPA1", "EPA2"]


# --- integrity of what an aios records (issue 13) ------------------------------------------


def test_reusing_another_users_submit_token_is_refused_not_answered_with_their_id(fresh_db):
    """bg1 saved a gesprek with token "geheim"; opl1 (who may see stage 1 too) and a1 (own
    stage) send the same token: each is refused and audited, and learns no id."""
    bg1, opl1, a1 = (viewer_for(fresh_db, u) for u in ("bg1", "opl1", "a1"))
    gid = log_gesprek(fresh_db, bg1, _input(submit_token="geheim"), TODAY)
    kid = log_kpb(fresh_db, bg1, KpbInput(1, 1, TODAY, 3, "Goed", "kpb-geheim"), TODAY)
    fid = log_feedback(fresh_db, bg1, FeedbackInput(1, TODAY, False, "rapportage", "fb-geheim"), TODAY)
    for viewer in (opl1, a1):
        with pytest.raises(AccessDenied):
            log_gesprek(fresh_db, viewer, _input(submit_token="geheim"), TODAY)
        with pytest.raises(AccessDenied):
            log_kpb(fresh_db, viewer, KpbInput(1, 1, TODAY, 3, "Goed", "kpb-geheim"), TODAY)
        with pytest.raises(AccessDenied):
            log_feedback(fresh_db, viewer, FeedbackInput(1, TODAY, False, "rapportage", "fb-geheim"), TODAY)
    assert [a for a in _audit(fresh_db) if a[0] == "geweigerd"] == [("geweigerd", "stage", opl1.user_id)] * 3 + [
        ("geweigerd", "stage", a1.user_id)] * 3
    assert (_count(fresh_db, Gesprek), _count(fresh_db, Kpb), _count(fresh_db, FeedbackMoment)) == (14, 4, 9)
    # The owner's own resubmit still answers with the first save.
    assert log_gesprek(fresh_db, bg1, _input(submit_token="geheim"), TODAY) == gid
    assert log_kpb(fresh_db, bg1, KpbInput(1, 1, TODAY, 3, "Goed", "kpb-geheim"), TODAY) == kid
    assert log_feedback(fresh_db, bg1, FeedbackInput(1, TODAY, False, "rapportage", "fb-geheim"), TODAY) == fid


def test_an_aios_kpb_is_a_concept_without_a_level_until_the_observer_confirms_it(fresh_db):
    """Stage 1 (a1, bg1) has two vastgesteld KPB's on EPA1 (levels 2 and 3) in the fixture."""
    from data_access.gesprekken import confirm_kpb
    from data_access.queries.dossier import load_stage_dossier
    from data_access.queries.forms import load_pending_kpbs

    a1, bg1, bg2 = (viewer_for(fresh_db, u) for u in ("a1", "bg1", "bg2"))

    def counted():
        progress = load_stage_progress(fresh_db, bg1, StageSelection(TODAY)).set_index("stage_id").loc[1]
        dossier = load_stage_dossier(fresh_db, bg1, 1, TODAY)
        targets = dossier.epa_targets.set_index("epa_code")
        return (int(progress["kpb_done"]), len(dossier.kpbs), int(targets.loc["EPA1", "n_kpb"]),
                int(targets.loc["EPA1", "max_level"]), len(dossier.feedback))

    before = counted()
    assert before == (2, 2, 2, 3, 4)
    with pytest.raises(ValidationError) as err:
        log_kpb(fresh_db, a1, KpbInput(1, 1, TODAY, 9, " ", "a-0"), TODAY)
    assert err.value.fields == {"supervision_level": "Kies een supervisieniveau van 1 tot 5.",
                                "feedback": "Schrijf op wat er is geobserveerd of waar u feedback op wilt."}
    proposed = log_kpb(fresh_db, a1, KpbInput(1, 1, TODAY, 5, "Consult zelfstandig gedaan", "a-1"), TODAY)
    request = log_kpb(fresh_db, a1, KpbInput(1, 1, TODAY, None, "Graag observatie van een consult", "a-2"), TODAY)
    with Session(fresh_db) as s:
        k = s.get(Kpb, proposed)
        assert (k.status.value, k.supervision_level, k.proposed_level, k.observer_id, k.entered_by) == (
            "concept", None, 5, None, a1.user_id)
    assert counted() == before  # the aios' level 5 counts nowhere: not as done, not as reached
    assert load_pending_kpbs(fresh_db, bg1)[["id", "proposed_level"]].astype(object).values.tolist() == [
        [proposed, 5], [request, pd.NA]]
    assert load_pending_kpbs(fresh_db, a1)["id"].tolist() == [proposed, request]
    assert load_pending_kpbs(fresh_db, bg2).empty

    with pytest.raises(AccessDenied):  # an aios cannot confirm, nor a begeleider of another stage
        confirm_kpb(fresh_db, a1, proposed, 5, "Zelf bevestigd")
    with pytest.raises(AccessDenied):
        confirm_kpb(fresh_db, bg2, proposed, 4, "x")
    with pytest.raises(ValidationError) as err:
        confirm_kpb(fresh_db, bg1, proposed, None, " ")
    assert err.value.fields == {"supervision_level": "Kies een supervisieniveau van 1 tot 5.",
                                "feedback": "Schrijf de feedback op."}
    confirm_kpb(fresh_db, bg1, proposed, 4, "Zelfstandig, met een nabespreking")
    with pytest.raises(ValidationError):
        confirm_kpb(fresh_db, bg1, proposed, 4, "nogmaals")
    with Session(fresh_db) as s:
        k = s.get(Kpb, proposed)
        assert (k.status.value, k.supervision_level, k.observer_id, k.confirmed_by, k.feedback) == (
            "vastgesteld", 4, bg1.user_id, bg1.user_id, "Zelfstandig, met een nabespreking")
        moment = s.execute(select(FeedbackMoment).where(FeedbackMoment.date == TODAY)).scalar_one()
        assert (moment.kind.value, moment.asked_by_aios, moment.giver_id, moment.topic) == ("KPB", True, bg1.user_id, "EPA1")
    assert counted() == (3, 3, 3, 4, 5)  # the observer's level, not the aios' proposal
    assert load_pending_kpbs(fresh_db, bg1)["id"].tolist() == [request]
    assert [a for a in _audit(fresh_db) if a[1] == "kpb"] == [
        ("aangemaakt", "kpb", a1.user_id), ("aangemaakt", "kpb", a1.user_id), ("geweigerd", "kpb", a1.user_id),
        ("geweigerd", "kpb", bg2.user_id), ("vastgesteld", "kpb", bg1.user_id)]


def test_a_concept_startgesprek_writes_nothing_into_the_stageplan_until_vastgesteld(fresh_db):
    """Stage 3 (a3, bg2): stageplan not approved, one leerdoel (4) in the fixture."""
    a3, bg2 = viewer_for(fresh_db, "a3"), viewer_for(fresh_db, "bg2")

    def plan():
        with Session(fresh_db) as s:
            approved = s.execute(select(Stageplan.approved_at, Stageplan.approved_by).where(Stageplan.stage_id == 3)).one()
            goals = s.execute(select(Leerdoel.text).where(Leerdoel.stage_id == 3).order_by(Leerdoel.id)).scalars().all()
        return tuple(approved), goals

    gid = log_gesprek(fresh_db, a3, _input(
        stage_id=3, type=GesprekType.STARTGESPREK, date=D(2026, 2, 3), stageplan_approved=True, submit_token="s-1",
        leerdoelen=(NewLeerdoel("Zelfstandig een casus presenteren", CanMedsRole.COMMUNICATOR),)), TODAY)
    assert plan() == ((None, None), ["Leerdoel 4"])
    return_gesprek(fresh_db, bg2, gid, "Maak het leerdoel concreter.")
    log_gesprek(fresh_db, a3, _input(
        stage_id=3, type=GesprekType.STARTGESPREK, date=D(2026, 2, 3), stageplan_approved=True, submit_token="s-2",
        leerdoelen=(NewLeerdoel("Twee casussen presenteren voor week 6", CanMedsRole.COMMUNICATOR),)), TODAY, replaces=gid)
    assert plan() == ((None, None), ["Leerdoel 4"])  # a rewritten concept still writes nothing
    confirm_gesprek(fresh_db, bg2, gid)
    assert plan() == ((D(2026, 2, 3), bg2.user_id), ["Leerdoel 4", "Twee casussen presenteren voor week 6"])
    with Session(fresh_db) as s:
        assert s.get(Gesprek, gid).stageplan_proposal is None


def test_an_aios_verslag_cannot_carry_rubric_scores(fresh_db):
    """Rubric scores (formative or summative) are the begeleider's: an aios' evaluatiegesprek
    with scores is refused with a message, and nothing is written."""
    a1 = viewer_for(fresh_db, "a1")
    data = _input(type=GesprekType.EVALUATIEGESPREK, op_schema=OpSchema.JA, wat_gaat_goed="a", wat_kan_beter="b",
                  scores=((3, 4), (4, 4), (5, 4)))
    with pytest.raises(ValidationError) as err:
        log_gesprek(fresh_db, a1, data, TODAY)
    assert err.value.fields == {"scores": "De scores in de rubric geeft uw begeleider; uw verslag bevat geen scores."}
    assert (_count(fresh_db, Gesprek), _count(fresh_db, Beoordeling), _audit(fresh_db)) == (13, 10, [])


def test_a_kpb_request_sent_back_leaves_the_begeleiders_list_and_tells_the_aios_why(fresh_db):
    from data_access.gesprekken import confirm_kpb, return_kpb
    from data_access.queries.forms import load_pending_kpbs

    a1, bg1, bg2 = (viewer_for(fresh_db, u) for u in ("a1", "bg1", "bg2"))
    kid = log_kpb(fresh_db, a1, KpbInput(1, 2, TODAY, 3, "Overdracht gedaan", "r-1"), TODAY)
    with pytest.raises(ValidationError) as err:
        return_kpb(fresh_db, bg1, kid, " ")
    assert err.value.fields == {"remark": "Schrijf erbij waarom."}
    with pytest.raises(AccessDenied):
        return_kpb(fresh_db, bg2, kid, "Niet gezien")
    return_kpb(fresh_db, bg1, kid, "Niet door mij geobserveerd")
    assert load_pending_kpbs(fresh_db, bg1).empty
    assert load_pending_kpbs(fresh_db, a1)[["id", "return_remark"]].values.tolist() == [[kid, "Niet door mij geobserveerd"]]
    progress = load_stage_progress(fresh_db, bg1, StageSelection(TODAY)).set_index("stage_id").loc[1]
    assert progress["kpb_done"] == 2  # still counts nowhere
    confirm_kpb(fresh_db, bg1, kid, 3, "Toch gezien")  # the observer may still confirm it later
    assert [a for a in _audit(fresh_db) if a[1] == "kpb"] == [
        ("aangemaakt", "kpb", a1.user_id), ("geweigerd", "kpb", bg2.user_id), ("teruggestuurd", "kpb", bg1.user_id),
        ("vastgesteld", "kpb", bg1.user_id)]
