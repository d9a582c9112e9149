"""Feedback requests: the aios asks, the begeleider answers (KPB or feedback moment, linked in the
same transaction) or declines; refusals per role, idempotent submits, audit rows; the feedback
page's figures on a hand-made set; the begeleider's reminder (fixture, TODAY = 2026-03-02)."""

import datetime as dt
import threading

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.db import write_session
from data_access.errors import AccessDenied, ValidationError
from data_access.feedback_requests import RequestInput, ask_feedback, decline_request
from data_access.gesprekken import FeedbackInput, KpbInput, log_feedback, log_kpb
from data_access.models import (
    Aios,
    AuditLog,
    FeedbackMoment,
    FeedbackRequest,
    FeedbackRequestKind,
    Kpb,
    KpbInitiator,
    ReminderKind,
    StageBegeleider,
)
from data_access.queries.feedback import load_request_response
from data_access.queries.feedback_requests import load_feedback_requests
from data_access.queries.filters import StageSelection
from data_access.queries.progress import load_stage_progress
from data_access.reminders import set_reminder_preference
from data_access.reminders.due import due_items
from data_access.reminders.preferences import load_reminder_preferences
from data_access.settings import Settings
from data_access.viewer import viewer_for
from tests.fixture_data import TODAY

D = dt.date
KPB, FEEDBACK = FeedbackRequestKind.KPB, FeedbackRequestKind.FEEDBACK
BG1, BG2, BG3 = 1, 2, 3  # stagebegeleider ids; user ids 5, 6, 7


def _ask(engine, who="a1", today=TODAY, **kw):
    base = {"stage_id": 1, "begeleider_id": BG1, "kind": KPB, "epa_id": 1, "topic": "Slecht-nieuwsgesprek",
            "wished_date": None, "submit_token": "vraag-1"}
    return ask_feedback(engine, viewer_for(engine, who), RequestInput(**(base | kw)), today)


def _audit(engine, since: int = 0) -> list[tuple]:
    with Session(engine) as s:
        return s.execute(select(AuditLog.action, AuditLog.entity, AuditLog.entity_id, AuditLog.user_id)
                         .where(AuditLog.id > since).order_by(AuditLog.id)).all()


def _last_audit_id(engine) -> int:
    with Session(engine) as s:
        return s.execute(select(func.coalesce(func.max(AuditLog.id), 0))).scalar_one()


def _count(engine, model) -> int:
    with Session(engine) as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def _request(engine, request_id: int) -> FeedbackRequest:
    with Session(engine) as s:
        return s.get(FeedbackRequest, request_id)


def _kpb(engine, request_id, who="bg1", token="kpb-1", today=TODAY, date=None, stage_id=1, epa_id=1):
    data = KpbInput(stage_id, epa_id, date or today, 3, "Goed gestructureerd gesprek.", token, request_id=request_id)
    return log_kpb(engine, viewer_for(engine, who), data, today)


# --- asking -----------------------------------------------------------------------------------


def test_the_aios_asks_their_begeleider_once_per_submit(fresh_db):
    before = _last_audit_id(fresh_db)
    first = _ask(fresh_db, wished_date=D(2026, 3, 9))
    again = _ask(fresh_db, wished_date=D(2026, 3, 9))  # double click: the same token
    assert first == again == 1
    assert _count(fresh_db, FeedbackRequest) == 1
    r = _request(fresh_db, 1)
    assert (r.stage_id, r.begeleider_id, r.asked_by, r.kind, r.epa_id, r.topic, r.wished_date, r.asked_on,
            r.answered_on, r.declined_on) == (1, BG1, 8, KPB, 1, "Slecht-nieuwsgesprek", D(2026, 3, 9), TODAY,
                                              None, None)
    assert _audit(fresh_db, before) == [("gevraagd", "feedbackvraag", 1, 8)]


def test_feedback_on_a_topic_needs_no_epa(fresh_db):
    rid = _ask(fresh_db, kind=FEEDBACK, epa_id=None, topic="  Overdracht aan de avonddienst ")
    r = _request(fresh_db, rid)
    assert (r.kind, r.epa_id, r.topic) == (FEEDBACK, None, "Overdracht aan de avonddienst")


@pytest.mark.parametrize(("kw", "errors"), [
    ({"kind": None, "begeleider_id": None},
     {"kind": "Kies of u feedback of een KPB vraagt.", "begeleider": "Kies de begeleider aan wie u het vraagt."}),
    ({"epa_id": None}, {"epa": "Kies de EPA waarop u een KPB vraagt."}),
    ({"kind": FEEDBACK, "epa_id": None, "topic": "  "}, {"topic": "Schrijf waar u feedback op wilt, of kies een EPA."}),
    ({"topic": "x" * 301}, {"topic": "Deze tekst is te lang: maximaal 300 tekens (nu 301)."}),
    ({"wished_date": D(2026, 3, 1)}, {"wished_date": "De gewenste datum ligt in het verleden."}),
    ({"wished_date": D(2026, 4, 6)}, {"wished_date": "De gewenste datum valt na het einde van de stage (05-04-2026)."}),
    ({"stage_id": 5}, {"stage": "U kunt feedback vragen tijdens een lopende stage."}),  # a1's ended stage
])
def test_what_the_aios_typed_wrong_is_said_at_the_field(fresh_db, kw, errors):
    with pytest.raises(ValidationError) as err:
        _ask(fresh_db, **({"begeleider_id": BG2} if kw.get("stage_id") == 5 else {}) | kw)
    assert err.value.fields == errors
    assert _count(fresh_db, FeedbackRequest) == 0


def test_an_epa_of_another_programme_is_refused_at_the_field(fresh_db):
    with pytest.raises(ValidationError) as err:
        _ask(fresh_db, who="a4", stage_id=4, begeleider_id=BG3, epa_id=1)
    assert err.value.fields == {"epa": "Deze EPA hoort niet bij uw opleiding."}


@pytest.mark.parametrize(("who", "kw"), [
    ("a1", {"begeleider_id": BG2}),  # a begeleider who is not of the aios' stage
    ("a1", {"stage_id": 3, "begeleider_id": BG2}),  # another aios' stage
    ("bg1", {}),  # only the aios asks
    ("opl1", {}),
    ("com1", {}),
    ("admin", {}),
])
def test_asking_outside_ones_own_stage_is_refused_and_audited(fresh_db, who, kw):
    before = _last_audit_id(fresh_db)
    with pytest.raises(AccessDenied):
        _ask(fresh_db, who=who, **kw)
    assert _count(fresh_db, FeedbackRequest) == 0
    viewer = viewer_for(fresh_db, who)
    assert _audit(fresh_db, before) == [("geweigerd", "stage", kw.get("stage_id", 1), viewer.user_id)]


def test_someone_elses_token_is_no_answer(fresh_db):
    _ask(fresh_db)
    with pytest.raises(AccessDenied):
        _ask(fresh_db, who="a3", stage_id=3, begeleider_id=BG2)
    assert _count(fresh_db, FeedbackRequest) == 1


# --- limits: each request mails the begeleider -----------------------------------------------------

OPEN_LIMIT_MESSAGE = ("U heeft al 3 open vragen bij deze begeleider. Een nieuwe vraag kan zodra de begeleider er "
                      "een heeft beantwoord of afgewezen, of zodra een vraag na 14 dagen is verlopen.")
DAY_LIMIT_MESSAGE = ("U heeft vandaag al 10 feedbackvragen gesteld, het maximum per dag. Morgen kunt u weer "
                     "feedback vragen.")


def test_the_limits_a_programme_starts_with():
    assert (Settings().feedback_request_open_limit, Settings().feedback_request_day_limit) == (3, 10)


def test_a_fourth_open_request_to_one_begeleider_is_refused_until_one_is_answered_or_declined(fresh_db):
    # Spread over days, so only the open limit applies.
    asked = [_ask(fresh_db, submit_token=f"open-{n}", today=TODAY + dt.timedelta(days=n)) for n in range(3)]
    assert asked == [1, 2, 3]
    day, before = TODAY + dt.timedelta(days=3), _last_audit_id(fresh_db)
    with pytest.raises(ValidationError) as err:
        _ask(fresh_db, submit_token="open-3", today=day, kind=FEEDBACK, epa_id=None, topic="Iets anders")
    assert err.value.fields == {"begeleider": OPEN_LIMIT_MESSAGE}
    assert _count(fresh_db, FeedbackRequest) == 3  # nothing written: no request,
    assert _audit(fresh_db, before) == []  # no audit row (a field error, like the others)
    assert _ask(fresh_db, submit_token="open-2", today=day) == 3  # a resubmit of the third is no new request
    decline_request(fresh_db, viewer_for(fresh_db, "bg1"), asked[0], "Vraag het volgende week.", day)
    fourth = _ask(fresh_db, submit_token="open-3", today=day)
    assert fourth == 4 and _request(fresh_db, fourth).asked_on == day
    with pytest.raises(ValidationError) as err:  # three open again
        _ask(fresh_db, submit_token="open-4", today=day)
    assert err.value.fields == {"begeleider": OPEN_LIMIT_MESSAGE}
    _kpb(fresh_db, asked[1], today=day)  # answering frees a place as well
    assert _ask(fresh_db, submit_token="open-4", today=day) == 5
    assert _count(fresh_db, FeedbackRequest) == 5
    # Three open again (asked on days 2, 3 and 3). Day 2's expires when 14 days old, on day 16:
    # from then on it holds no place, so a begeleider who never answers blocks nobody for good.
    with pytest.raises(ValidationError):
        _ask(fresh_db, submit_token="open-5", today=TODAY + dt.timedelta(days=15))
    assert _ask(fresh_db, submit_token="open-5", today=TODAY + dt.timedelta(days=16)) == 6


def test_the_open_limit_is_per_begeleider_and_a_setting(fresh_db):
    with Session(fresh_db) as s, s.begin():  # a second begeleider on a1's stage
        s.add(StageBegeleider(stage_id=1, begeleider_id=BG2, is_primary=False))
    for n in range(3):
        _ask(fresh_db, submit_token=f"bg1-{n}", today=TODAY + dt.timedelta(days=n))
    assert _ask(fresh_db, begeleider_id=BG2, submit_token="bg2-0", today=TODAY + dt.timedelta(days=2)) == 4
    _ask(fresh_db, who="a4", stage_id=4, begeleider_id=BG3, kind=FEEDBACK, epa_id=None, submit_token="a4-0")
    with pytest.raises(ValidationError) as err:  # another installation's setting: 1 open
        ask_feedback(fresh_db, viewer_for(fresh_db, "a4"),
                     RequestInput(4, BG3, FEEDBACK, None, "Overdracht", None, "a4-1"), TODAY, open_limit=1)
    assert err.value.fields == {"begeleider": "U heeft al 1 open vraag bij deze begeleider. Een nieuwe vraag kan "
                                              "zodra de begeleider er een heeft beantwoord of afgewezen, of zodra "
                                              "een vraag na 14 dagen is verlopen."}
    assert _count(fresh_db, FeedbackRequest) == 5


def test_an_eleventh_request_on_one_day_is_refused_and_the_next_day_is_accepted(fresh_db):
    bg1 = viewer_for(fresh_db, "bg1")
    for n in range(10):  # each declined at once: the open limit never applies
        rid = _ask(fresh_db, submit_token=f"dag-{n}")
        decline_request(fresh_db, bg1, rid, "Niet vandaag.", TODAY)
    before = _last_audit_id(fresh_db)
    with pytest.raises(ValidationError) as err:
        _ask(fresh_db, submit_token="dag-10")
    assert err.value.fields == {"_": DAY_LIMIT_MESSAGE}
    assert _count(fresh_db, FeedbackRequest) == 10 and _audit(fresh_db, before) == []
    with pytest.raises(ValidationError) as err:  # with a field error too, both are said
        _ask(fresh_db, submit_token="dag-10", wished_date=TODAY - dt.timedelta(days=1))
    assert err.value.fields == {"wished_date": "De gewenste datum ligt in het verleden.", "_": DAY_LIMIT_MESSAGE}
    tomorrow = TODAY + dt.timedelta(days=1)
    assert _ask(fresh_db, submit_token="dag-10", today=tomorrow) == 11
    assert _request(fresh_db, 11).asked_on == tomorrow
    assert _count(fresh_db, FeedbackRequest) == 11


def test_two_asks_at_once_cannot_both_take_the_last_open_place(fresh_db):
    """A concurrent ask of the same aios holds the aios' row (and its new request) uncommitted;
    this ask waits for it and then counts that request: refused, not a fourth open one."""
    for n in range(2):
        _ask(fresh_db, submit_token=f"open-{n}", today=TODAY + dt.timedelta(days=n))
    day = TODAY + dt.timedelta(days=2)
    outcome: list[object] = []
    with write_session(fresh_db) as other, other.begin():
        other.execute(select(Aios.id).where(Aios.user_id == 8).with_for_update(key_share=True)).one()
        other.add(FeedbackRequest(stage_id=1, begeleider_id=BG1, asked_by=8, kind=KPB, epa_id=1, asked_on=day,
                                  submit_token="ander-tabblad"))
        other.flush()

        def ask():
            try:
                outcome.append(_ask(fresh_db, submit_token="open-2", today=day))
            except ValidationError as exc:
                outcome.append(exc.fields)

        worker = threading.Thread(target=ask)
        worker.start()
        worker.join(1.0)  # it waits for the lock (a counted snapshot would have saved by now)
        assert worker.is_alive() and outcome == []
    worker.join(30)
    assert outcome == [{"begeleider": OPEN_LIMIT_MESSAGE}]
    assert _count(fresh_db, FeedbackRequest) == 3


# --- declining ----------------------------------------------------------------------------------


def test_the_begeleider_declines_with_a_reason_the_aios_reads(fresh_db):
    rid = _ask(fresh_db)
    bg1 = viewer_for(fresh_db, "bg1")
    with pytest.raises(ValidationError) as err:
        decline_request(fresh_db, bg1, rid, "  ", TODAY)
    assert err.value.fields == {"reason": "Schrijf erbij waarom u de vraag afwijst."}
    before = _last_audit_id(fresh_db)
    decline_request(fresh_db, bg1, rid, "Deze week niet op de poli; vraag Bea.", TODAY)
    decline_request(fresh_db, bg1, rid, "Deze week niet op de poli; vraag Bea.", TODAY)  # double submit
    r = _request(fresh_db, rid)
    assert (r.declined_on, r.decline_reason, r.answered_on) == (TODAY, "Deze week niet op de poli; vraag Bea.", None)
    assert _audit(fresh_db, before) == [("afgewezen", "feedbackvraag", rid, 5)]
    with pytest.raises(ValidationError) as err:
        decline_request(fresh_db, bg1, rid, "Andere reden", TODAY)
    assert err.value.fields == {"_": "Deze feedbackvraag is al afgewezen."}
    mine = load_feedback_requests(fresh_db, viewer_for(fresh_db, "a1"), today=TODAY, expiry_days=14)
    assert mine[["id", "status", "decline_reason"]].values.tolist() == [
        [rid, "afgewezen", "Deze week niet op de poli; vraag Bea."]]


@pytest.mark.parametrize("who", ["bg2", "a1", "opl1", "com1", "admin"])
def test_only_the_asked_begeleider_declines(fresh_db, who):
    rid = _ask(fresh_db)
    before = _last_audit_id(fresh_db)
    with pytest.raises(AccessDenied):
        decline_request(fresh_db, viewer_for(fresh_db, who), rid, "Geen tijd", TODAY)
    assert _request(fresh_db, rid).declined_on is None
    assert _audit(fresh_db, before) == [("geweigerd", "feedbackvraag", rid, viewer_for(fresh_db, who).user_id)]


# --- answering ----------------------------------------------------------------------------------


def _kpb_done(engine, stage_id=1) -> int:
    progress = load_stage_progress(engine, viewer_for(engine, "a1"), StageSelection(today=TODAY))
    return int(progress.set_index("stage_id").loc[stage_id, "kpb_done"])


def test_a_kpb_saved_from_the_request_answers_it_in_the_same_transaction(fresh_db):
    rid = _ask(fresh_db)
    assert _kpb_done(fresh_db) == 2
    before = _last_audit_id(fresh_db)
    kpb_id = _kpb(fresh_db, rid)
    assert _kpb(fresh_db, rid) == kpb_id == 4  # double submit: the same KPB, answered once
    r = _request(fresh_db, rid)
    assert (r.answered_on, r.kpb_id, r.feedback_moment_id) == (TODAY, 4, None)
    assert _audit(fresh_db, before) == [("aangemaakt", "kpb", 4, 5), ("beantwoord", "feedbackvraag", rid, 5)]
    with Session(fresh_db) as s:
        kpb = s.get(Kpb, 4)
        moment = s.execute(select(FeedbackMoment).order_by(FeedbackMoment.id.desc()).limit(1)).scalar_one()
    assert (kpb.initiated_by, kpb.supervision_level, kpb.observer_id) == (KpbInitiator.AIOS, 3, 5)
    assert (moment.kind.value, moment.asked_by_aios, moment.topic) == ("KPB", True, "EPA1")
    assert _kpb_done(fresh_db) == 3  # counts toward the target
    mine = load_feedback_requests(fresh_db, viewer_for(fresh_db, "a1"), today=TODAY, expiry_days=14)
    assert mine[["id", "status", "kpb_id", "expired"]].values.tolist() == [[rid, "beantwoord", 4, False]]


def test_an_answered_request_is_not_answered_twice_and_nothing_is_saved(fresh_db):
    rid = _ask(fresh_db)
    _kpb(fresh_db, rid)
    kpbs = _count(fresh_db, Kpb)
    with pytest.raises(ValidationError) as err:
        _kpb(fresh_db, rid, token="kpb-2")
    assert err.value.fields == {"_": "Deze feedbackvraag is al beantwoord."}
    assert _count(fresh_db, Kpb) == kpbs  # the whole save was rolled back
    with pytest.raises(ValidationError) as err:
        decline_request(fresh_db, viewer_for(fresh_db, "bg1"), rid, "Te laat", TODAY)
    assert err.value.fields == {"_": "Deze feedbackvraag is al beantwoord."}


def test_a_feedback_moment_saved_from_the_request_answers_it(fresh_db):
    rid = _ask(fresh_db, kind=FEEDBACK, epa_id=None, topic="Overdracht")
    before = _last_audit_id(fresh_db)
    fid = log_feedback(fresh_db, viewer_for(fresh_db, "bg1"),
                       FeedbackInput(1, TODAY, False, "Overdracht", "fb-1", request_id=rid), TODAY)
    assert fid == 8
    r = _request(fresh_db, rid)
    assert (r.answered_on, r.kpb_id, r.feedback_moment_id) == (TODAY, None, 8)
    with Session(fresh_db) as s:
        assert s.get(FeedbackMoment, 8).asked_by_aios is True
    assert _audit(fresh_db, before) == [("aangemaakt", "feedbackmoment", 8, 5), ("beantwoord", "feedbackvraag", rid, 5)]


@pytest.mark.parametrize(("who", "stage_id"), [
    ("bg2", 3),  # another begeleider, on their own stage: the request is not theirs
    ("a1", 1),  # the aios does not answer their own request
    ("opl1", 1),  # the opleider may log a KPB, but the request was asked of the begeleider
])
def test_answering_a_request_that_is_not_yours_is_refused_and_saves_nothing(fresh_db, who, stage_id):
    rid = _ask(fresh_db)
    kpbs, before = _count(fresh_db, Kpb), _last_audit_id(fresh_db)
    with pytest.raises(AccessDenied):
        _kpb(fresh_db, rid, who=who, stage_id=stage_id)
    assert _count(fresh_db, Kpb) == kpbs
    assert _request(fresh_db, rid).answered_on is None
    assert _audit(fresh_db, before) == [("geweigerd", "feedbackvraag", rid, viewer_for(fresh_db, who).user_id)]


def test_a_request_of_an_ended_stage_is_answered_on_that_stage_with_a_date_within_it(fresh_db):
    """a2 asked during stage 2 (bg1, 01-09-2025 .. 30-11-2025), which has ended by TODAY. The answer
    goes on stage 2 only: not on bg1's running stage 1 (another aios), and with a date within
    stage 2 and its 14 days' margin, which the message at the date field names."""
    rid = _ask(fresh_db, who="a2", today=D(2025, 10, 1), stage_id=2, submit_token="vraag-afgelopen")
    kpbs, before = _count(fresh_db, Kpb), _last_audit_id(fresh_db)
    with pytest.raises(AccessDenied):
        _kpb(fresh_db, rid, stage_id=1)
    with pytest.raises(ValidationError) as err:
        _kpb(fresh_db, rid, stage_id=2, token="kpb-2")
    assert err.value.fields == {"date": "De datum valt buiten de stage (01-09-2025 t/m 30-11-2025, met 14 dagen "
                                        "marge): kies een datum van 18-08-2025 t/m 14-12-2025."}
    assert (_count(fresh_db, Kpb), _request(fresh_db, rid).answered_on) == (kpbs, None)
    assert _audit(fresh_db, before) == [("geweigerd", "feedbackvraag", rid, 5)]
    kpb_id = _kpb(fresh_db, rid, stage_id=2, token="kpb-3", date=D(2025, 12, 14))
    with Session(fresh_db) as s:
        assert (s.get(Kpb, kpb_id).stage_id, s.get(Kpb, kpb_id).date) == (2, D(2025, 12, 14))
    r = _request(fresh_db, rid)
    assert (r.answered_on, r.kpb_id) == (TODAY, kpb_id)


# --- who sees which requests ----------------------------------------------------------------------


def test_each_role_sees_the_requests_it_may(fresh_db):
    r1 = _ask(fresh_db)
    r2 = _ask(fresh_db, who="a3", stage_id=3, begeleider_id=BG2, submit_token="vraag-2",
              today=D(2026, 2, 10), kind=FEEDBACK, epa_id=None, topic="Rapportage")

    def ids(who, **kw):
        return load_feedback_requests(fresh_db, viewer_for(fresh_db, who), today=TODAY, expiry_days=14, **kw)["id"].tolist()

    assert (ids("a1"), ids("a3"), ids("bg1"), ids("bg2"), ids("bg3")) == ([r1], [r2], [r1], [r2], [])
    assert (ids("opl1"), ids("admin"), ids("com1")) == ([r1], [r1, r2], [])
    frame = load_feedback_requests(fresh_db, viewer_for(fresh_db, "bg2"), today=TODAY, expiry_days=14, open_only=True)
    assert frame[["aios_name", "topic", "status", "days_open", "expired"]].values.tolist() == [
        ["Cees Aios", "Rapportage", "open", 20, True]]


# --- the feedback page's figures --------------------------------------------------------------------


def _hand_made_set(engine) -> None:
    """bg1 (GGD Noord, a1): answered in 3 and 20 days, one declined, one open since 20 days, one
    open since 5 days. bg2 (Arbodienst Zuid, a3): one answered in 1 day. The first three are
    answered or declined before a1 asks again (at most 3 open with one begeleider)."""
    a1 = {"stage_id": 1, "begeleider_id": BG1}
    r1 = _ask(engine, **a1, submit_token="h1", today=D(2026, 1, 10))
    r2 = _ask(engine, **a1, submit_token="h2", today=D(2026, 1, 20))
    r3 = _ask(engine, **a1, submit_token="h3", today=D(2026, 2, 1))
    _kpb(engine, r1, token="k1", today=D(2026, 1, 13))
    _kpb(engine, r2, token="k2", today=D(2026, 2, 9))
    decline_request(engine, viewer_for(engine, "bg1"), r3, "Niet mijn dienst", D(2026, 2, 3))
    _ask(engine, **a1, submit_token="h4", today=D(2026, 2, 10))
    _ask(engine, **a1, submit_token="h5", today=D(2026, 2, 25))
    r6 = _ask(engine, who="a3", stage_id=3, begeleider_id=BG2, submit_token="h6", today=D(2026, 2, 5))
    _kpb(engine, r6, who="bg2", stage_id=3, token="k6", today=D(2026, 2, 6))


COLUMNS = ["name", "aios", "asked", "answered", "declined", "open", "median_days", "due", "expired", "expired_share"]
BG1_ROW = [1, 5, 2, 1, 2, 11.5, 4, 2, 0.5]
BG2_ROW = [1, 1, 1, 0, 0, 1.0, 1, 0, 0.0]


def _rows(engine, who, by, threshold=3):
    frame = load_request_response(engine, viewer_for(engine, who), by=by, today=TODAY, expiry_days=14,
                                  threshold=threshold)
    return [[None if pd.isna(v) else v for v in row] for row in frame[COLUMNS].astype(object).values.tolist()]


def test_asked_versus_answered_per_begeleider_and_per_site_exactly(fresh_db):
    _hand_made_set(fresh_db)
    assert _rows(fresh_db, "admin", "begeleider") == [["Bea Begeleider", *BG2_ROW], ["Bram Begeleider", *BG1_ROW]]
    assert _rows(fresh_db, "admin", "stageplaats") == [["Arbodienst Zuid", *BG2_ROW], ["GGD Noord", *BG1_ROW]]
    # 7 days as the setting: r2 (20 days) and r4 expired, r5 (5 days) not yet due, r1 (3 days) in time.
    frame = load_request_response(fresh_db, viewer_for(fresh_db, "admin"), by="begeleider", today=TODAY,
                                  expiry_days=7, threshold=3)
    assert frame[["due", "expired"]].astype(int).values.tolist() == [[1, 0], [4, 2]]


def test_the_figures_respect_the_anonymity_rules(fresh_db):
    _hand_made_set(fresh_db)
    # opl1 follows a1 (MG 2024), not a3: a begeleider cuts the disclosure cells, so only the
    # aios opl1 sees one by one count; a3's begeleider has no row.
    assert _rows(fresh_db, "opl1", "begeleider") == [["Bram Begeleider", *BG1_ROW]]
    # The committee sees no aios one by one: each site's requests are one aios, alone in its
    # cell (site × year the stage started), so no site has a row.
    assert _rows(fresh_db, "com1", "stageplaats") == []
    assert _rows(fresh_db, "com1", "stageplaats", threshold=1) == [["Arbodienst Zuid", *BG2_ROW],
                                                                   ["GGD Noord", *BG1_ROW]]
    # A begeleider sees their own requests only.
    assert _rows(fresh_db, "bg2", "begeleider") == [["Bea Begeleider", *BG2_ROW]]


# --- the reminder ---------------------------------------------------------------------------------


def test_open_requests_remind_the_asked_begeleider(fresh_db):
    answered, open_one = _ask(fresh_db), _ask(fresh_db, submit_token="vraag-2", kind=FEEDBACK)
    _kpb(fresh_db, answered)
    items = [i for i in due_items(fresh_db, TODAY, Settings()) if i.kind is ReminderKind.FEEDBACKVRAGEN]
    assert [(i.user_id, i.thing_key) for i in items] == [(5, f"feedbackvraag:{open_one}")]
    bg1 = viewer_for(fresh_db, "bg1")
    prefs = load_reminder_preferences(fresh_db, bg1)
    assert prefs[prefs["kind"] == "feedbackvragen"]["frequentie"].tolist() == ["direct"]
    set_reminder_preference(fresh_db, bg1, "feedbackvragen", "wekelijks")
    prefs = load_reminder_preferences(fresh_db, bg1)
    assert prefs[prefs["kind"] == "feedbackvragen"]["frequentie"].tolist() == ["wekelijks"]


def test_only_the_asked_begeleider_answers_or_declines_not_a_second_begeleider_of_the_stage(fresh_db):
    """The aios chose whom to ask: a second begeleider of the same stage (bg2 here) sees the stage
    but cannot close a request addressed to bg1, neither by declining nor by a KPB that names it.
    The rule, decided: the asked begeleider answers; the other logs a KPB of their own."""
    with Session(fresh_db) as s, s.begin():
        s.add(StageBegeleider(stage_id=1, begeleider_id=BG2, is_primary=False))
    rid = _ask(fresh_db)  # to bg1
    with pytest.raises(AccessDenied):
        decline_request(fresh_db, viewer_for(fresh_db, "bg2"), rid, "Niet aan mij gevraagd.", TODAY)
    with pytest.raises(AccessDenied, match="U heeft geen toegang tot deze aios of dit gesprek."):
        _kpb(fresh_db, rid, who="bg2", token="kpb-bg2")
    r = _request(fresh_db, rid)
    assert (r.answered_on, r.declined_on, r.kpb_id) == (None, None, None)
    kpb_id = _kpb(fresh_db, rid)  # bg1, the one asked, answers it
    r = _request(fresh_db, rid)
    assert (r.answered_on, r.kpb_id) == (TODAY, kpb_id)
