"""Single sign-on in data_access: the provider's claim names an existing, active account or
nobody; every attempt is audited, a refused one with the claim's value for the beheerder."""

from __future__ import annotations

from sqlalchemy import select, update

from data_access.accounts import sso_login
from data_access.models import AuditLog, UserAccount
from tests.fixture_data import uid


def _audit(engine):
    with engine.connect() as conn:
        return conn.execute(select(AuditLog.user_id, AuditLog.action, AuditLog.after).order_by(AuditLog.id)).all()


def test_an_email_claim_finds_its_account_case_insensitively_and_is_audited(fresh_db):
    outcome = sso_login(fresh_db, "email", "  BG1@Voorbeeld.NL ")
    assert (outcome.status, outcome.username) == ("ok", "bg1")
    assert _audit(fresh_db)[-1] == (uid("bg1"), "ingelogd", {"via": "sso"})


def test_a_sub_claim_finds_the_account_by_username(fresh_db):
    assert sso_login(fresh_db, "sub", "opl1").username == "opl1"


def test_unknown_inactive_and_ambiguous_people_are_refused_and_audited(fresh_db):
    with fresh_db.begin() as conn:
        conn.execute(update(UserAccount).where(UserAccount.username == "bg2").values(active=False))
        conn.execute(update(UserAccount).where(UserAccount.username == "a2").values(email="A1@voorbeeld.nl"))
    for value in ("niemand@voorbeeld.nl", "bg2@voorbeeld.nl", "a1@voorbeeld.nl", None):
        assert sso_login(fresh_db, "email", value).status == "wrong"
    assert _audit(fresh_db)[-4:] == [
        (None, "geweigerd", {"via": "sso", "claim": "email", "waarde": "niemand@voorbeeld.nl"}),
        (None, "geweigerd", {"via": "sso", "claim": "email", "waarde": "bg2@voorbeeld.nl"}),
        (None, "geweigerd", {"via": "sso", "claim": "email", "waarde": "a1@voorbeeld.nl"}),
        (None, "geweigerd", {"via": "sso", "claim": "email", "waarde": ""}),
    ]


def test_an_address_the_provider_says_is_unverified_logs_nobody_in(fresh_db):
    """A provider that lets people type their own address says so (email_verified false): that
    address must not open the account that has it. True, "true" or no such claim (providers that
    manage addresses themselves) do."""
    for verified in (False, "false", 0):
        assert sso_login(fresh_db, "email", "bg1@voorbeeld.nl", verified).status == "wrong"
    assert _audit(fresh_db)[-1] == (None, "geweigerd", {"via": "sso", "claim": "email", "waarde": "bg1@voorbeeld.nl",
                                                         "reden": "e-mailadres niet geverifieerd"})
    for verified in (True, "true", None):
        assert sso_login(fresh_db, "email", "bg1@voorbeeld.nl", verified).username == "bg1"
    assert sso_login(fresh_db, "sub", "bg1", False).username == "bg1"  # not an address: not its business
