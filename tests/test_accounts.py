"""Accounts: lockout per username and client, sessions that end server-side, password rules."""

import datetime as dt

import bcrypt
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data_access.accounts import (
    LOCK_AFTER_FAILURES,
    LOCK_MINUTES,
    attempt_login,
    change_password,
    is_demo_database,
    password_problems,
    read_session_token,
    record_login,
    record_logout,
    session_is_current,
    session_token,
)
from data_access.beheer import reset_password, set_active
from data_access.errors import ValidationError
from data_access.audit import load_data_versions
from data_access.models import AuditLog, UserAccount
from data_access.viewer import viewer_for

NOW = dt.datetime(2026, 3, 2, 9, 0)
KEY = "k" * 40


def _set_password(engine, username, password, rounds=4):
    with Session(engine) as s, s.begin():
        s.execute(update(UserAccount).where(UserAccount.username == username).values(
            password_hash=bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds)).decode()))


def _version(engine, username):
    with engine.connect() as conn:
        return conn.execute(select(UserAccount.session_version).where(UserAccount.username == username)).scalar_one()


def test_fifth_failure_locks_the_client_and_the_lock_expires(fresh_db):
    _set_password(fresh_db, "bg1", "geheim-wachtwoord-1")
    outcomes = [attempt_login(fresh_db, "bg1", "fout", "10.0.0.1", NOW).status for _ in range(LOCK_AFTER_FAILURES)]
    assert outcomes == ["wrong"] * 4 + ["locked"]
    assert attempt_login(fresh_db, "bg1", "geheim-wachtwoord-1", "10.0.0.1", NOW).status == "locked"
    later = NOW + dt.timedelta(minutes=LOCK_MINUTES + 1)
    assert attempt_login(fresh_db, "bg1", "geheim-wachtwoord-1", "10.0.0.1", later).ok


def test_unknown_usernames_fail_and_lock_exactly_like_known_ones(fresh_db):
    _set_password(fresh_db, "bg1", "geheim-wachtwoord-1")
    known = [attempt_login(fresh_db, "bg1", "fout", "10.0.0.2", NOW).status for _ in range(LOCK_AFTER_FAILURES + 1)]
    unknown = [attempt_login(fresh_db, "niemand", "fout", "10.0.0.2", NOW).status for _ in range(LOCK_AFTER_FAILURES + 1)]
    no_password = [attempt_login(fresh_db, "a1", "fout", "10.0.0.2", NOW).status for _ in range(LOCK_AFTER_FAILURES + 1)]
    assert known == unknown == no_password == ["wrong"] * 4 + ["locked"] * 2
    with fresh_db.connect() as conn:
        actions = conn.execute(select(AuditLog.action).order_by(AuditLog.id)).scalars().all()
    # The same audit trail for each (the unknown one without an account to point at).
    assert actions == (["inloggen mislukt"] * 4 + ["geblokkeerd"]) * 3


def test_an_unknown_username_costs_the_same_bcrypt_work_as_a_known_one(fresh_db, monkeypatch):
    """Counted, not timed: every attempt checks exactly one hash, at the cost real hashes have
    (bcrypt's time is 2^cost rounds of its key setup, so equal cost is equal work)."""
    _set_password(fresh_db, "bg1", "geheim-wachtwoord-1", rounds=12)
    _set_password(fresh_db, "bg2", "geheim-wachtwoord-2", rounds=12)
    with Session(fresh_db) as s, s.begin():
        s.execute(update(UserAccount).where(UserAccount.username == "bg2").values(active=False))
    checked: list[int] = []
    real_checkpw = bcrypt.checkpw

    def counting_checkpw(password: bytes, hashed: bytes) -> bool:
        checked.append(int(hashed.split(b"$")[2]))  # $2b$<cost>$<salt+hash>
        return real_checkpw(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", counting_checkpw)
    work = {}
    for username in ("bg1", "iemand-anders", "bg2", "a1"):  # known, unknown, inactive, no password
        for password in ("fout", "x" * 100):  # also past bcrypt's 72 bytes
            checked.clear()
            assert attempt_login(fresh_db, username, password, f"10.0.0.{len(work) + 3}", NOW).status == "wrong"
            work[(username, len(password))] = list(checked)
    assert set(map(tuple, work.values())) == {(12,)}, work


def test_a_lock_holds_for_that_client_only_so_the_owner_still_gets_in(fresh_db):
    _set_password(fresh_db, "bg1", "geheim-wachtwoord-1")
    for _ in range(LOCK_AFTER_FAILURES):
        attempt_login(fresh_db, "bg1", "fout", "203.0.113.9", NOW)
    assert attempt_login(fresh_db, "bg1", "geheim-wachtwoord-1", "203.0.113.9", NOW).status == "locked"
    assert attempt_login(fresh_db, "bg1", "geheim-wachtwoord-1", "192.0.2.1", NOW).ok


def test_logins_and_failures_are_audited_without_making_every_cache_cold(fresh_db):
    _set_password(fresh_db, "bg1", "geheim-wachtwoord-1")
    versions = load_data_versions(fresh_db)
    attempt_login(fresh_db, "bg1", "fout", "10.0.0.6", NOW)
    attempt_login(fresh_db, "bg1", "geheim-wachtwoord-1", "10.0.0.6", NOW)
    record_login(fresh_db, "bg1", via="cookie")
    assert load_data_versions(fresh_db) == versions
    with fresh_db.connect() as conn:
        rows = conn.execute(select(AuditLog.action, AuditLog.after).order_by(AuditLog.id)).all()
    assert [tuple(r) for r in rows] == [("inloggen mislukt", {"failed_attempts": 1}),
                                        ("ingelogd", {"via": "wachtwoord"}), ("ingelogd", {"via": "cookie"})]


def test_session_token_round_trip_and_refusals():
    token = session_token("bg1", 3, KEY, 0.5, NOW)
    assert read_session_token(token, KEY, NOW) == ("bg1", 3)
    assert read_session_token(token, "x" * 40, NOW) is None
    assert read_session_token(token, KEY, NOW + dt.timedelta(hours=13)) is None
    assert read_session_token("rommel", KEY, NOW) is None
    assert read_session_token(None, KEY, NOW) is None


@pytest.mark.parametrize("ending", ["password change", "password reset", "lockout", "deactivation", "logout"])
def test_each_of_these_ends_every_session_of_the_user(fresh_db, ending):
    _set_password(fresh_db, "bg1", "oud-wachtwoord-1")
    outcome = attempt_login(fresh_db, "bg1", "oud-wachtwoord-1", "10.0.0.7", NOW)
    assert outcome.ok and session_is_current(fresh_db, "bg1", outcome.session_version)
    _set_password(fresh_db, "admin", "beheer-wachtwoord-1")
    if ending == "password change":
        new_version = change_password(fresh_db, viewer_for(fresh_db, "bg1"), current="oud-wachtwoord-1",
                                      new="nieuw-wachtwoord-2", repeat="nieuw-wachtwoord-2")
        assert session_is_current(fresh_db, "bg1", new_version)  # the session that changed it
    elif ending == "password reset":
        reset_password(fresh_db, viewer_for(fresh_db, "admin"), viewer_for(fresh_db, "bg1").user_id)
    elif ending == "lockout":
        for _ in range(LOCK_AFTER_FAILURES):
            attempt_login(fresh_db, "bg1", "fout", "203.0.113.10", NOW)
    elif ending == "deactivation":
        set_active(fresh_db, viewer_for(fresh_db, "admin"), viewer_for(fresh_db, "bg1").user_id, False)
    else:
        record_logout(fresh_db, "bg1", NOW)
    assert not session_is_current(fresh_db, "bg1", outcome.session_version)


def test_a_password_reset_lifts_every_lock_on_the_username(fresh_db):
    _set_password(fresh_db, "bg1", "geheim-wachtwoord-1")
    for _ in range(LOCK_AFTER_FAILURES):
        attempt_login(fresh_db, "bg1", "fout", "10.0.0.8", NOW)
    temp = reset_password(fresh_db, viewer_for(fresh_db, "admin"), viewer_for(fresh_db, "bg1").user_id)
    assert attempt_login(fresh_db, "bg1", temp, "10.0.0.8", NOW).ok


def test_the_fixture_is_not_a_demo_database(fresh_db):
    assert not is_demo_database(fresh_db)


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
    assert _version(fresh_db, "a1") == 0
    change_password(fresh_db, viewer, current="oud-wachtwoord-1", new="nieuw-wachtwoord-2", repeat="nieuw-wachtwoord-2")
    assert attempt_login(fresh_db, "a1", "nieuw-wachtwoord-2", "10.0.0.9", NOW).ok
