"""The analysts' API: the installation's threshold, no crash for any role, a password check."""

import datetime as dt
import inspect

import bcrypt
import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from data_access import api
from data_access.commands import RatingInput, submit_rating
from data_access.disclosure import ThresholdTooLow
from data_access.errors import AccessDenied
from data_access.models import Stage, StageStatus, UserAccount
from data_access.viewer import viewer_for
from tests.fixture_data import TODAY, USERS


@pytest.mark.parametrize("username", sorted(USERS))
def test_every_role_gets_frames_not_errors(fixture_db, username, monkeypatch):
    monkeypatch.setenv("STAGE_TODAY", TODAY.isoformat())
    who = api.viewer(fixture_db, username)
    sites = api.stageplaatsen(fixture_db, who)
    if who.role is api.Role.AIOS:
        assert sites.empty  # an aios sees no site's ratings (a KeyError before)
    assert "wacht_op_vrijgave" in sites.columns and "eindniveau_aios" in sites.columns
    api.trend_stageplaatsen(fixture_db, who)
    api.feedback_per_stageplaats(fixture_db, who)


def test_no_api_function_replays_a_past_day_of_figures_about_aios():
    """`today=` is for the cycle's own dates (voortgang); the figures about groups of aios are
    of the database as it is, or anyone with the API could replay every day."""
    for name in ("stageplaatsen", "feedback_per_stageplaats", "trend_stageplaatsen", "rubric_verdeling"):
        assert "today" not in inspect.signature(getattr(api, name)).parameters, name


def test_no_api_function_takes_a_threshold():
    for name in api.__all__:
        obj = getattr(api, name)
        if inspect.isfunction(obj):
            assert "threshold" not in inspect.signature(obj).parameters, name


def test_a_lower_configured_threshold_does_not_lower_the_installations(fresh_db, monkeypatch):
    """The installation released ratings with threshold 4 (stored with the release); a notebook
    whose environment says 3 still gets 4, and one that says 1 or 2 is refused, in Dutch."""
    monkeypatch.setenv("STAGE_TODAY", TODAY.isoformat())
    with Session(fresh_db) as s, s.begin():
        for sid, aios in ((41, 1), (42, 2), (43, 3), (44, 4)):
            s.add(Stage(id=sid, aios_id=aios, stageplaats_id=1, start_date=dt.date(2025, 10, 6),
                        end_date=dt.date(2026, 1, 4), fte=1.0, status=StageStatus.AFGEROND))
    for sid, user in ((41, "a1"), (42, "a2"), (43, "a3"), (44, "a4")):
        submit_rating(fresh_db, viewer_for(fresh_db, user), sid, RatingInput(3, 3, 3), TODAY, threshold=4)
    monkeypatch.setenv("STAGE_ANONYMITY_THRESHOLD", "3")
    assert api.installation_threshold(fresh_db) == 4
    sites = api.stageplaatsen(fresh_db, api.viewer(fresh_db, "admin")).set_index("stageplaats_id")
    assert sites.loc[1, "n"] == 8 and sites.loc[1, "leerklimaat"] == pytest.approx(3.25)
    monkeypatch.setenv("STAGE_ANONYMITY_THRESHOLD", "5")  # a higher one is applied
    assert api.installation_threshold(fresh_db) == 5
    for too_low in ("1", "2"):
        monkeypatch.setenv("STAGE_ANONYMITY_THRESHOLD", too_low)
        with pytest.raises(ThresholdTooLow, match=f"de anonimiteitsdrempel is {too_low}, en moet minstens 3 zijn"):
            api.stageplaatsen(fresh_db, api.viewer(fresh_db, "admin"))


def test_viewer_with_a_password_checks_it(fresh_db):
    with Session(fresh_db) as s, s.begin():
        s.execute(update(UserAccount).where(UserAccount.username == "com1")
                  .values(password_hash=bcrypt.hashpw(b"geheim-wachtwoord", bcrypt.gensalt(4)).decode()))
    assert api.viewer(fresh_db, "com1", password="geheim-wachtwoord").user_id == USERS["com1"][0]
    with pytest.raises(AccessDenied):
        api.viewer(fresh_db, "com1", password="fout")
    with pytest.raises(AccessDenied):
        api.viewer(fresh_db, "bg1", password="geheim-wachtwoord")  # no password set: refused
