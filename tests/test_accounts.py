"""Accounts: lockout, server-side logout and password rules, in the database."""

import datetime as dt

import bcrypt
import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from data_access.accounts import (
    LOCK_AFTER_FAILURES,
    LOCK_MINUTES,
    change_password,
    cookie_is_revoked,
    load_credentials,
    password_problems,
    record_failed_login,
    record_login,
    record_logout,
)
from data_access.errors import ValidationError
from data_access.models import UserAccount
from data_access.viewer import viewer_for

NOW = dt.datetime(2026, 3, 2, 9, 0)


def _set_password(engine, username, password):
    with Session(engine) as s, s.begin():
        s.execute(update(UserAccount).where(UserAccount.username == username).values(
            password_hash=bcrypt.hashpw(password.encode(), bcrypt.gensalt(4)).decode()))


def test_fifth_failure_locks_and_the_lock_expires(fresh_db):
    _set_password(fresh_db, "bg1", "geheim-wachtwoord-1")
    assert [record_failed_login(fresh_db, "bg1", NOW) for _ in range(LOCK_AFTER_FAILURES)] == [False] * 4 + [True]
    assert load_credentials(fresh_db, NOW)["usernames"]["bg1"]["failed_login_attempts"] == LOCK_AFTER_FAILURES
    later = NOW + dt.timedelta(minutes=LOCK_MINUTES + 1)
    assert load_credentials(fresh_db, later)["usernames"]["bg1"]["failed_login_attempts"] == 0
    record_login(fresh_db, "bg1")
    assert load_credentials(fresh_db, NOW)["usernames"]["bg1"]["failed_login_attempts"] == 0


def test_credentials_hold_only_active_users_with_a_password(fresh_db):
    _set_password(fresh_db, "a1", "geheim-wachtwoord-1")
    creds = load_credentials(fresh_db, NOW)["usernames"]
    assert set(creds) == {"a1"}
    assert creds["a1"]["roles"] == ["aios"]
    assert set(load_credentials(fresh_db, NOW, only="a1")["usernames"]) == {"a1"}


def test_cookie_issued_before_logout_is_refused(fresh_db):
    record_logout(fresh_db, "a1", NOW)
    assert cookie_is_revoked(fresh_db, "a1", NOW - dt.timedelta(hours=1))
    assert not cookie_is_revoked(fresh_db, "a1", NOW + dt.timedelta(seconds=1))
    assert cookie_is_revoked(fresh_db, "niemand", NOW)
    with Session(fresh_db) as s, s.begin():
        s.execute(update(UserAccount).where(UserAccount.username == "a2").values(active=False))
    assert cookie_is_revoked(fresh_db, "a2", NOW)


@pytest.mark.parametrize(("password", "problem"), [
    ("é" * 36 + "a1", "Het wachtwoord is te lang: maximaal 72 bytes."),
    (" begint-met-spatie1", "Het wachtwoord mag niet met een spatie beginnen of eindigen."),
    ("kort1", "Het wachtwoord moet minstens 10 tekens lang zijn."),
    ("alleenletters", "Gebruik minstens één letter en één cijfer."),
    ("Goed-wachtwoord-7", None),
])
def test_password_rules_in_dutch(password, problem):
    assert password_problems(password, "a1") == problem


def test_password_change_checks_current_and_repeat_and_writes_nothing_on_error(fresh_db):
    _set_password(fresh_db, "a1", "oud-wachtwoord-1")
    viewer = viewer_for(fresh_db, "a1")
    with pytest.raises(ValidationError) as err:
        change_password(fresh_db, viewer, current="fout", new="nieuw-wachtwoord-2", repeat="anders-3")
    assert err.value.fields == {"current": "Het huidige wachtwoord klopt niet.",
                                "repeat": "De herhaling is niet gelijk aan het nieuwe wachtwoord."}
    change_password(fresh_db, viewer, current="oud-wachtwoord-1", new="nieuw-wachtwoord-2", repeat="nieuw-wachtwoord-2")
    hashed = load_credentials(fresh_db, NOW)["usernames"]["a1"]["password"]
    assert bcrypt.checkpw(b"nieuw-wachtwoord-2", hashed.encode())
