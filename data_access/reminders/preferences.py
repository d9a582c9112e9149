"""Each user's own choice per kind: direct, weekly or off (defaults when they chose nothing)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data_access.audit import record_write
from data_access.db import write_session
from data_access.errors import ValidationError
from data_access.models import ReminderFrequency, ReminderKind, ReminderPreference, Role
from data_access.reminders.kinds import DEFAULTS, DESCRIPTIONS, KINDS_BY_ROLE
from data_access.viewer import Viewer, roles_of

def kinds_for_roles(roles: Iterable[Role]) -> list[ReminderKind]:
    kinds = [kind for role in roles for kind in KINDS_BY_ROLE.get(role, ())]
    return list(dict.fromkeys(kinds))


def load_reminder_preferences(engine: Engine, viewer: Viewer) -> pd.DataFrame:
    """The viewer's own choice per kind that applies to any of their roles, defaults filled in.

    Columns: kind (Dutch value), omschrijving, frequentie (Dutch value)."""
    kinds = kinds_for_roles(roles_of(engine, viewer.user_id))
    with engine.connect() as conn:
        chosen = dict(conn.execute(
            select(ReminderPreference.kind, ReminderPreference.frequency)
            .where(ReminderPreference.user_id == viewer.user_id)
        ).all())
    return pd.DataFrame(
        [{"kind": k.value, "omschrijving": DESCRIPTIONS[k], "frequentie": chosen.get(k, DEFAULTS[k]).value}
         for k in kinds],
        columns=["kind", "omschrijving", "frequentie"],
    )


def set_reminder_preference(engine: Engine, viewer: Viewer, kind: ReminderKind | str,
                            frequency: ReminderFrequency | str) -> None:
    """Set the viewer's own frequency for one kind (one transaction, audited). A kind that does
    not apply to any of the viewer's roles is refused with a Dutch message."""
    try:
        kind, frequency = ReminderKind(kind), ReminderFrequency(frequency)
    except ValueError:
        raise ValidationError({"frequentie": "Onbekende soort herinnering of frequentie."}) from None
    if kind not in kinds_for_roles(roles_of(engine, viewer.user_id)):
        raise ValidationError({"frequentie": "Deze herinnering hoort niet bij uw rol."})
    with write_session(engine) as session, session.begin():
        row = session.get(ReminderPreference, (viewer.user_id, kind))
        before = row.frequency if row is not None else DEFAULTS[kind]
        if row is None:
            session.add(ReminderPreference(user_id=viewer.user_id, kind=kind, frequency=frequency))
        else:
            row.frequency = frequency
        record_write(session, viewer.user_id, action="gewijzigd", entity="herinnering", entity_id=viewer.user_id,
                     before={"soort": kind, "frequentie": before}, after={"soort": kind, "frequentie": frequency})


def preferences_of(session: Session, user_ids: Sequence[int]) -> dict[tuple[int, ReminderKind], ReminderFrequency]:
    if not user_ids:
        return {}
    rows = session.execute(
        select(ReminderPreference.user_id, ReminderPreference.kind, ReminderPreference.frequency)
        .where(ReminderPreference.user_id.in_(user_ids))
    ).all()
    return {(r.user_id, r.kind): r.frequency for r in rows}
