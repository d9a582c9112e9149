"""Flags that explain themselves: each is a Dutch sentence with its numbers, never just red.

Computed from the rows of load_stage_progress (already aggregated in the database) and the
thresholds in settings. Targets are guidelines (DOMAIN.md): a flag says what is behind, it
does not judge the aios.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data_access.cycle import cycle_closed, due_dates, rhythm_text
from data_access.models import GesprekType
from data_access.settings import FlagThresholds

# Flag kinds in the order a cohort overview counts them; the key is what a filter selects on.
FLAG_KINDS = {
    "gesprek": "Geen recent gesprek",
    "feedback": "Geen recente feedback",
    "startgesprek": "Startgesprek te laat",
    "evaluatiegesprek": "Evaluatiegesprek te laat",
    "begeleidingsgesprekken": "Begeleidingsgesprekken achter",
    "kpb": "KPB's achter",
    "stageplan": "Stageplan niet goedgekeurd",
    "stageverslag": "Stageverslag te laat",
}


def _days(n: int) -> str:
    return "1 dag" if n == 1 else f"{n} dagen"


def _late(row: pd.Series, gtype: GesprekType, today: dt.date) -> int | None:
    """Days a one-off gesprek is overdue, or None when it was held or is not due yet."""
    if row[f"n_{gtype.value}"] > 0:
        return None
    due = due_dates(row["start_date"], row["end_date"])[gtype]
    return (today - due).days if today > due else None


def _recency_flags(row: pd.Series, today: dt.date, limits: FlagThresholds) -> dict[str, str]:
    """"Geen recent gesprek" and "geen recente feedback", measured from the last one (or the start)."""
    flags: dict[str, str] = {}
    started = (today - row["start_date"]).days
    # The threshold is for a weekly rhythm; a stageplan with a longer one waits its extra weeks.
    weeks = int(row.get("gesprek_interval_weeks", 1) or 1)
    without, rhythm = limits.days_without_gesprek + 7 * (weeks - 1), rhythm_text(weeks)
    if pd.isna(row["days_since_gesprek"]):
        if started >= without:
            flags["gesprek"] = f"nog geen gesprek na {_days(started)} stage (verwacht: {rhythm})"
    elif row["days_since_gesprek"] >= without:
        flags["gesprek"] = f"geen gesprek sinds {_days(int(row['days_since_gesprek']))} (verwacht: {rhythm})"
    if pd.isna(row["days_since_feedback"]):
        if started >= limits.days_without_feedback:
            flags["feedback"] = f"nog geen feedback na {_days(started)} stage"
    elif row["days_since_feedback"] >= limits.days_without_feedback:
        flags["feedback"] = f"geen feedback in {_days(int(row['days_since_feedback']))}"
    return flags


def stage_flags(row: pd.Series, today: dt.date, limits: FlagThresholds) -> dict[str, str]:
    """The flags of one running stage: kind → the sentence a user reads.

    After the eindgesprek (cycle_closed) nothing new is asked: no "geen recent gesprek" or "geen
    recente feedback", and a one-off that was due before it and never held says so, without counting
    days on. The counts (begeleidingsgesprekken, KPB's) are those of the eindgesprek's day
    (load_stage_progress), so a shortfall before it stays visible and nothing after it is added."""
    ended = cycle_closed(row)
    flags = {} if ended else _recency_flags(row, today, limits)
    for kind, gtype in (("startgesprek", GesprekType.STARTGESPREK), ("evaluatiegesprek", GesprekType.EVALUATIEGESPREK)):
        if ended:
            if row[f"n_{gtype.value}"] < row[f"expected_{gtype.value}"]:
                flags[kind] = f"{gtype.value} niet gehouden vóór het eindgesprek"
            continue
        late = _late(row, gtype, today)
        if late is not None:
            flags[kind] = f"{gtype.value} {_days(late)} over tijd"
    when = " bij het eindgesprek" if ended else ""
    done, expected = int(row["n_begeleidingsgesprek"]), int(row["expected_begeleidingsgesprek"])
    if expected - done > limits.begeleidingsgesprekken_tolerance:
        flags["begeleidingsgesprekken"] = f"begeleidingsgesprekken achter{when}: {done} van verwacht {expected}"
    if int(row["kpb_done"]) < int(row["expected_kpb"]):
        flags["kpb"] = f"KPB's achter{when}: {int(row['kpb_done'])} van verwacht {int(row['expected_kpb'])}"
    if row["approved_at"] is None or pd.isna(row["approved_at"]):
        if row["week"] > limits.stageplan_approval_weeks:
            flags["stageplan"] = f"stageplan niet goedgekeurd na week {limits.stageplan_approval_weeks}"
    if (row["verslag_handed_in"] is None or pd.isna(row["verslag_handed_in"])) and today > row["verslag_due"]:
        flags["stageverslag"] = f"stageverslag {_days((today - row['verslag_due']).days)} te laat"
    return flags


def add_flags(progress: pd.DataFrame, today: dt.date, limits: FlagThresholds) -> pd.DataFrame:
    """Add `flags` (kind → sentence) and `flag_count` to load_stage_progress rows.

    Only stages running on `today` are flagged: an ended or planned stage has nothing due now.
    """
    out = progress.copy()
    out["flags"] = [
        stage_flags(row, today, limits) if row["start_date"] <= today <= row["end_date"] else {}
        for _, row in out.iterrows()
    ]
    out["flag_count"] = out["flags"].map(len)
    return out


def count_flags(flagged: pd.DataFrame) -> dict[str, int]:
    """How many stages carry each kind of flag, in FLAG_KINDS order (zeros included)."""
    return {kind: int(flagged["flags"].map(lambda f, k=kind: k in f).sum()) for kind in FLAG_KINDS}


def due_next(row: pd.Series, today: dt.date) -> str | None:
    """What is due next in a running stage, as a sentence ('evaluatiegesprek verwacht over
    4 dagen'); None when nothing one-off is still to come. Overdue items are flags instead.
    After the eindgesprek no gesprek is to come (cycle_closed); a stageverslag not handed in still is."""
    upcoming = [
        (due, f"{gtype.value} verwacht")
        for gtype, due in due_dates(row["start_date"], row["end_date"]).items()
        if gtype is not GesprekType.KENNISMAKING and row[f"n_{gtype.value}"] == 0 and due >= today
        and not cycle_closed(row)
    ]
    if row["verslag_handed_in"] is None or pd.isna(row["verslag_handed_in"]):
        if row["verslag_due"] >= today:
            upcoming.append((row["verslag_due"], "stageverslag inleveren"))
    if not upcoming:
        return None
    due, what = min(upcoming)
    days = (due - today).days
    return f"{what} vandaag" if days == 0 else f"{what} over {_days(days)} ({due:%d-%m-%Y})"


# The filter for stages without any flag, beside the kinds of FLAG_KINDS.
NO_FLAGS = "geen"


def select_flagged(flagged: pd.DataFrame, kinds: tuple[str, ...] = ()) -> pd.DataFrame:
    """Stages carrying every flag kind in `kinds` (all stages when empty; with NO_FLAGS only
    stages without any flag), most flags first."""
    flag_kinds = [k for k in kinds if k != NO_FLAGS]
    # astype(bool): with no stages the mask is an empty object Series, which pandas would read as
    # a list of columns (a frame without columns: a begeleider without running stages got a page error).
    chosen = flagged[flagged["flags"].map(
        lambda f: all(k in f for k in flag_kinds) and (NO_FLAGS not in kinds or not f)).astype(bool)]
    return chosen.sort_values(["flag_count", "aios_name"], ascending=[False, True])


def lowest_feedback(frequency: pd.DataFrame, min_aios_weeks: int, count: int = 5) -> pd.DataFrame:
    """The sites (or begeleiders) with the fewest feedback moments per aios-week, lowest first,
    among those with at least `min_aios_weeks` (fewer say too little to rank). Adds `reason`."""
    rankable = (frequency["aios_weeks"] >= min_aios_weeks) & frequency["per_aios_week"].notna()
    ranked = frequency[rankable].sort_values(["per_aios_week", "name"]).head(count)
    return ranked.assign(reason=[
        f"{r.per_aios_week:.2f} feedbackmomenten per aios-week (n={r.aios_weeks:.0f} aios-weken)".replace(".", ",")
        for r in ranked.itertuples()
    ])


RATING_DIMENSIONS = ("leermogelijkheden", "leerklimaat", "begeleiding")


def _decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _declines(trend: pd.DataFrame) -> dict[int, list[str]]:
    """Per stageplaats the dimensions whose last three shown years are consecutive and each
    lower than the year before, as sentences. Only shown (anonymous) year points count."""
    out: dict[int, list[str]] = {}
    shown = trend[trend["enough"].astype(bool)].sort_values(["stageplaats_id", "year"])
    last = shown.groupby("stageplaats_id").tail(3)  # vectorised: no loop over the sites
    last = last[last.groupby("stageplaats_id")["year"].transform("size") == 3]
    if last.empty:
        return out
    wide = last.assign(pos=last.groupby("stageplaats_id").cumcount()).pivot(index="stageplaats_id", columns="pos")
    years = wide["year"]
    consecutive = (years[1] == years[0] + 1) & (years[2] == years[0] + 2)
    falling = {d: consecutive & (wide[d][0] > wide[d][1]) & (wide[d][1] > wide[d][2]) for d in RATING_DIMENSIONS}
    for site in wide.index[pd.concat(falling.values(), axis=1).any(axis=1)]:
        for d in RATING_DIMENSIONS:
            if falling[d][site]:
                steps = " → ".join(f"{_decimal(wide[d][i][site])} ({int(years[i][site])})" for i in range(3))
                out.setdefault(int(site), []).append(f"{d} daalt twee jaar op rij: {steps}")
    return out


def add_site_flags(overview: pd.DataFrame, trend: pd.DataFrame, min_mean: float) -> pd.DataFrame:
    """Add `flags` (sentences) and `flag_count` to load_stageplaats_overview rows, worst first:
    most flags, then the lowest mean. A site below the anonymity threshold has no means and so
    no rating flags; its n is shown instead."""
    declines = _declines(trend)
    flags = []
    for row in overview.itertuples():
        sentences = []
        if row.enough:
            for d in RATING_DIMENSIONS:
                mean = getattr(row, d)
                if mean < min_mean:
                    sentences.append(f"{d} {_decimal(mean)} (onder {_decimal(min_mean)}; n={row.n})")
        sentences += declines.get(int(row.stageplaats_id), [])
        flags.append(sentences)
    out = overview.assign(flags=flags, flag_count=[len(f) for f in flags])
    lowest = out[list(RATING_DIMENSIONS)].min(axis=1)
    return out.assign(_lowest=lowest).sort_values(
        ["flag_count", "_lowest", "stageplaats"], ascending=[False, True, True], na_position="last"
    ).drop(columns="_lowest").reset_index(drop=True)


def select_sites(overview: pd.DataFrame, types: list[str], regions: list[str], only_flagged: bool) -> pd.DataFrame:
    """The sites of the chosen types and regions (all when none chosen), optionally only those
    with a flag; the order (worst first) is kept."""
    keep = pd.Series(True, index=overview.index)
    if types:
        keep &= overview["discipline"].isin(types)
    if regions:
        keep &= overview["region"].isin(regions)
    if only_flagged:
        keep &= overview["flag_count"] > 0
    return overview[keep].reset_index(drop=True)
