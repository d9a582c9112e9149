"""User accounts for the login: password checks, the lockout, sessions and their cookie token.

Everything lives in the database, so it holds on every server process and survives a restart:
the failure count per (username, client), and a session version per user that every cookie and
live session carries, so that a password change or reset, a lockout, a deactivation or a logout
ends all of that user's sessions at once.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from dataclasses import dataclass

import bcrypt
import jwt
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data_access.audit import record_write
from data_access.db import write_session
from data_access.errors import ValidationError
from data_access.models import LoginThrottle, Role, UserAccount, UserRole
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
USERNAME_MAX = 64


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class LoginOutcome:
    """What a login attempt came to. `status` is "ok", "wrong" or "locked"."""

    status: str
    username: str | None = None
    session_version: int = 0

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@functools.cache
def _dummy_hash() -> bytes:
    """A hash at the cost of real ones, so an unknown username costs the same bcrypt time."""
    return bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt())


def _normalise(username: str) -> str:
    return username.strip().lower()[:USERNAME_MAX]


def _client(client: str | None) -> str:
    return (client or "onbekend")[:USERNAME_MAX]


def attempt_login(
    engine: Engine, username: str, password: str, client: str | None = None, now: dt.datetime | None = None
) -> LoginOutcome:
    """Check a username and password typed into the login form.

    An unknown, inactive or password-less username gets exactly the treatment of a known one:
    the same bcrypt work (against a dummy hash), the same failure count and lock per (username,
    client), the same answer. A lock holds for that client only, so nobody can lock another
    person out of the application from their own address (see `record_failed_login`).
    """
    now = now or utcnow()
    name, client = _normalise(username), _client(client)
    with engine.connect() as conn:
        user = conn.execute(
            select(UserAccount.password_hash, UserAccount.active).where(UserAccount.username == name)
        ).one_or_none()
        locked_until = conn.execute(
            select(LoginThrottle.locked_until).where(LoginThrottle.username == name, LoginThrottle.client == client)
        ).scalar_one_or_none()
    usable = user is not None and user.active and bool(user.password_hash)
    secret = password.encode("utf-8")
    hashed = user.password_hash.encode() if usable else _dummy_hash()
    # bcrypt looks at 72 bytes only; a longer input can never be a stored password.
    matches = bcrypt.checkpw(secret[:BCRYPT_MAX_BYTES], hashed) and len(secret) <= BCRYPT_MAX_BYTES
    if locked_until is not None and locked_until > now:
        return LoginOutcome("locked")
    if usable and matches:
        version = record_login(engine, name, client=client)
        return LoginOutcome("ok", name, version or 0)
    return LoginOutcome("locked" if record_failed_login(engine, name, now, client=client) else "wrong")


def _user(session: Session, username: str) -> UserAccount | None:
    return session.execute(
        select(UserAccount).where(UserAccount.username == username.lower())
    ).scalar_one_or_none()


def end_sessions(user: UserAccount) -> None:
    """End every session of this user, on every server: their cookies and live sessions carry
    the old version and are refused from their next page run on. Call inside a write."""
    user.session_version = (user.session_version or 0) + 1


def clear_login_throttle(session: Session, username: str) -> None:
    """Lift every lock on this username (the beheerder's unlock, with a password reset)."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.username == _normalise(username)))


def record_failed_login(
    engine: Engine, username: str, now: dt.datetime | None = None, *, client: str | None = None
) -> bool:
    """Count a failed login for (username, client); lock that pair after LOCK_AFTER_FAILURES in a
    row, for LOCK_MINUTES. Returns True when this failure locked it.

    Per client: an attacker who types the beheerder's name five times locks only their own
    address, never the beheerder's login from theirs. A lock of a known account also ends its
    sessions (someone may be guessing because they already had access) and is mirrored on the
    account for the beheerder's overview.
    """
    now = now or utcnow()
    name, client = _normalise(username), _client(client)
    for attempt in range(2):  # a concurrent first failure may insert the same row: count again
        try:
            with write_session(engine) as session, session.begin():
                row = session.get(LoginThrottle, (name, client))
                if row is None:
                    row = LoginThrottle(username=name, client=client, failures=0, updated_at=now)
                    session.add(row)
                if row.locked_until is not None and row.locked_until <= now:
                    row.failures, row.locked_until = 0, None  # the previous lock has expired
                row.failures += 1
                row.updated_at = now
                locked = row.failures >= LOCK_AFTER_FAILURES
                user = _user(session, name)
                if locked:
                    row.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
                if user is not None:
                    user.failed_attempts = row.failures
                    if locked:
                        user.locked_until = row.locked_until
                        end_sessions(user)
                record_write(
                    session,
                    None,  # nobody is logged in yet
                    action="geblokkeerd" if locked else "inloggen mislukt",
                    entity="user_account",
                    entity_id=user.id if user is not None else None,
                    after={"failed_attempts": row.failures},
                    bump_version=False,
                )
                return locked
        except IntegrityError:
            if attempt:
                raise
    return False  # pragma: no cover - the loop returns or raises


def record_login(
    engine: Engine, username: str, *, via: str = "wachtwoord", client: str | None = None
) -> int | None:
    """Audit the start of a session (by password or by cookie); returns the session version.

    A password login also clears the failure count of this client for this username."""
    with write_session(engine) as session, session.begin():
        user = _user(session, username)
        if user is None:
            return None
        if via == "wachtwoord":
            user.failed_attempts = 0
            user.locked_until = None
            session.execute(
                delete(LoginThrottle).where(
                    LoginThrottle.username == _normalise(username), LoginThrottle.client == _client(client)
                )
            )
        record_write(
            session,
            user.id,
            action="ingelogd",
            entity="user_account",
            entity_id=user.id,
            after={"via": via},
            bump_version=False,
        )
        return user.session_version


def sso_login(engine: Engine, claim: str, value: object, email_verified: object = None) -> LoginOutcome:
    """A person whose identity the institution's OpenID Connect provider proved: the active
    account whose e-mail (claim "email", case-insensitive, exactly one account) or username
    (claim "sub") matches logs in; anyone else is refused. Audited either way (the beheerder
    sees a refused attempt with the claim's value); the provider says who someone is, our
    database what they may do.

    By e-mail only when the provider has not said the address is unverified (`email_verified`
    false: anyone could have typed it there). Providers that never send the claim (Microsoft
    Entra ID, SURFconext) manage their addresses themselves and are trusted."""
    found = str(value).strip() if isinstance(value, str) else ""
    unverified = claim == "email" and email_verified is not None and email_verified is not True \
        and str(email_verified).strip().lower() != "true"
    with write_session(engine) as session, session.begin():
        users = []
        if found and not unverified:
            column = func.lower(UserAccount.email) if claim == "email" else UserAccount.username
            users = session.execute(
                select(UserAccount).where(column == found.lower(), UserAccount.active.is_(True)).limit(2)
            ).scalars().all()
        if len(users) != 1:
            record_write(session, None, action="geweigerd", entity="login", entity_id=None,
                         after={"via": "sso", "claim": claim, "waarde": found[:254]}
                         | ({"reden": "e-mailadres niet geverifieerd"} if unverified else {}), bump_version=False)
            return LoginOutcome("wrong")
        user = users[0]
        record_write(session, user.id, action="ingelogd", entity="user_account", entity_id=user.id,
                     after={"via": "sso"}, bump_version=False)
        return LoginOutcome("ok", user.username, user.session_version or 0)


def record_logout(engine: Engine, username: str, now: dt.datetime | None = None) -> None:
    """Log out everywhere: the user's cookies and other live sessions are refused from now on.

    The cookie lives in the browser, so deleting it there is not enough: a copy keeps working
    until it expires unless the server refuses it."""
    now = now or utcnow()
    with write_session(engine) as session, session.begin():
        user = _user(session, username)
        if user is None:
            return
        user.logged_out_at = now
        end_sessions(user)
        record_write(
            session,
            user.id,
            action="uitgelogd",
            entity="user_account",
            entity_id=user.id,
            bump_version=False,
        )


def session_is_current(engine: Engine, username: str, version: int) -> bool:
    """True while a session (cookie or live) of this version may be used: the account is active,
    has a password, and nothing has ended its sessions since."""
    with engine.connect() as conn:
        user = conn.execute(
            select(UserAccount.active, UserAccount.session_version, UserAccount.password_hash).where(
                UserAccount.username == _normalise(username)
            )
        ).one_or_none()
    return bool(user is not None and user.active and user.password_hash and user.session_version == version)


def session_token(username: str, version: int, key: str, expiry_days: float, now: dt.datetime | None = None) -> str:
    """The login cookie's value: a JWT signed with the cookie key, with the session version."""
    now = now or utcnow()
    exp = now + dt.timedelta(days=expiry_days)
    return jwt.encode(
        {"sub": username, "sv": version, "iat": _epoch(now), "exp": _epoch(exp)}, key, algorithm="HS256"
    )


def read_session_token(token: str | None, key: str, now: dt.datetime | None = None) -> tuple[str, int] | None:
    """(username, session version) from a valid, unexpired login cookie; None otherwise."""
    if not token:
        return None
    try:
        claims = jwt.decode(
            token, key, algorithms=["HS256"], options={"require": ["sub", "sv", "exp"], "verify_exp": False}
        )
    except jwt.PyJWTError:
        return None
    if not isinstance(claims.get("sv"), int) or claims["exp"] <= _epoch(now or utcnow()):
        return None
    return str(claims["sub"]), claims["sv"]


def _epoch(moment: dt.datetime) -> int:
    return int(moment.replace(tzinfo=dt.UTC).timestamp())


def is_demo_database(engine: Engine) -> bool:
    """True only for an untouched demo data set, the one place the committed cookie key may be
    used: every demo login exists, is active, has its demo e-mail address and still opens with
    the demo password, and no other account holds the beheerder role (a cookie forged with the
    public key must never open a real installation's beheerder account). The generator gives the
    demo logins one hash, so this costs one bcrypt check."""
    demo_names = list(DEMO_USERNAMES.values())
    with engine.connect() as conn:
        hashes = conn.execute(
            select(UserAccount.password_hash).where(
                UserAccount.username.in_(demo_names), UserAccount.active.is_(True),
                UserAccount.email.in_([f"{u}@voorbeeld.nl" for u in demo_names]),
            )
        ).scalars().all()
        other_beheerders = conn.execute(
            select(func.count()).select_from(UserRole).join(UserAccount, UserAccount.id == UserRole.user_id)
            .where(UserRole.role == Role.BEHEERDER, UserAccount.username.not_in(demo_names))
        ).scalar_one()
    return (len(hashes) == len(DEMO_USERNAMES) and other_beheerders == 0
            and all(h and bcrypt.checkpw(DEMO_PASSWORD.encode(), h.encode()) for h in set(hashes)))


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
) -> int:
    """The user changes their own password; Dutch messages per field, nothing written on error.

    Every session of the user ends (a stolen cookie dies with the old password); returns the new
    session version, for the session that made the change to carry on with."""
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
        end_sessions(user)
        record_write(
            session,
            viewer.user_id,
            action="wachtwoord gewijzigd",
            entity="user_account",
            entity_id=user.id,
        )
        return user.session_version


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
