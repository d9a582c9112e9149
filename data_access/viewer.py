"""Who is looking: every query and command takes a Viewer and is scoped by it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select

from data_access.errors import AccessDenied
from data_access.models import Role, UserAccount, UserRole


@dataclass(frozen=True)
class Viewer:
    """A logged-in user acting in one role. Frozen and small, so it can key a cache."""

    user_id: int
    role: Role
    display_name: str = ""


def roles_of(engine: Engine, user_id: int) -> list[Role]:
    with engine.connect() as conn:
        rows = conn.execute(select(UserRole.role).where(UserRole.user_id == user_id)).scalars()
        return sorted(rows, key=lambda r: list(Role).index(r))


def viewer_for(engine: Engine, username: str, role: Role | None = None) -> Viewer:
    """The Viewer for an active user, in `role` or else their first role.

    This is the one way to get a Viewer, for the app after login and for a notebook alike, so an
    analyst sees exactly what their role sees in the app.
    """
    with engine.connect() as conn:
        user = conn.execute(
            select(UserAccount.id, UserAccount.display_name, UserAccount.active).where(
                UserAccount.username == username
            )
        ).one_or_none()
    if user is None or not user.active:
        raise AccessDenied(f"Onbekende of niet-actieve gebruiker: {username}")
    roles = roles_of(engine, user.id)
    if not roles or (role is not None and role not in roles):
        raise AccessDenied(f"{username} heeft de rol {role.value if role else '(geen)'} niet")
    return Viewer(user_id=user.id, role=role or roles[0], display_name=user.display_name)
