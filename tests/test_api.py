"""The analysts' API: the installation's threshold, no crash for any role, a password check."""

import datetime as dt
import inspect

import bcrypt
import pandas as pd
import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from data_access import api
from data_access.commands import RatingInput, submit_rating
from data_access.errors import AccessDenied
from data_access.models import Stage, StageStatus, UserAccount
from data_access.viewer import viewer_for
from tests.fixture_data import TODAY, USERS


@pytest.mark.parametrize("username", sorted(USERS))
def test_every_role_gets_frames_not_errors(fixture_db, username):
    who = api.viewer(fixture_db, username)
    sites = api.stageplaatsen(fixture_db, who, today=TODAY)
    if who.role is api.Role.AIOS:
        assert sites.empty  # an aios sees no site's ratings (a KeyError before)
    assert "wacht_op_vrijgave" in sites.columns and "eindniveau_aios" in sites.columns
    api.trend_stageplaatsen(fixture_db, who)
    api.feedback_per_stageplaats(fixture_db, who, today=TODAY)


def test_no_api_function_takes_a_threshold():
    for name in api.__all__:
        obj = getattr(api, name)
        if inspect.isfunction(obj):
            assert "threshold" not in inspect.signature(obj).parameters, name


def test_a_lower_configured_threshold_does_not_lower_the_installations(fresh_db, monkeypatch):
    """The installation released ratings with threshold 3 (stored with the release); a notebook
    whose environment says 1 still gets 3."""
    with Session(fresh_db) as s, s.begin():
        for sid, aios in ((41, 1), (42, 2), (43, 3)):
            s.add(Stage(id=sid, aios_id=aios, stageplaats_id=1, start_date=dt.date(2025, 10, 6),
                        end_date=dt.date(2026, 1, 4), fte=1.0, status=StageStatus.AFGEROND))
    for sid, user in ((41, "a1"), (42, "a2"), (43, "a3")):
        submit_rating(fresh_db, viewer_for(fresh_db, user), sid, RatingInput(3, 3, 3), TODAY, threshold=3)
    monkeypatch.setenv("STAGE_ANONYMITY_THRESHOLD", "1")
    assert api.installation_threshold(fresh_db) == 3
    sites = api.stageplaatsen(fresh_db, api.viewer(fresh_db, "admin"), today=TODAY).set_index("stageplaats_id")
    assert sites.loc[2, "n"] == 1 and pd.isna(sites.loc[2, "leerklimaat"])  # not shown at n=1
    assert sites.loc[1, "n"] == 7
    monkeypatch.setenv("STAGE_ANONYMITY_THRESHOLD", "5")  # a higher one is applied
    assert api.installation_threshold(fresh_db) == 5


def test_viewer_with_a_password_checks_it(fresh_db):
    with Session(fresh_db) as s, s.begin():
        s.execute(update(UserAccount).where(UserAccount.username == "com1")
                  .values(password_hash=bcrypt.hashpw(b"geheim-wachtwoord", bcrypt.gensalt(4)).decode()))
    assert api.viewer(fresh_db, "com1", password="geheim-wachtwoord").user_id == USERS["com1"][0]
    with pytest.raises(AccessDenied):
        api.viewer(fresh_db, "com1", password="fout")
    with pytest.raises(AccessDenied):
        api.viewer(fresh_db, "bg1", password="geheim-wachtwoord")  # no password set: refused
