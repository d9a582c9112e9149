"""Response rate of the site ratings: how many ended stages have been rated (DOMAIN.md: "the
response rate (ended stages rated / ended stages) is shown; the seeds want it high").

Privacy, argued (the rule is in releases.py: a site's figures change only by a released batch
of at least the anonymity threshold, so nobody can subtract two moments to find one rating):

- Only *released* ratings are counted as rated. Per stageplaats the count of released ratings
  is exactly the n the Stageplaatsen page already shows beside the site's figures, and it moves
  only by whole batches (0, then ≥ threshold at a time). The rate therefore adds no moment at
  which one new rating becomes visible: a pending rating is not "rated" here, so an aios who
  just rated does not change any number until their rating is released with the others.
- A rate is a count of stages, never a list: which aios rated is not fetched, and nothing here
  joins a rating to an aios, a begeleider or a score.
- Per cohort the rated count sums released ratings over all sites of the programme. The cohort
  count of one release can be a part of a batch (one rating of a batch of three may come from
  cohort A), but no figure of a site is ever split by cohort (load_stageplaats_ratings filters
  by programme and year only), and this module offers no site × cohort table: a cohort's count
  can therefore not be set against a site's figures to isolate a rating.
- Counts of fewer than `threshold` ended stages are shown as "te weinig" (no rate), so a
  handful of placements never reads as "this one aios did (not) rate".
- Only the roles that see site aggregates of a whole programme (stagecommissie,
  instituutsopleider, beheerder) get rates; a begeleider's own aios are too few to count, and
  an aios sees no aggregate of others.

"Too few to say anything for two years running" uses the released ratings per year of release,
the n the rating trend already shows per year.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine, case, extract, func, select

from data_access.frames import read_frame
from data_access.models import Aios, Cohort, RatingRelease, Stage, Stageplaats, StageplaatsRating
from data_access.permissions import Action, may
from data_access.releases import is_released
from data_access.scope import aggregate_stage_condition, rated_stageplaats_ids
from data_access.viewer import Viewer

COLUMNS = ["group_id", "name", "ended", "rated", "enough", "rate"]


def _finish(frame: pd.DataFrame, threshold: int) -> pd.DataFrame:
    frame[["ended", "rated"]] = frame[["ended", "rated"]].fillna(0).astype(int)
    frame["enough"] = frame["ended"] >= threshold
    frame["rate"] = (frame["rated"] / frame["ended"].where(frame["enough"])).astype(float)
    return frame[COLUMNS + [c for c in frame.columns if c not in COLUMNS]]


def load_response_rate(
    engine: Engine,
    viewer: Viewer,
    *,
    by: str,
    today: dt.date,
    threshold: int,
    opleiding_id: int | None = None,
) -> pd.DataFrame:
    """Per stageplaats (`by="stageplaats"`) or per cohort (`by="cohort"`): ended stages
    (end date before `today`), how many of them have a released rating, and the rate, only
    from `threshold` ended stages (below it `rate` is empty and `enough` False).

    Columns: group_id, name, ended, rated, enough, rate. Empty for roles without site
    aggregates of a programme. Sites and cohorts without ended stages are left out."""
    if not may(viewer, Action.RESPONSE_RATES) or by not in {"stageplaats", "cohort"}:
        return pd.DataFrame(columns=COLUMNS)
    group = (Stageplaats.id, Stageplaats.name) if by == "stageplaats" else (Cohort.id, Cohort.name)
    rated = func.sum(case((is_released(), 1), else_=0))
    stmt = (
        select(group[0].label("group_id"), group[1].label("name"),
               func.count(Stage.id).label("ended"), rated.label("rated"))
        .select_from(Stage)
        .join(Aios, Aios.id == Stage.aios_id)
        .join(Stageplaats, Stageplaats.id == Stage.stageplaats_id)
        .join(Cohort, Cohort.id == Aios.cohort_id)
        .outerjoin(StageplaatsRating, StageplaatsRating.stage_id == Stage.id)
        .where(Stage.end_date < today, aggregate_stage_condition(viewer),
               Stageplaats.id.in_(rated_stageplaats_ids(viewer)))
        .group_by(group[0], group[1])
        .order_by(group[1])
    )
    if opleiding_id is not None:
        stmt = stmt.where(Stageplaats.opleiding_id == opleiding_id)
    return _finish(read_frame(engine, stmt), threshold)


def load_thin_rating_flags(
    engine: Engine,
    viewer: Viewer,
    *,
    today: dt.date,
    threshold: int,
    opleiding_id: int | None = None,
) -> pd.DataFrame:
    """Stageplaatsen whose released ratings were too few to say anything (fewer than
    `threshold`) in each of the last two whole calendar years, while aios did end a stage
    there in those years. Columns: stageplaats_id, stageplaats, flag (the Dutch sentence with
    the n per year)."""
    columns = ["stageplaats_id", "stageplaats", "flag"]
    if not may(viewer, Action.RESPONSE_RATES):
        return pd.DataFrame(columns=columns)
    years = (today.year - 2, today.year - 1)
    release_year = extract("year", RatingRelease.released_at)
    rated = (
        select(RatingRelease.stageplaats_id, release_year.label("year"), func.count().label("n"))
        .join(StageplaatsRating, StageplaatsRating.release_id == RatingRelease.id)
        .where(release_year.in_(years), RatingRelease.stageplaats_id.in_(rated_stageplaats_ids(viewer)))
        .group_by(RatingRelease.stageplaats_id, release_year)
    )
    end_year = extract("year", Stage.end_date)
    ended = (
        select(Stage.stageplaats_id, end_year.label("year"), func.count().label("n"))
        .join(Aios, Aios.id == Stage.aios_id)
        .join(Stageplaats, Stageplaats.id == Stage.stageplaats_id)
        .where(end_year.in_(years), Stage.end_date < today, aggregate_stage_condition(viewer),
               Stageplaats.id.in_(rated_stageplaats_ids(viewer)))
        .group_by(Stage.stageplaats_id, end_year)
    )
    names = select(Stageplaats.id.label("stageplaats_id"), Stageplaats.name.label("stageplaats")).where(
        Stageplaats.id.in_(rated_stageplaats_ids(viewer)))
    if opleiding_id is not None:
        names = names.where(Stageplaats.opleiding_id == opleiding_id)

    def per_year(stmt) -> pd.DataFrame:
        frame = read_frame(engine, stmt)
        frame["year"] = frame["year"].astype(int)
        return frame.pivot_table(index="stageplaats_id", columns="year", values="n", aggfunc="sum").reindex(
            columns=list(years)).fillna(0).astype(int)

    counts_rated, counts_ended = per_year(rated), per_year(ended)
    rows = []
    for site in read_frame(engine, names.order_by(Stageplaats.name)).itertuples():
        r = [int(counts_rated.at[site.stageplaats_id, y]) if site.stageplaats_id in counts_rated.index else 0 for y in years]
        e = [int(counts_ended.at[site.stageplaats_id, y]) if site.stageplaats_id in counts_ended.index else 0 for y in years]
        if all(ei > 0 and ri < threshold for ri, ei in zip(r, e, strict=True)):
            parts = [f"{y}: {ri} vrijgegeven bij {ei} afgeronde stages" for y, ri, ei in zip(years, r, e, strict=True)]
            rows.append((int(site.stageplaats_id), site.stageplaats,
                         f"twee jaar op rij te weinig beoordelingen om iets te zeggen ({'; '.join(parts)}; "
                         f"drempel {threshold})"))
    return pd.DataFrame(rows, columns=columns)
