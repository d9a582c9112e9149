"""A run: plan per user by preference, claim once, send, and give claims back on failure."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from data_access import clock
from data_access.db import make_engine, write_session
from data_access.models import ReminderKind, ReminderSent, UserAccount
from data_access.reminders.due import due_items
from data_access.reminders.kinds import DEFAULTS, F, DueItem
from data_access.reminders.mail import Mailer, SmtpUnavailable, compose_mail
from data_access.reminders.preferences import preferences_of
from data_access.settings import Settings, load_settings

# A claim this old without sent_at belongs to a run that died before it could send or release.
STALE_CLAIM = dt.timedelta(hours=1)
# A run re-reads what is due when its plan is older than this many seconds.
REPLAN_AFTER = 60.0


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass
class RunResult:
    mails: int = 0
    items: int = 0
    failed_mails: int = 0
    unsent: int = 0  # mails not tried because the SMTP server could not be reached
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed_mails and not self.unsent

    def summary(self, today: dt.date, dry_run: bool) -> str:
        if dry_run:
            return (f"Proefdraai {today:%d-%m-%Y}: {self.mails} e-mails met {self.items} herinneringen "
                    "zouden verstuurd worden; niets verstuurd of vastgelegd.")
        text = f"Herinneringen {today:%d-%m-%Y}: {self.mails} e-mails verstuurd met {self.items} herinneringen."
        if self.failed_mails:
            text += f" {self.failed_mails} e-mails mislukt; die worden bij de volgende run opnieuw geprobeerd."
        if self.unsent:
            text += (f" SMTP-server niet bereikbaar: {self.unsent} e-mails niet verstuurd; die volgen bij de "
                     "volgende run.")
        return text


def _insert(engine: Engine):
    return (postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert)(ReminderSent)


def _week_key(today: dt.date) -> str:
    year, week, _ = today.isocalendar()
    return f"week:{year}-W{week:02d}"


def _claim(engine: Engine, user_id: int, items: list[DueItem], weekly: set[ReminderKind],
           today: dt.date, now: dt.datetime) -> tuple[list[int], list[DueItem]]:
    """Claim the week markers of weekly kinds, then the items, in one committed transaction.

    Returns the ids of the rows this run inserted and the items it may mail; a kind whose week
    marker another run holds, and an item another run claimed, are left out."""
    insert = _insert(engine)
    ids: list[int] = []
    mine: list[DueItem] = []
    with write_session(engine) as session, session.begin():
        for kind in sorted(weekly, key=lambda k: k.value):
            got = session.execute(
                insert.values(user_id=user_id, kind=kind, thing_key=_week_key(today), claimed_at=now)
                .on_conflict_do_nothing().returning(ReminderSent.id)
            ).scalar_one_or_none()
            if got is None:
                items = [item for item in items if item.kind is not kind]
            else:
                ids.append(got)
        by_key = {(item.kind, item.thing_key): item for item in items}
        if by_key:
            rows = session.execute(
                insert.values([{"user_id": user_id, "kind": item.kind, "thing_key": item.thing_key,
                                "claimed_at": now} for item in by_key.values()])
                .on_conflict_do_nothing().returning(ReminderSent.id, ReminderSent.kind, ReminderSent.thing_key)
            ).all()
            for row in rows:
                ids.append(row.id)
                mine.append(by_key[(ReminderKind(row.kind), row.thing_key)])
    if not mine and ids:  # a week marker with nothing to mail: give it back
        _release(engine, ids)
        ids = []
    return ids, sorted(mine, key=DueItem.order)


def _release(engine: Engine, ids: list[int]) -> None:
    with write_session(engine) as session, session.begin():
        session.execute(delete(ReminderSent).where(ReminderSent.id.in_(ids)))


def _mark_sent(engine: Engine, ids: list[int], now: dt.datetime) -> None:
    with write_session(engine) as session, session.begin():
        session.execute(update(ReminderSent).where(ReminderSent.id.in_(ids)).values(sent_at=now))


def _free_stale_claims(engine: Engine, now: dt.datetime) -> None:
    with write_session(engine) as session, session.begin():
        session.execute(delete(ReminderSent).where(ReminderSent.sent_at.is_(None),
                                                   ReminderSent.claimed_at < now - STALE_CLAIM))


def _already_mailed(session: Session, user_id: int, items: list[DueItem], today: dt.date) -> set[tuple]:
    keys = {item.thing_key for item in items} | {_week_key(today)}
    rows = session.execute(
        select(ReminderSent.kind, ReminderSent.thing_key)
        .where(ReminderSent.user_id == user_id, ReminderSent.thing_key.in_(keys))
    ).all()
    return {(r.kind, r.thing_key) for r in rows}


def plan_mails(engine: Engine, today: dt.date, settings: Settings) -> dict[int, tuple[list[DueItem], set[ReminderKind]]]:
    """Per user the items to mail now (by preference, not mailed before) and which of their
    kinds are weekly (those need this week's marker)."""
    items = due_items(engine, today, settings)
    by_user: dict[int, list[DueItem]] = defaultdict(list)
    for item in items:
        by_user[item.user_id].append(item)
    plans = {}
    with Session(engine) as session:
        prefs = preferences_of(session, sorted(by_user))
        for user_id, user_items in by_user.items():
            done = _already_mailed(session, user_id, user_items, today)
            chosen, weekly = [], set()
            for item in user_items:
                freq = prefs.get((user_id, item.kind), DEFAULTS[item.kind])
                if freq is F.UIT or (item.kind, item.thing_key) in done:
                    continue
                if freq is F.WEKELIJKS:
                    if (item.kind, _week_key(today)) in done:
                        continue
                    weekly.add(item.kind)
                chosen.append(item)
            if chosen:
                plans[user_id] = (chosen, weekly)
    return plans


def send_reminders(engine: Engine, today: dt.date, settings: Settings, *, dry_run: bool = False) -> RunResult:
    """Mail every user what is due for them today (one mail per user), each thing once."""
    result = RunResult()
    now = _now()
    if not dry_run:
        _free_stale_claims(engine, now)
    plans, planned_at = plan_mails(engine, today, settings), time.monotonic()
    queue = sorted(plans)
    with Session(engine) as session:
        emails = dict(session.execute(
            select(UserAccount.id, UserAccount.email).where(UserAccount.id.in_(queue))
        ).all())
    mailer = Mailer(settings)
    try:
        for position, user_id in enumerate(queue):
            if not dry_run and time.monotonic() - planned_at > REPLAN_AFTER:
                # What was due at the start may have been done since (a slow server, a long run):
                # ask again, so nobody is reminded of what they did meanwhile.
                plans, planned_at = plan_mails(engine, today, settings), time.monotonic()
            if user_id not in plans:
                continue
            items, weekly = plans[user_id]
            if dry_run:
                result.mails, result.items = result.mails + 1, result.items + len(items)
                continue
            ids, mine = _claim(engine, user_id, items, weekly, today, now)
            if not mine:
                continue
            try:
                mailer.send(compose_mail(emails[user_id], mine, settings))
            except SmtpUnavailable as exc:
                # The server is down or refuses us: stop, the next run tries everything again.
                _release(engine, ids)
                result.unsent = len(queue) - position
                result.errors.append(str(exc))
                break
            except Exception as exc:  # noqa: BLE001 - this mail failed: give its claims back, go on
                _release(engine, ids)
                result.failed_mails += 1
                result.errors.append(f"gebruiker {user_id}: {exc}")  # an id in the log, not an address
                continue
            _mark_sent(engine, ids, _now())
            result.mails, result.items = result.mails + 1, result.items + len(mine)
    finally:
        mailer.close()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m data_access.reminders",
        description="Verstuur e-mailherinneringen aan wie nog iets moet doen (voor cron of een systemd-timer).",
    )
    parser.add_argument("--db-url", help="database-URL (standaard: STAGE_DB_URL of secrets.toml)")
    parser.add_argument("--today", type=dt.date.fromisoformat, help="de datum van vandaag, JJJJ-MM-DD")
    parser.add_argument("--dry-run", action="store_true", help="alleen tellen: niets versturen of vastleggen")
    args = parser.parse_args(argv)
    settings = load_settings()
    today = args.today or clock.today(settings)
    engine = make_engine(args.db_url or settings.db_url)
    try:
        result = send_reminders(engine, today, settings, dry_run=args.dry_run)
    except Exception as exc:  # noqa: BLE001 - a cron job reports and exits non-zero
        print(f"Herinneringen niet verstuurd: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(result.summary(today, args.dry_run))
    for error in result.errors:
        print(f"  mislukt: {error}", file=sys.stderr)
    return 0 if result.ok else 1

