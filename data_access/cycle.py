"""The stage cycle as rules: which gesprekken are due by a given day (seeds 001, 002, 004).

Targets are guidelines (DOMAIN.md): these rules say what is expected so far, so a page can show
progress against it and explain a flag in words; they judge nobody.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from data_access.models import GesprekType

# Days after the stage start by which the startgesprek should have happened (week 1).
STARTGESPREK_DUE_DAYS = 7
# The evaluatiegesprek is "about halfway": due at the midpoint plus this grace.
EVALUATIE_GRACE_DAYS = 7
# The eindgesprek is due on the stage's last day and offered from this many days before it (the
# last week). Held earlier it is early: the form asks to confirm it (gesprekken.log_gesprek).
EINDGESPREK_GRACE_DAYS = 7


def due_dates(start: dt.date, end: dt.date) -> dict[GesprekType, dt.date]:
    """When each one-off gesprek of a stage is due."""
    midpoint = start + dt.timedelta(days=(end - start).days // 2)
    return {
        GesprekType.KENNISMAKING: start,
        GesprekType.STARTGESPREK: start + dt.timedelta(days=STARTGESPREK_DUE_DAYS),
        GesprekType.EVALUATIEGESPREK: midpoint + dt.timedelta(days=EVALUATIE_GRACE_DAYS),
        GesprekType.EINDGESPREK: end,
    }


def cycle_day(today: dt.date, eindgesprek_on: dt.date | None) -> dt.date:
    """The day the cycle is measured on: today, or the day of the eindgesprek when one was held.

    The eindgesprek closes the cycle: after it the stage expects nothing more. What was due by
    that day stays expected (a shortfall stays visible), nothing due after it is added. Any
    current eindgesprek counts, concept or vastgesteld, as every gesprek counts in the progress:
    the gesprek took place on that day; the status is about its verslag."""
    if eindgesprek_on is None or pd.isna(eindgesprek_on):
        return today
    return min(today, pd.Timestamp(eindgesprek_on).date())


def cycle_closed(row: pd.Series) -> bool:
    """Whether a stage's eindgesprek was held (a row of load_stage_progress): its cycle is closed,
    nothing more is due, late or offered next."""
    return int(row.get("n_eindgesprek", 0) or 0) > 0


def cycle_days(frame: pd.DataFrame, today: dt.date) -> pd.Series:
    """cycle_day per row, as timestamps: the optional column eindgesprek_on (the date of the
    stage's eindgesprek, empty when none was held) closes a row's cycle."""
    now = pd.Series(pd.Timestamp(today), index=frame.index)
    if "eindgesprek_on" not in frame:
        return now
    held = pd.to_datetime(frame["eindgesprek_on"])
    return now.where(held.isna() | (held >= now), held)


def days_early(date: dt.date, end: dt.date) -> int | None:
    """How many days an eindgesprek on `date` lies before the stage's last day when that is more
    than the grace of the last week (EINDGESPREK_GRACE_DAYS); None when it is not early."""
    days = (end - date).days
    return days if days > EINDGESPREK_GRACE_DAYS else None


def before_end_text(days: int) -> str:
    """'5 weken' (34 days: to the nearest week) or '10 dagen' (under two weeks a week count says
    too little)."""
    if days >= 14:
        return f"{(days + 3) // 7} weken"
    return "1 dag" if days == 1 else f"{days} dagen"


def add_expected_gesprekken(frame: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Add week, weeks_total and expected_<type> columns to rows with start_date/end_date (and,
    optionally, gesprek_interval_weeks: the stageplan's rhythm, 1 when absent or empty).

    - startgesprek: 1 from the end of week 1;
    - begeleidingsgesprek: one a week for every full week after the first, until the last week
      (the first and last weeks have the start- and eindgesprek); with a rhythm of n weeks one
      every n such weeks (expected_slots says when each is due);
    - evaluatiegesprek: 1 from the midpoint plus a week's grace;
    - eindgesprek: 1 from the end date, the stage's last day: due that day (held then, it is on
      time; match_slots calls it missing only from the day after), like the other one-offs,
      which count as expected from their due date.
    Kennismaking is "ideally" before the start and is not expected.

    With the optional column eindgesprek_on the counts are those of the eindgesprek's day
    (cycle_day): after it nothing more is expected, and the eindgesprek itself is expected
    (it was held). The week stays today's.
    """
    out = frame.copy()
    start = pd.to_datetime(out["start_date"])
    end = pd.to_datetime(out["end_date"])
    today_ts = pd.Timestamp(today)
    now = cycle_days(out, today)
    length = (end - start).dt.days

    def full_weeks(day: pd.Series) -> pd.Series:
        return np.minimum((day - start).dt.days.clip(lower=0), length) // 7

    weeks_total = np.ceil(length / 7).astype(int)
    out["weeks_total"] = weeks_total
    out["week"] = np.where(today_ts < start, 0, np.minimum(full_weeks(pd.Series(today_ts, index=out.index)) + 1,
                                                           weeks_total)).astype(int)
    out["expected_startgesprek"] = (now >= start + pd.Timedelta(days=STARTGESPREK_DUE_DAYS)).astype(int)
    weekly = (np.minimum(full_weeks(now), weeks_total - 1) - 1).clip(lower=0)
    out["expected_begeleidingsgesprek"] = (weekly // interval_weeks(out)).astype(int)
    midpoint = start + pd.to_timedelta(length // 2, unit="D")
    out["expected_evaluatiegesprek"] = (
        now >= midpoint + pd.Timedelta(days=EVALUATIE_GRACE_DAYS)
    ).astype(int)
    held = pd.to_datetime(out["eindgesprek_on"]).notna() if "eindgesprek_on" in out else False
    out["expected_eindgesprek"] = ((now >= end) | held).astype(int)
    return out


def interval_weeks(frame: pd.DataFrame) -> pd.Series:
    """Weeks between begeleidingsgesprekken per row: the stageplan's rhythm, 1 (weekly, the
    seeds' default) when the frame has no such column or the stage no stageplan."""
    if "gesprek_interval_weeks" not in frame:
        return pd.Series(1, index=frame.index)
    return frame["gesprek_interval_weeks"].fillna(1).astype(int).clip(lower=1)


def rhythm_text(weeks: int) -> str:
    """The rhythm as a flag says it: 'wekelijks' or 'om de 2 weken'."""
    return "wekelijks" if weeks <= 1 else f"om de {weeks} weken"


# What a slot of the cycle turned out to be; "gehouden" is a gesprek no slot asked for.
OP_TIJD, TE_LAAT, ONTBREEKT, VERWACHT, GEHOUDEN = "op tijd", "te laat", "ontbreekt", "verwacht", "gehouden"
SLOT_STATUSES = (OP_TIJD, TE_LAAT, ONTBREEKT, VERWACHT, GEHOUDEN)


def expected_by(gtype: GesprekType, due: dt.date, day: dt.date) -> bool:
    """Whether a slot counts as expected on `day`, as add_expected_gesprekken counts: a one-off
    from its due date, a begeleidingsgesprek from the day after (its due date is the last day of
    its week)."""
    return day > due if gtype is GesprekType.BEGELEIDINGSGESPREK else day >= due


def expected_slots(start: dt.date, end: dt.date, interval: int = 1,
                   closed_on: dt.date | None = None) -> list[tuple[GesprekType, dt.date]]:
    """Every gesprek the cycle expects in a stage, with its due date, in the same rules as
    add_expected_gesprekken: begeleidingsgesprek k (k = 1 … (weeks − 2) // interval) is due at
    the end of stage week interval·k + 1, so a slot counts as expected from the day after its
    due date (weekly: the end of week k + 1).

    `closed_on`, the day of the eindgesprek (cycle_day): only the slots expected by then are
    left, and the eindgesprek's own; after it the stage expects nothing more."""
    due = due_dates(start, end)
    weeks_total = -(-(end - start).days // 7)
    weekly = [
        (GesprekType.BEGELEIDINGSGESPREK, start + dt.timedelta(days=7 * (interval * k + 1) - 1))
        for k in range(1, (weeks_total - 2) // interval + 1)
    ]
    one_off = [(t, due[t]) for t in (GesprekType.STARTGESPREK, GesprekType.EVALUATIEGESPREK, GesprekType.EINDGESPREK)]
    slots = one_off + weekly
    if closed_on is not None:
        slots = [(t, d) for t, d in slots if t is GesprekType.EINDGESPREK or expected_by(t, d, closed_on)]
    return sorted(slots, key=lambda slot: slot[1])


def match_slots(
    start: dt.date, end: dt.date, held: list[tuple[GesprekType, dt.date]], today: dt.date, interval: int = 1
) -> list[tuple[GesprekType, dt.date | None, dt.date | None, str]]:
    """Pair the gesprekken held with the expected slots: (type, due, held_on, status).

    Per type the n-th gesprek held fills the n-th slot, so the counts agree with the cohort
    table and its flags: a slot is "op tijd" when filled by its due date, "te laat" when filled
    after it, "ontbreekt" when empty after it and "verwacht" when empty and not yet due.
    Gesprekken beyond the slots (a kennismaking, an extra one) are listed as "gehouden".
    An eindgesprek held closes the cycle (cycle_day): no slot due after it is asked for.
    """
    rows: list[tuple[GesprekType, dt.date | None, dt.date | None, str]] = []
    closed_on = min((d for t, d in held if t is GesprekType.EINDGESPREK and d <= today), default=None)
    slots = expected_slots(start, end, interval, closed_on)
    for gtype in GesprekType:
        dates = sorted(d for t, d in held if t is gtype and d <= today)
        dues = [d for t, d in slots if t is gtype]
        for i, due in enumerate(dues):
            if i < len(dates):
                rows.append((gtype, due, dates[i], OP_TIJD if dates[i] <= due else TE_LAAT))
            else:
                rows.append((gtype, due, None, ONTBREEKT if today > due else VERWACHT))
        rows += [(gtype, None, d, GEHOUDEN) for d in dates[len(dues):]]
    return sorted(rows, key=lambda r: (r[2] or r[1], r[0].value))


def gesprek_slots(stages: pd.DataFrame, gesprekken: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """match_slots for many stages. stages: stage_id, start_date, end_date (and optionally
    gesprek_interval_weeks); gesprekken: stage_id, type (GesprekType value), date. Columns:
    stage_id, type, due, held_on, status."""
    held: dict[int, list[tuple[GesprekType, dt.date]]] = {}
    for stage_id, gtype, date in gesprekken[["stage_id", "type", "date"]].itertuples(index=False):
        held.setdefault(stage_id, []).append((GesprekType(gtype), date))
    stages = stages.assign(interval=interval_weeks(stages))
    rows = [
        (stage_id, gtype.value, due, held_on, status)
        for stage_id, start, end, interval in stages[["stage_id", "start_date", "end_date", "interval"]].itertuples(index=False)
        for gtype, due, held_on, status in match_slots(start, end, held.get(stage_id, []), today, interval)
    ]
    return pd.DataFrame(rows, columns=["stage_id", "type", "due", "held_on", "status"])


def slots_per_week(slots: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Expected gesprekken that were due by today, counted per week of their due date (weeks
    start on Monday) and status. Columns: week (date of the Monday), status, n."""
    due = slots[slots["due"].notna() & slots["status"].isin((OP_TIJD, TE_LAAT, ONTBREEKT))]
    due = due[due["due"] <= today]
    monday = due["due"].map(lambda d: d - dt.timedelta(days=d.weekday()))
    counts = due.assign(week=monday).groupby(["week", "status"]).size().rename("n").reset_index()
    return counts.sort_values(["week", "status"], ignore_index=True)


def next_gesprek_type(row: pd.Series, today: dt.date) -> GesprekType | None:
    """The gesprek a form should offer first for a stage (a row of load_stage_progress): the
    one-off that is due or overdue and not held yet, else the weekly begeleidingsgesprek; None
    once the eindgesprek was held (cycle_day: the stage expects no gesprek any more)."""
    start, end = row["start_date"], row["end_date"]
    due = due_dates(start, end)
    if cycle_closed(row):
        return None
    if today < start and row["n_kennismaking"] == 0:
        return GesprekType.KENNISMAKING
    if row["n_startgesprek"] == 0:
        return GesprekType.STARTGESPREK
    midpoint = start + dt.timedelta(days=(end - start).days // 2)
    if today >= midpoint and row["n_evaluatiegesprek"] == 0:
        return GesprekType.EVALUATIEGESPREK
    if today >= due[GesprekType.EINDGESPREK] - dt.timedelta(days=EINDGESPREK_GRACE_DAYS):
        return GesprekType.EINDGESPREK
    return GesprekType.BEGELEIDINGSGESPREK
