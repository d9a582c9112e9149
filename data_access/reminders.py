"""E-mail reminders to the people who still have to act, sent by a command (cron, systemd timer).

    python -m data_access.reminders [--db-url URL] [--today YYYY-MM-DD] [--dry-run]

What is due is read from the database at run time, so someone who already acted gets nothing.
A mail names no aios, no score and no rating content: per kind a count and a link to the page.

Once per thing: before a mail goes, its items are claimed in `reminder_sent` with
INSERT … ON CONFLICT DO NOTHING in a committed transaction; only what this run claimed goes in
the mail, so two runs (or two servers) at once mail each item once. A failed mail deletes its
claims (the next run retries); a run that crashed between claim and send leaves claims without
`sent_at`, which a run after STALE_CLAIM frees again. A weekly kind also claims a marker for the
ISO week, so it is mailed at most once per user, kind and week.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import smtplib
import ssl
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import pandas as pd
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from data_access.audit import record_write
from data_access.db import make_engine, write_session
from data_access.errors import ValidationError
from data_access.flags import FLAG_KINDS, add_flags
from data_access.models import (
    Aios,
    Gesprek,
    GesprekStatus,
    Instituutsopleider,
    OpleiderAios,
    OpleiderCohort,
    ReminderFrequency,
    ReminderKind,
    ReminderPreference,
    ReminderSent,
    Role,
    Stage,
    StageBegeleider,
    Stagebegeleider,
    StageplaatsRating,
    Stageplan,
    StageStatus,
    UserAccount,
)
from data_access.queries.filters import StageSelection
from data_access.queries.progress import is_current_gesprek, load_stage_progress
from data_access.settings import Settings, load_settings
from data_access.viewer import Viewer, roles_of

K = ReminderKind
F = ReminderFrequency

# No row in reminder_preference means this: act-now kinds at once, the opleider's digest weekly.
DEFAULTS = {kind: F.DIRECT for kind in K} | {K.SIGNALEN: F.WEKELIJKS}
KINDS_BY_ROLE = {
    Role.STAGEBEGELEIDER: (K.GESPREK_ACHTER, K.VERSLAG_VASTSTELLEN),
    Role.AIOS: (K.VERSLAG_TERUGGESTUURD, K.STAGEVERSLAG, K.STAGEPLAATS_BEOORDELEN),
    Role.INSTITUUTSOPLEIDER: (K.SIGNALEN,),
}
DESCRIPTIONS = {
    K.GESPREK_ACHTER: "Een aios die u begeleidt heeft te lang geen gesprek gehad",
    K.VERSLAG_VASTSTELLEN: "Verslagen die op uw vaststelling wachten",
    K.VERSLAG_TERUGGESTUURD: "Uw verslag is teruggestuurd",
    K.STAGEVERSLAG: "Uw stageverslag moet binnenkort ingeleverd worden",
    K.STAGEPLAATS_BEOORDELEN: "Een afgeronde stage wacht op uw beoordeling van de stageplaats",
    K.SIGNALEN: "Nieuwe signalen in uw cohorten (weekoverzicht)",
}
FREQUENCY_LABELS = {F.DIRECT.value: "Direct", F.WEKELIJKS.value: "Eén keer per week", F.UIT.value: "Uit"}
SUBJECTS = {
    K.GESPREK_ACHTER: "gesprek achter",
    K.VERSLAG_VASTSTELLEN: "verslag vaststellen",
    K.VERSLAG_TERUGGESTUURD: "verslag teruggestuurd",
    K.STAGEVERSLAG: "stageverslag inleveren",
    K.STAGEPLAATS_BEOORDELEN: "stageplaats beoordelen",
    K.SIGNALEN: "nieuwe signalen",
}
PAGES = {
    K.GESPREK_ACHTER: "mijn_aios",
    K.VERSLAG_VASTSTELLEN: "gesprek_vastleggen",
    K.VERSLAG_TERUGGESTUURD: "gesprek_vastleggen",
    K.STAGEVERSLAG: "mijn_stage",
    K.STAGEPLAATS_BEOORDELEN: "stageplaats_beoordelen",
    K.SIGNALEN: "cohorten",
}
# A claim this old without sent_at belongs to a run that died before it could send or release.
STALE_CLAIM = dt.timedelta(hours=1)
# A run re-reads what is due when its plan is older than this many seconds.
REPLAN_AFTER = 60.0
# The whole database through the flag rules, for this command only (never a logged-in user).
_SYSTEM = Viewer(user_id=0, role=Role.BEHEERDER, display_name="herinneringen")


@dataclass(frozen=True)
class DueItem:
    """One thing one user still has to do (or, for an opleider, one new signal)."""

    user_id: int
    kind: ReminderKind
    thing_key: str
    detail: str = ""  # the due date of a stageverslag; the flag kind of a signal

    def order(self) -> tuple:
        return self.user_id, list(ReminderKind).index(self.kind), self.thing_key


def _short_hash(text: str | None) -> str:
    return hashlib.sha256((text or "").encode()).hexdigest()[:12]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# --- what is due ----------------------------------------------------------------------------


def _concept_items(session: Session, since: dt.date) -> list[DueItem]:
    """Drafts waiting for a begeleider (no remark) and drafts sent back to the aios (remark).

    A draft the aios rewrote has a new submit token and so is a new thing to confirm; a second
    remark is a new thing to rewrite."""
    rows = session.execute(
        select(Gesprek.id, Gesprek.submit_token, Gesprek.return_remark, Stage.id.label("stage_id"),
               Aios.user_id.label("aios_user"))
        .join(Stage, Stage.id == Gesprek.stage_id)
        .join(Aios, Aios.id == Stage.aios_id)
        .where(Gesprek.status == GesprekStatus.CONCEPT, is_current_gesprek(), Gesprek.date >= since)
    ).all()
    begeleiders = _begeleider_users(session, {r.stage_id for r in rows if r.return_remark is None})
    items = []
    for r in rows:
        if r.return_remark is None:
            items += [DueItem(user, K.VERSLAG_VASTSTELLEN, f"gesprek:{r.id}:{_short_hash(r.submit_token)}")
                      for user in begeleiders.get(r.stage_id, ())]
        else:
            items.append(DueItem(r.aios_user, K.VERSLAG_TERUGGESTUURD,
                                 f"gesprek:{r.id}:{_short_hash(r.return_remark)}"))
    return items


def _stageverslag_items(session: Session, today: dt.date, since: dt.date, days_before: int) -> list[DueItem]:
    rows = session.execute(
        select(Stage.id, Stageplan.verslag_due, Aios.user_id)
        .join(Stageplan, Stageplan.stage_id == Stage.id)
        .join(Aios, Aios.id == Stage.aios_id)
        .where(Stageplan.verslag_handed_in.is_(None), Stage.status != StageStatus.AFGEBROKEN,
               Stageplan.verslag_due <= today + dt.timedelta(days=days_before), Stageplan.verslag_due >= since)
    ).all()
    return [DueItem(r.user_id, K.STAGEVERSLAG, f"stage:{r.id}:{r.verslag_due.isoformat()}",
                    r.verslag_due.isoformat()) for r in rows]


def _rating_items(session: Session, today: dt.date, since: dt.date) -> list[DueItem]:
    rated = select(StageplaatsRating.stage_id).where(StageplaatsRating.stage_id == Stage.id).exists()
    rows = session.execute(
        select(Stage.id, Aios.user_id)
        .join(Aios, Aios.id == Stage.aios_id)
        .where(Stage.end_date < today, Stage.end_date >= since, Stage.status != StageStatus.AFGEBROKEN, ~rated)
    ).all()
    return [DueItem(r.user_id, K.STAGEPLAATS_BEOORDELEN, f"stage:{r.id}") for r in rows]


def _begeleider_users(session: Session, stage_ids: Iterable[int]) -> dict[int, list[int]]:
    ids = sorted(set(stage_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(StageBegeleider.stage_id, Stagebegeleider.user_id)
        .join(Stagebegeleider, Stagebegeleider.id == StageBegeleider.begeleider_id)
        .where(StageBegeleider.stage_id.in_(ids))
    ).all()
    out: dict[int, list[int]] = defaultdict(list)
    for r in rows:
        out[r.stage_id].append(r.user_id)
    return out


def _opleider_users(session: Session, aios_ids: Iterable[int]) -> dict[int, set[int]]:
    """Per aios the opleiders who follow them: through a cohort or individually (their scope)."""
    ids = sorted(set(aios_ids))
    if not ids:
        return {}
    by_cohort = (
        select(Aios.id.label("aios_id"), Instituutsopleider.user_id)
        .join(OpleiderCohort, OpleiderCohort.cohort_id == Aios.cohort_id)
        .join(Instituutsopleider, Instituutsopleider.id == OpleiderCohort.opleider_id)
        .where(Aios.id.in_(ids))
    )
    individual = (
        select(OpleiderAios.aios_id, Instituutsopleider.user_id)
        .join(Instituutsopleider, Instituutsopleider.id == OpleiderAios.opleider_id)
        .where(OpleiderAios.aios_id.in_(ids))
    )
    out: dict[int, set[int]] = defaultdict(set)
    for r in session.execute(by_cohort.union(individual)).all():
        out[r.aios_id].add(r.user_id)
    return out


def _anchor(row: pd.Series, flag: str) -> str:
    """What makes a recurring flag a new one: a new gap after a new gesprek or feedback moment."""
    column = {"gesprek": "last_gesprek", "feedback": "last_feedback"}.get(flag)
    if column is None:
        return ""
    value = row[column]
    return "geen" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _flag_items(engine: Engine, session: Session, today: dt.date, settings: Settings) -> list[DueItem]:
    """Overdue gesprekken (to the begeleiders) and new signals (to the opleiders), by the very
    rules and thresholds of the cohort overview (flags.add_flags with settings.flags)."""
    progress = load_stage_progress(engine, _SYSTEM, StageSelection(today=today))
    if progress.empty:
        return []
    flagged = add_flags(progress, today, settings.flags)
    flagged = flagged[flagged["flag_count"] > 0]
    begeleiders = _begeleider_users(session, flagged["stage_id"].astype(int))
    opleiders = _opleider_users(session, flagged["aios_id"].astype(int))
    items = []
    for _, row in flagged.iterrows():
        stage_id = int(row["stage_id"])
        if "gesprek" in row["flags"]:
            key = f"stage:{stage_id}:sinds:{_anchor(row, 'gesprek')}"
            items += [DueItem(user, K.GESPREK_ACHTER, key) for user in begeleiders.get(stage_id, ())]
        for flag in row["flags"]:
            key = f"stage:{stage_id}:{flag}:{_anchor(row, flag)}"
            items += [DueItem(user, K.SIGNALEN, key, flag) for user in sorted(opleiders.get(int(row["aios_id"]), ()))]
    return items


def due_items(engine: Engine, today: dt.date, settings: Settings) -> list[DueItem]:
    """Everything due on `today` for active users with an e-mail address, sorted; not yet
    filtered by preference or by what was mailed before."""
    since = today - dt.timedelta(days=settings.reminder_window_days)
    with Session(engine) as session:
        items = (
            _concept_items(session, since)
            + _stageverslag_items(session, today, since, settings.reminder_verslag_days_before)
            + _rating_items(session, today, since)
            + _flag_items(engine, session, today, settings)
        )
        reachable = set(session.execute(
            select(UserAccount.id).where(UserAccount.active.is_(True), UserAccount.email.is_not(None),
                                         UserAccount.email != "")
        ).scalars())
    return sorted({item for item in items if item.user_id in reachable}, key=DueItem.order)


# --- preferences ----------------------------------------------------------------------------


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


def _preferences(session: Session, user_ids: Sequence[int]) -> dict[tuple[int, ReminderKind], ReminderFrequency]:
    if not user_ids:
        return {}
    rows = session.execute(
        select(ReminderPreference.user_id, ReminderPreference.kind, ReminderPreference.frequency)
        .where(ReminderPreference.user_id.in_(user_ids))
    ).all()
    return {(r.user_id, r.kind): r.frequency for r in rows}


# --- the mail -------------------------------------------------------------------------------


def _date_nl(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d-%m-%Y")


def _sentence(kind: ReminderKind, items: list[DueItem], settings: Settings) -> str:
    n = len(items)
    match kind:
        case K.GESPREK_ACHTER:
            return (f"Bij {n} aios die u begeleidt is het wekelijkse gesprek achter "
                    f"(langer dan {settings.flags.days_without_gesprek} dagen geen gesprek).")
        case K.VERSLAG_VASTSTELLEN:
            return "1 verslag wacht op uw vaststelling." if n == 1 else f"{n} verslagen wachten op uw vaststelling."
        case K.VERSLAG_TERUGGESTUURD:
            return ("1 verslag is met een opmerking aan u teruggestuurd." if n == 1
                    else f"{n} verslagen zijn met een opmerking aan u teruggestuurd.")
        case K.STAGEVERSLAG:
            first = _date_nl(min(item.detail for item in items))
            return (f"Uw stageverslag is nog niet ingeleverd (uiterlijk {first})." if n == 1
                    else f"{n} stageverslagen zijn nog niet ingeleverd (het eerste uiterlijk {first}).")
        case K.STAGEPLAATS_BEOORDELEN:
            return ("1 afgeronde stage wacht op uw beoordeling van de stageplaats." if n == 1
                    else f"{n} afgeronde stages wachten op uw beoordeling van de stageplaats.")
        case K.SIGNALEN:
            counts = {flag: sum(1 for item in items if item.detail == flag) for flag in FLAG_KINDS}
            parts = ", ".join(f"{c} × {FLAG_KINDS[flag]}" for flag, c in counts.items() if c)
            head = "1 nieuw signaal" if n == 1 else f"{n} nieuwe signalen"
            return f"{head} bij aios die u volgt: {parts}."
    raise AssertionError(kind)


def compose_mail(to: str, items: list[DueItem], settings: Settings) -> EmailMessage:
    """The mail for one user's claimed items: per kind a count and a link; no names, no scores."""
    by_kind: dict[ReminderKind, list[DueItem]] = defaultdict(list)
    for item in items:
        by_kind[item.kind].append(item)
    kinds = [k for k in K if k in by_kind]
    base = settings.app_url.rstrip("/")
    lines = ["Goedendag,", "", "In het stagebegeleidingsdashboard staat iets voor u klaar:", ""]
    for kind in kinds:
        lines += [f"- {_sentence(kind, by_kind[kind], settings)}", f"  {base}/{PAGES[kind]}", ""]
    lines += [
        "Deze e-mail noemt bewust geen namen en geen beoordelingen; na inloggen ziet u alles.",
        f"Hoe vaak u herinneringen krijgt, kiest u onder Mijn account: {base}/account",
    ]
    msg = EmailMessage()
    msg["Subject"] = ("Stagebegeleiding: " + SUBJECTS[kinds[0]] if len(kinds) == 1
                      else f"Stagebegeleiding: {len(kinds)} herinneringen")
    msg["From"] = settings.mail_from
    msg["To"] = to
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2] or None)
    msg.set_content("\n".join(lines) + "\n")
    return msg


class SmtpUnavailable(Exception):
    """Connecting, STARTTLS or logging in failed: every further mail of this run would fail too."""


class Mailer:
    """One SMTP connection per run, opened on first use and again after a failed mail."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        try:
            smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout)
        except (smtplib.SMTPException, OSError) as exc:
            raise SmtpUnavailable(f"{s.smtp_host}:{s.smtp_port}: {exc}") from exc
        try:
            if s.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password)
        except (smtplib.SMTPException, OSError) as exc:
            smtp.close()
            raise SmtpUnavailable(f"{s.smtp_host}:{s.smtp_port}: {exc}") from exc
        return smtp

    def send(self, msg: EmailMessage) -> None:
        if self.smtp is None:
            self.smtp = self._connect()
        try:
            self.smtp.send_message(msg)
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None


# --- the run --------------------------------------------------------------------------------


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
        prefs = _preferences(session, sorted(by_user))
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
    today = args.today or dt.date.today()
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


if __name__ == "__main__":
    sys.exit(main())
