"""Meetings of the stagecommissie: prepared, held item by item, closed; decisions through the
committee's own decision write; refusals per role; audit rows; double submits; response rate
(fixture, TODAY = 2026-03-02: com1 sits for MG, whose sites are S1 GGD Noord and S2 Arbodienst
Zuid; S3 Praktijk West is HAG)."""

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.errors import AccessDenied, ValidationError
from data_access.meetings import (
    AgendaEntry,
    MeetingInput,
    OutcomeInput,
    change_meeting,
    close_meeting,
    load_meeting,
    load_meetings,
    open_meeting_id,
    prepare_meeting,
    record_outcome,
    save_outcome,
    start_meeting,
)
from data_access.commands import record_decision
from data_access.models import (
    AgendaReason,
    AuditLog,
    CommitteeDecision,
    Decision,
    Meeting,
    MeetingItem,
    Stageplaats,
    StageplaatsRating,
    StageplaatsStatus,
)
from data_access.queries.response import load_response_rate, load_thin_rating_flags
from data_access.viewer import viewer_for
from tests.fixture_data import TODAY, uid

MEETING_DAY = dt.date(2026, 3, 9)
LATER = dt.date(2026, 6, 1)


def _input(**kw) -> MeetingInput:
    base = {"opleiding_id": 1, "date": MEETING_DAY, "chair": "Carla Commissie",
            "attendees": "Carla Commissie\n  Piet Secretaris \n\n", "submit_token": "m-1",
            "agenda": (AgendaEntry(1, AgendaReason.SIGNAAL), AgendaEntry(2, AgendaReason.HANDMATIG))}
    return MeetingInput(**(base | kw))


def _decide(meeting_id: int, stageplaats_id: int, **kw) -> OutcomeInput:
    base = {"meeting_id": meeting_id, "stageplaats_id": stageplaats_id, "decision": Decision.GESPREK, "discussed_only": False, "rationale": "Begeleiding onder de maat.",
            "follow_up_date": LATER, "notes": "Opleider belt de praktijk.", "submit_token": "o-1"}
    return OutcomeInput(**(base | kw))


def _audit(engine) -> list[tuple]:
    with Session(engine) as s:
        return s.execute(select(AuditLog.action, AuditLog.entity, AuditLog.entity_id, AuditLog.user_id)
                         .order_by(AuditLog.id)).all()


def _count(engine, model) -> int:
    with Session(engine) as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def _held(engine) -> tuple[int, list[int]]:
    com = viewer_for(engine, "com1")
    mid = prepare_meeting(engine, com, _input())
    start_meeting(engine, com, mid)
    return mid, load_meeting(engine, com, meeting_id=mid).items["id"].tolist()


def test_the_committee_prepares_a_meeting_with_its_agenda_in_order(fresh_db):
    com = viewer_for(fresh_db, "com1")
    mid = prepare_meeting(fresh_db, com, _input())
    meeting = load_meeting(fresh_db, com, meeting_id=mid)
    assert (meeting.date, meeting.chair, meeting.attendees, meeting.status, meeting.opleiding) == (
        MEETING_DAY, "Carla Commissie", ("Carla Commissie", "Piet Secretaris"), "voorbereid", "Arts M&G")
    assert meeting.items[["position", "stageplaats", "reason", "status"]].values.tolist() == [
        [1, "GGD Noord", "signaal", "te bespreken"], [2, "Arbodienst Zuid", "handmatig toegevoegd", "te bespreken"]]
    assert _audit(fresh_db) == [("voorbereid", "vergadering", mid, uid("com1"))]
    listed = load_meetings(fresh_db, com)
    assert listed[["id", "status", "items", "decided", "discussed"]].values.tolist() == [[mid, "voorbereid", 2, 0, 0]]


def test_a_double_submit_of_the_preparation_makes_one_meeting(fresh_db):
    com = viewer_for(fresh_db, "com1")
    assert prepare_meeting(fresh_db, com, _input()) == prepare_meeting(fresh_db, com, _input())
    assert (_count(fresh_db, Meeting), _count(fresh_db, MeetingItem)) == (1, 2)
    assert [a[0] for a in _audit(fresh_db)] == ["voorbereid"]


@pytest.mark.parametrize(("changes", "errors"), [
    ({"date": None, "chair": " ", "attendees": "", "agenda": ()},
     {"date": "Kies de datum van de vergadering.", "chair": "Vul de voorzitter in.",
      "attendees": "Vul de aanwezigen in, één per regel.", "agenda": "Zet minstens één stageplaats op de agenda."}),
    ({"opleiding_id": None}, {"opleiding_id": "Kies de opleiding van de vergadering."}),
    ({"notes": "x" * 2001}, {"notes": "Deze tekst is te lang: maximaal 2000 tekens (nu 2001)."}),
])
def test_a_preparation_with_errors_says_what_per_field_and_writes_nothing(fresh_db, changes, errors):
    with pytest.raises(ValidationError) as err:
        prepare_meeting(fresh_db, viewer_for(fresh_db, "com1"), _input(**changes))
    assert err.value.fields == errors
    assert (_count(fresh_db, Meeting), _audit(fresh_db)) == (0, [])


@pytest.mark.parametrize("username", ["opl1", "bg1", "a1"])
def test_other_roles_cannot_prepare_a_meeting_and_are_audited(fresh_db, username):
    with pytest.raises(AccessDenied):
        prepare_meeting(fresh_db, viewer_for(fresh_db, username), _input())
    assert _count(fresh_db, Meeting) == 0
    assert _audit(fresh_db) == [("geweigerd", "vergadering", None, uid(username))]


def test_the_committee_cannot_put_a_site_of_another_programme_on_its_agenda(fresh_db):
    com = viewer_for(fresh_db, "com1")
    with pytest.raises(AccessDenied):
        prepare_meeting(fresh_db, com, _input(agenda=(AgendaEntry(3, AgendaReason.HANDMATIG),)))
    with pytest.raises(AccessDenied):
        prepare_meeting(fresh_db, com, _input(opleiding_id=2, agenda=(AgendaEntry(3, AgendaReason.HANDMATIG),),
                                              submit_token="m-2"))
    assert _count(fresh_db, Meeting) == 0
    assert [a[0] for a in _audit(fresh_db)] == ["geweigerd", "geweigerd"]


def test_a_prepared_meeting_can_change_its_agenda_until_it_starts(fresh_db):
    com = viewer_for(fresh_db, "com1")
    mid = prepare_meeting(fresh_db, com, _input())
    change_meeting(fresh_db, com, mid, _input(agenda=(AgendaEntry(2, AgendaReason.HANDMATIG),), chair="Piet"))
    meeting = load_meeting(fresh_db, com, meeting_id=mid)
    assert (meeting.chair, meeting.items["stageplaats_id"].tolist()) == ("Piet", [2])
    start_meeting(fresh_db, com, mid)
    with pytest.raises(ValidationError) as err:
        change_meeting(fresh_db, com, mid, _input())
    assert err.value.fields == {"_": "Deze vergadering is begonnen: de agenda ligt vast."}
    assert [a[0] for a in _audit(fresh_db)] == ["voorbereid", "gewijzigd", "geopend"]


def test_a_decision_in_the_meeting_is_a_committee_decision_and_moves_the_site(fresh_db):
    com = viewer_for(fresh_db, "com1")
    mid, (first, second) = _held(fresh_db)
    assert open_meeting_id(fresh_db, com) == mid
    decision_id = record_outcome(fresh_db, com, first, _decide(mid, 1, decision=Decision.REMEDIERINGSPLAN), TODAY)
    assert record_outcome(fresh_db, com, second, _decide(mid, 2, discussed_only=True, decision=None, rationale="",
                                                         follow_up_date=None, notes="Volgend jaar terug.",
                                                         submit_token="o-2"), TODAY) is None
    with Session(fresh_db) as s:
        row = s.get(CommitteeDecision, decision_id)
        assert (row.stageplaats_id, row.decision, row.rationale, row.follow_up_date, row.decided_by) == (
            1, Decision.REMEDIERINGSPLAN, "Begeleiding onder de maat.", LATER, uid("com1"))
        assert s.get(Stageplaats, 1).status.value == "in remediëring"
        assert s.get(Stageplaats, 2).status.value == "actief"
    items = load_meeting(fresh_db, com, meeting_id=mid).items
    assert items[["status", "decision", "notes"]].values.tolist() == [
        ["besluit", "remediëringsplan", "Opleider belt de praktijk."], ["besproken", None, "Volgend jaar terug."]]
    assert _audit(fresh_db)[2:] == [("besloten", "stageplaats", 1, uid("com1")),
                                    ("besproken", "vergaderpunt", first, uid("com1")),
                                    ("besproken", "vergaderpunt", second, uid("com1"))]


def test_no_decision_is_saved_without_choosing_one(fresh_db):
    com = viewer_for(fresh_db, "com1")
    mid, (first, _) = _held(fresh_db)
    with pytest.raises(ValidationError) as err:
        record_outcome(fresh_db, com, first, _decide(mid, 1, decision=None, rationale="", follow_up_date=None), TODAY)
    assert err.value.fields == {"decision": "Kies een besluit.", "rationale": "Geef een motivering voor het besluit."}
    assert (_count(fresh_db, CommitteeDecision), load_meeting(fresh_db, com, meeting_id=mid).items["status"].tolist()) == (
        0, ["te bespreken", "te bespreken"])


def test_a_double_submit_of_a_decision_records_it_once(fresh_db):
    com = viewer_for(fresh_db, "com1")
    mid, (first, _) = _held(fresh_db)
    once = record_outcome(fresh_db, com, first, _decide(mid, 1), TODAY)
    assert record_outcome(fresh_db, com, first, _decide(mid, 1), TODAY) == once
    assert _count(fresh_db, CommitteeDecision) == 1
    with pytest.raises(ValidationError) as err:
        record_outcome(fresh_db, com, first, _decide(mid, 1, submit_token="o-9"), TODAY)
    assert err.value.fields == {"_": "Over deze stageplaats is in deze vergadering al besloten."}
    assert _count(fresh_db, CommitteeDecision) == 1


def test_outcomes_wait_for_the_opening_and_stop_at_the_closing_which_keeps_the_meeting_readable(fresh_db):
    com = viewer_for(fresh_db, "com1")
    mid = prepare_meeting(fresh_db, com, _input())
    first, second = load_meeting(fresh_db, com, meeting_id=mid).items["id"].tolist()
    with pytest.raises(ValidationError) as err:
        record_outcome(fresh_db, com, first, _decide(mid, 1), TODAY)
    assert err.value.fields == {"_": "Open eerst de vergadering; daarna legt u per stageplaats de uitkomst vast."}
    start_meeting(fresh_db, com, mid)
    start_meeting(fresh_db, com, mid)  # twice is once
    record_outcome(fresh_db, com, first, _decide(mid, 1), TODAY)
    close_meeting(fresh_db, com, mid, "Volgende vergadering in juni.", now=dt.datetime(2026, 3, 9, 17, 0))
    close_meeting(fresh_db, com, mid, "anders")  # twice is once
    with pytest.raises(ValidationError) as err:
        record_outcome(fresh_db, com, second, _decide(mid, 2, submit_token="o-3"), TODAY)
    assert err.value.fields == {"_": "Deze vergadering is gesloten; wat erin is vastgelegd kan niet meer veranderen."}
    meeting = load_meeting(fresh_db, com, meeting_id=mid)
    assert (meeting.status, meeting.notes, meeting.closed_at, meeting.items["status"].tolist()) == (
        "gesloten", "Volgende vergadering in juni.", dt.datetime(2026, 3, 9, 17, 0), ["besluit", "te bespreken"])
    assert open_meeting_id(fresh_db, com) is None
    assert [a[0] for a in _audit(fresh_db)] == ["voorbereid", "geopend", "besloten", "besproken", "gesloten"]


def _site_status(engine, site: int) -> str:
    with Session(engine) as s:
        return s.get(Stageplaats, site).status.value


def _decisions(engine) -> list[tuple]:
    with Session(engine) as s:
        return [(d.stageplaats_id, d.decision.value, d.rationale, d.follow_up_date) for d in
                s.execute(select(CommitteeDecision).order_by(CommitteeDecision.id)).scalars()]


def test_a_decision_is_corrected_until_the_meeting_closes_and_the_site_status_follows_the_new_one(fresh_db):
    com = viewer_for(fresh_db, "com1")
    with Session(fresh_db) as s, s.begin():
        s.get(Stageplaats, 1).status = StageplaatsStatus.IN_REMEDIERING
    mid, (first, _) = _held(fresh_db)
    saved = save_outcome(fresh_db, com, first, _decide(mid, 1, decision=Decision.GEEN_ACTIE, follow_up_date=None,
                                                       rationale="Beoordelingen weer goed."), TODAY)
    assert (saved.stageplaats, saved.status_before.value, saved.status_after.value, saved.corrected) == (
        "GGD Noord", "in remediëring", "actief", False)
    assert _site_status(fresh_db, 1) == "actief"
    item = load_meeting(fresh_db, com, meeting_id=mid).items.iloc[0]
    assert (item["site_status"], item["site_status_before"], item["status_base"], item["outcome_token"]) == (
        "actief", "in remediëring", "in remediëring", "o-1")

    # Corrected to a gesprek: the "geen actie" is withdrawn, the site is in remediëring again.
    fixed = save_outcome(fresh_db, com, first, _decide(mid, 1, submit_token="o-2", replaces="o-1",
                                                       rationale="Toch eerst een gesprek."), TODAY)
    assert (fixed.status_before.value, fixed.status_after.value, fixed.corrected) == ("actief", "in remediëring", True)
    assert _site_status(fresh_db, 1) == "in remediëring"
    assert _decisions(fresh_db) == [(1, "gesprek", "Toch eerst een gesprek.", LATER)]
    items = load_meeting(fresh_db, com, meeting_id=mid).items
    assert items[["status", "decision_id", "decision", "rationale", "status_base"]].values.tolist()[0] == [
        "besluit", fixed.decision_id, "gesprek", "Toch eerst een gesprek.", "in remediëring"]
    # The same correction again is once.
    assert record_outcome(fresh_db, com, first, _decide(mid, 1, submit_token="o-2", replaces="o-1"), TODAY) == (
        fixed.decision_id)

    # Corrected to "besproken zonder besluit": no decision is left, the site is as it was.
    assert record_outcome(fresh_db, com, first, _decide(mid, 1, discussed_only=True, decision=None, rationale="",
                                                        follow_up_date=None, notes="Volgende keer.",
                                                        submit_token="o-3", replaces="o-2"), TODAY) is None
    assert (_site_status(fresh_db, 1), _decisions(fresh_db)) == ("in remediëring", [])
    # And to stopzetten after all.
    record_outcome(fresh_db, com, first, _decide(mid, 1, decision=Decision.STOPZETTEN, follow_up_date=None,
                                                 submit_token="o-4", replaces="o-3"), TODAY)
    assert _site_status(fresh_db, 1) == "stopgezet"
    assert _decisions(fresh_db) == [(1, "stopzetten", "Begeleiding onder de maat.", None)]
    assert load_meeting(fresh_db, com, meeting_id=mid).items[["status", "decision", "notes"]].values.tolist()[0] == [
        "besluit", "stopzetten", "Opleider belt de praktijk."]
    assert [a[:3] for a in _audit(fresh_db)[2:]] == [
        ("besloten", "stageplaats", 1), ("besproken", "vergaderpunt", first),
        ("besluit ingetrokken", "stageplaats", 1), ("besloten", "stageplaats", 1), ("gecorrigeerd", "vergaderpunt", first),
        ("besluit ingetrokken", "stageplaats", 1), ("gecorrigeerd", "vergaderpunt", first),
        ("besloten", "stageplaats", 1), ("gecorrigeerd", "vergaderpunt", first)]
    with Session(fresh_db) as s:  # the withdrawn decisions stay in the audit trail
        withdrawn = s.execute(select(AuditLog.before, AuditLog.after).where(AuditLog.action == "besluit ingetrokken")
                              .order_by(AuditLog.id)).all()
    assert [(b["besluit"], b["status"], a["status"]) for b, a in withdrawn] == [
        ("geen actie", "actief", "in remediëring"), ("gesprek", "in remediëring", "in remediëring")]


def test_a_besluit_corrected_while_the_meeting_is_open_cannot_change_after_closing(fresh_db):
    com = viewer_for(fresh_db, "com1")
    mid, (first, second) = _held(fresh_db)
    record_outcome(fresh_db, com, first, _decide(mid, 1, decision=Decision.REMEDIERINGSPLAN), TODAY)
    assert _site_status(fresh_db, 1) == "in remediëring"
    decision_id = record_outcome(fresh_db, com, first, _decide(mid, 1, submit_token="o-2", replaces="o-1"), TODAY)
    assert _site_status(fresh_db, 1) == "actief"  # a gesprek leaves the status the site had before
    close_meeting(fresh_db, com, mid, "")
    audit = _audit(fresh_db)
    for item, site, replaces in ((first, 1, "o-2"), (second, 2, None)):
        with pytest.raises(ValidationError) as err:
            record_outcome(fresh_db, com, item, _decide(mid, site, decision=Decision.STOPZETTEN, follow_up_date=None,
                                                        submit_token=f"o-{item}-later", replaces=replaces), TODAY)
        assert err.value.fields == {"_": "Deze vergadering is gesloten; wat erin is vastgelegd kan niet meer veranderen."}
    assert (_site_status(fresh_db, 1), _site_status(fresh_db, 2), _decisions(fresh_db), _audit(fresh_db)) == (
        "actief", "actief", [(1, "gesprek", "Begeleiding onder de maat.", LATER)], audit)
    assert load_meeting(fresh_db, com, meeting_id=mid).items[["status", "decision_id"]].values.tolist() == [
        ["besluit", decision_id], ["te bespreken", None]]


def test_a_correction_names_the_outcome_it_replaces(fresh_db):
    com = viewer_for(fresh_db, "com1")
    mid, (first, second) = _held(fresh_db)
    record_outcome(fresh_db, com, first, _decide(mid, 1), TODAY)
    record_outcome(fresh_db, com, second, _decide(mid, 2, discussed_only=True, decision=None, submit_token="o-2"),
                   TODAY)
    audit = _audit(fresh_db)
    for item, site, replaces, message in (
            (first, 1, None, "Over deze stageplaats is in deze vergadering al besloten."),
            (second, 2, None, "Voor deze stageplaats is in deze vergadering al een uitkomst vastgelegd."),
            # A form that did not see the outcome recorded meanwhile names an older one, or none.
            (first, 1, "o-0", "De uitkomst van dit punt is intussen door iemand anders gewijzigd; er is niets "
                              "opgeslagen. Bekijk de uitkomst die nu geldt en corrigeer die zo nodig opnieuw.")):
        with pytest.raises(ValidationError) as err:
            record_outcome(fresh_db, com, item, _decide(mid, site, submit_token="o-9", replaces=replaces), TODAY)
        assert err.value.fields == {"_": message}
    assert (_decisions(fresh_db), _audit(fresh_db)) == ([(1, "gesprek", "Begeleiding onder de maat.", LATER)], audit)


def test_an_outcome_is_refused_for_an_item_that_is_not_the_forms_in_the_meeting_being_held(fresh_db):
    com = viewer_for(fresh_db, "com1")
    earlier = prepare_meeting(fresh_db, com, _input(submit_token="m-0"))
    earlier_item = load_meeting(fresh_db, com, meeting_id=earlier).items["id"].iloc[0]
    mid, (first, _) = _held(fresh_db)
    message = {"_": "Dit formulier hoort bij een ander agendapunt of een andere vergadering dan de vergadering die "
                    "nu wordt gehouden; er is niets opgeslagen."}
    for item, meeting_id, site in ((first, mid, 2), (first, earlier, 1), (int(earlier_item), mid, 1)):
        with pytest.raises(ValidationError) as err:
            record_outcome(fresh_db, com, item, _decide(meeting_id, site), TODAY)
        assert err.value.fields == message
    assert (_decisions(fresh_db), _site_status(fresh_db, 1)) == ([], "actief")
    assert [a[0] for a in _audit(fresh_db)] == ["voorbereid", "voorbereid", "geopend"]


def test_a_decision_of_the_meeting_cannot_be_corrected_after_a_later_decision_on_the_site(fresh_db):
    com = viewer_for(fresh_db, "com1")
    mid, (first, _) = _held(fresh_db)
    record_outcome(fresh_db, com, first, _decide(mid, 1, decision=Decision.REMEDIERINGSPLAN), TODAY)
    record_decision(fresh_db, com, 1, Decision.STOPZETTEN, "Praktijk stopt.", None, TODAY)
    with pytest.raises(ValidationError) as err:
        record_outcome(fresh_db, com, first, _decide(mid, 1, submit_token="o-2", replaces="o-1"), TODAY)
    assert err.value.fields == {"_": "Na dit besluit is over deze stageplaats buiten de vergadering opnieuw besloten; "
                                     "het besluit van de vergadering kan daarom niet meer worden gecorrigeerd."}
    assert _site_status(fresh_db, 1) == "stopgezet"
    assert [d[1] for d in _decisions(fresh_db)] == ["remediëringsplan", "stopzetten"]


def test_the_beheerder_holds_meetings_and_other_roles_cannot_touch_or_read_one(fresh_db):
    admin = viewer_for(fresh_db, "admin")
    mid = prepare_meeting(fresh_db, admin, _input(opleiding_id=2, agenda=(AgendaEntry(3, AgendaReason.HANDMATIG),)))
    start_meeting(fresh_db, admin, mid)
    item = load_meeting(fresh_db, admin, meeting_id=mid).items["id"].iloc[0]
    for username in ("com1", "opl1", "bg3", "a4"):  # com1 sits for MG, this meeting is HAG's
        viewer = viewer_for(fresh_db, username)
        assert load_meeting(fresh_db, viewer, meeting_id=mid) is None
        assert load_meetings(fresh_db, viewer).empty
        with pytest.raises(AccessDenied):
            record_outcome(fresh_db, viewer, int(item), _decide(mid, 3, submit_token=f"o-{username}"), TODAY)
        with pytest.raises(AccessDenied):
            close_meeting(fresh_db, viewer, mid, "")
    assert _count(fresh_db, CommitteeDecision) == 0
    assert [a[:2] for a in _audit(fresh_db)[2:]] == [("geweigerd", "vergaderpunt"), ("geweigerd", "vergadering")] * 4


def test_response_rate_counts_released_ratings_of_ended_stages_per_site_and_cohort(fresh_db):
    com = viewer_for(fresh_db, "com1")
    sites = load_response_rate(fresh_db, com, by="stageplaats", today=TODAY, threshold=3)
    assert sites[["name", "ended", "rated", "enough"]].values.tolist() == [
        ["Arbodienst Zuid", 1, 1, False], ["GGD Noord", 4, 4, True]]
    assert sites["rate"].isna().tolist() == [True, False]
    cohorts = load_response_rate(fresh_db, com, by="cohort", today=TODAY, threshold=3)
    assert cohorts[["name", "ended", "rated"]].values.tolist() == [["MG 2024", 4, 4], ["MG 2025", 1, 1]]
    # A pending (not yet released) rating is not counted: it would show one new rating.
    with Session(fresh_db) as s, s.begin():
        s.get(StageplaatsRating, 6).release_id = None
    sites = load_response_rate(fresh_db, com, by="stageplaats", today=TODAY, threshold=3)
    assert sites[["name", "ended", "rated"]].values.tolist() == [["Arbodienst Zuid", 1, 1], ["GGD Noord", 4, 3]]
    for username in ("bg1", "a1"):
        assert load_response_rate(fresh_db, viewer_for(fresh_db, username), by="stageplaats", today=TODAY,
                                  threshold=3).empty


def test_a_site_with_too_few_ratings_two_years_running_is_flagged(fixture_db):
    com = viewer_for(fixture_db, "com1")
    assert load_thin_rating_flags(fixture_db, com, today=TODAY, threshold=3).empty
    flags = load_thin_rating_flags(fixture_db, com, today=dt.date(2027, 3, 1), threshold=3)
    assert flags.values.tolist() == [[2, "Arbodienst Zuid",
                                      "twee jaar op rij te weinig beoordelingen om iets te zeggen (2025: 1 vrijgegeven "
                                      "bij 1 afgeronde stages; 2026: 0 vrijgegeven bij 1 afgeronde stages; drempel 3)"]]


@pytest.mark.parametrize(("username", "sites"), [
    ("admin", {"GGD Noord": (4, 4), "Arbodienst Zuid": (1, 1)}),
    ("opl1", {"GGD Noord": (4, 4), "Arbodienst Zuid": (1, 1)}),
    ("opl2", {}), ("com1", {"GGD Noord": (4, 4), "Arbodienst Zuid": (1, 1)}),
    ("bg1", {}), ("bg2", {}), ("bg3", {}), ("a1", {}), ("a2", {}), ("a3", {}), ("a4", {}),
])
def test_response_rate_is_scoped_per_role(fixture_db, username, sites):
    frame = load_response_rate(fixture_db, viewer_for(fixture_db, username), by="stageplaats", today=TODAY, threshold=3)
    assert {r.name: (r.ended, r.rated) for r in frame.itertuples()} == sites
