"""User accounts for the login: credentials from the user table, and everything written back.

streamlit-authenticator has no rate limit and keeps its state in memory; the lockout, the
server-side logout and password changes live here, in the database, so they hold on every
server process and survive a restart.
"""

from __future__ import annotations

import datetime as dt

import bcrypt
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data_access.audit import record_write
from data_access.db import write_session
from data_access.errors import ValidationError
from data_access.models import Role, UserAccount, UserRole
from data_access.viewer import Viewer

# The demo data set's logins, one per role, all with password DEMO_PASSWORD.
DEMO_USERNAMES = {
    Role.BEHEERDER: "beheerder",
    Role.INSTITUUTSOPLEIDER: "opleider",
    Role.STAGECOMMISSIE: "commissie",
    Role.STAGEBEGELEIDER: "begeleider",
    Role.AIOS: "aios",
}
DEMO_PASSWORD = "demo"
LOCK_AFTER_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 10
BCRYPT_MAX_BYTES = 72


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def load_credentials(
    engine: Engine, now: dt.datetime | None = None, *, only: str | None = None
) -> dict:
    """The credentials dict streamlit-authenticator takes, for active users with a password.

    The login form needs every user; a logged-in session needs only its own (`only`).

    A user still locked keeps LOCK_AFTER_FAILURES failed attempts, so the library refuses them
    even with the right password; once the lock has expired they start again from zero.
    """
    now = now or utcnow()
    with engine.connect() as conn:
        users = conn.execute(
            select(
                UserAccount.id,
                UserAccount.username,
                UserAccount.display_name,
                UserAccount.email,
                UserAccount.password_hash,
                UserAccount.failed_attempts,
                UserAccount.locked_until,
            ).where(
                UserAccount.active.is_(True),
                UserAccount.password_hash.is_not(None),
                *([UserAccount.username == only.lower()] if only else []),
            )
        ).all()
        roles: dict[int, list[str]] = {}
        role_rows = select(UserRole.user_id, UserRole.role).where(
            UserRole.user_id.in_([u.id for u in users])
        )
        for user_id, role in conn.execute(role_rows):
            roles.setdefault(user_id, []).append(role.value)
    usernames = {}
    for u in users:
        locked = u.locked_until is not None and u.locked_until > now
        usernames[u.username.lower()] = {
            "name": u.display_name,
            "email": u.email or "",
            "password": u.password_hash,
            "roles": roles.get(u.id, []),
            "failed_login_attempts": LOCK_AFTER_FAILURES if locked else (0 if u.locked_until else u.failed_attempts),
            "logged_in": False,
        }
    return {"usernames": usernames}


def _user(session: Session, username: str) -> UserAccount | None:
    return session.execute(
        select(UserAccount).where(UserAccount.username == username.lower())
    ).scalar_one_or_none()


def record_failed_login(engine: Engine, username: str, now: dt.datetime | None = None) -> bool:
    """Count a wrong password; lock the account after LOCK_AFTER_FAILURES in a row.

    Returns True when this failure locked the account.
    """
    now = now or utcnow()
    with write_session(engine) as session, session.begin():
        user = _user(session, username)
        if user is None:
            return False
        if user.locked_until is not None and user.locked_until <= now:
            user.failed_attempts = 0  # the previous lock has expired: a fresh series
            user.locked_until = None
        user.failed_attempts += 1
        locked = user.failed_attempts >= LOCK_AFTER_FAILURES
        if locked:
            user.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
        record_write(
            session,
            None,  # nobody is logged in yet
            action="geblokkeerd" if locked else "inloggen mislukt",
            entity="user_account",
            entity_id=user.id,
            after={"failed_attempts": user.failed_attempts},
        )
        return locked


def record_login(engine: Engine, username: str) -> None:
    with write_session(engine) as session, session.begin():
        user = _user(session, username)
        if user is None:
            return
        user.failed_attempts = 0
        user.locked_until = None
        record_write(
            session,
            user.id,
            action="ingelogd",
            entity="user_account",
            entity_id=user.id,
        )


def record_logout(engine: Engine, username: str, now: dt.datetime | None = None) -> None:
    """Remember when the user logged out: a login cookie issued before then is refused."""
    now = now or utcnow()
    with write_session(engine) as session, session.begin():
        user = _user(session, username)
        if user is None:
            return
        user.logged_out_at = now
        record_write(
            session,
            user.id,
            action="uitgelogd",
            entity="user_account",
            entity_id=user.id,
        )


def cookie_is_revoked(engine: Engine, username: str, issued_at: dt.datetime) -> bool:
    """True when a login cookie issued at `issued_at` (UTC) may no longer be used."""
    with engine.connect() as conn:
        user = conn.execute(
            select(UserAccount.active, UserAccount.logged_out_at, UserAccount.locked_until).where(
                UserAccount.username == username.lower()
            )
        ).one_or_none()
    if user is None or not user.active:
        return True
    return user.logged_out_at is not None and user.logged_out_at >= issued_at


def must_change_password(engine: Engine, username: str) -> bool:
    with engine.connect() as conn:
        return bool(
            conn.execute(
                select(UserAccount.must_change_password).where(
                    UserAccount.username == username.lower()
                )
            ).scalar_one_or_none()
        )


def password_problems(password: str, username: str) -> str | None:
    """The first rule a new password breaks, as a Dutch sentence; None when it is fine.

    bcrypt silently ignores bytes past 72, so that limit is checked before anything else.
    """
    if len(password.encode("utf-8")) > BCRYPT_MAX_BYTES:
        return f"Het wachtwoord is te lang: maximaal {BCRYPT_MAX_BYTES} bytes."
    if password != password.strip():
        return "Het wachtwoord mag niet met een spatie beginnen of eindigen."
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens lang zijn."
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        return "Gebruik minstens één letter en één cijfer."
    if password.lower() == username.lower():
        return "Het wachtwoord mag niet gelijk zijn aan de gebruikersnaam."
    return None


def change_password(
    engine: Engine, viewer: Viewer, *, current: str, new: str, repeat: str
) -> None:
    """The user changes their own password; Dutch messages per field, nothing written on error."""
    with write_session(engine) as session, session.begin():
        user = session.get(UserAccount, viewer.user_id)
        errors: dict[str, str] = {}
        if user is None or not user.password_hash or not bcrypt.checkpw(
            current.encode("utf-8")[:BCRYPT_MAX_BYTES], user.password_hash.encode()
        ):
            errors["current"] = "Het huidige wachtwoord klopt niet."
        problem = password_problems(new, user.username if user else "")
        if problem:
            errors["new"] = problem
        elif new == current:
            errors["new"] = "Kies een ander wachtwoord dan het huidige."
        if not errors.get("new") and new != repeat:
            errors["repeat"] = "De herhaling is niet gelijk aan het nieuwe wachtwoord."
        if errors:
            raise ValidationError(errors)
        user.password_hash = bcrypt.hashpw(new.encode("utf-8"), bcrypt.gensalt()).decode()
        user.must_change_password = False
        record_write(
            session,
            viewer.user_id,
            action="wachtwoord gewijzigd",
            entity="user_account",
            entity_id=user.id,
        )


def load_demo_password_hashes(engine: Engine) -> tuple[str, ...]:
    """Password hashes of the active demo logins (cheap; verifying them is not)."""
    with engine.connect() as conn:
        return tuple(
            conn.execute(
                select(UserAccount.password_hash)
                .where(
                    UserAccount.username.in_(DEMO_USERNAMES.values()),
                    UserAccount.active.is_(True),
                    UserAccount.password_hash.is_not(None),
                )
                .order_by(UserAccount.username)
            ).scalars()
        )


def any_opens_with_demo_password(hashes: tuple[str, ...]) -> bool:
    """True while a demo login still opens with the demo password ('Demo-omgeving')."""
    return any(bcrypt.checkpw(DEMO_PASSWORD.encode(), h.encode()) for h in hashes)
