"""Stageplaats ratings by aios: only in aggregate, only from n ≥ the anonymity threshold, and
only released ratings (releases.py): a site's figures change only at a release of a batch.

The suppression happens here, in SQL, so no page, export or notebook can show a mean, a year
point or a comment of fewer ratings than the threshold: below it the number is not fetched.
A rating's year is the year of its release, so a year filter also moves only by whole batches;
and a released rating counts for the stageplaats of its release (RatingRelease.stageplaats_id),
not for its stage's current one: a stage moved afterwards (a stages import, a correction of a
wrongly recorded site) never moves a figure that was shown (data_access.disclosure, rule 5).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, Engine, and_, case, exists, func, select

from data_access.frames import enum_values, read_frame
from data_access.models import (
    Aios,
    CommitteeDecision,
    InstrumentItem,
    Opleiding,
    RatingItemScore,
    RatingRelease,
    Stage,
    Stageplaats,
    StageplaatsRating,
)
from data_access.releases import is_released, release_year
from data_access.scope import individual_stage_condition, rated_stageplaats_ids
from data_access.viewer import Viewer

DIMENSIONS = ("leermogelijkheden", "leerklimaat", "begeleiding")


def _guarded_means(n, threshold: int):
    """Mean and mean square per dimension over the joined ratings, NULL below the threshold
    (never fetched)."""
    def value(d, square=False):
        return getattr(StageplaatsRating, d) * (getattr(StageplaatsRating, d) if square else 1) * 1.0
    return [
        case((n >= threshold, func.avg(value(d)))).label(d) for d in DIMENSIONS
    ] + [
        case((n >= threshold, func.avg(value(d, square=True)))).label(f"{d}_sq") for d in DIMENSIONS
    ]


def _released_in(year: int):
    """Condition on StageplaatsRating: released in that calendar year."""
    return StageplaatsRating.release_id.in_(
        select(RatingRelease.id).where(RatingRelease.released_at >= dt.datetime(year, 1, 1),
                                       RatingRelease.released_at < dt.datetime(year + 1, 1, 1)))


def _add_intervals(frame: pd.DataFrame) -> pd.DataFrame:
    """95% interval of each guarded mean (normal approximation with the sample SD); NaN where
    the mean is suppressed. Replaces the mean-square columns."""
    n = frame["n"].astype(float)
    for d in DIMENSIONS:
        mean, square = frame[d].astype(float), frame.pop(f"{d}_sq").astype(float)
        variance = ((square - mean * mean) * n / (n - 1).where(n > 1)).clip(lower=0)
        half = 1.96 * np.sqrt(variance / n)
        frame[d] = mean
        frame[f"{d}_low"], frame[f"{d}_high"] = mean - half, mean + half
    return frame


def shown_years(counts: pd.DataFrame, threshold: int) -> set[tuple[int, int]]:
    """The (stageplaats_id, year) whose own mean may be shown beside the all-years mean.

    A year below the threshold is hidden; and when the hidden years of a site hold fewer than
    `threshold` ratings together, the all-years mean minus the shown years would give them
    away, so the smallest shown years are hidden too until the hidden part is 0 or ≥ threshold.
    counts: stageplaats_id, year, n.
    """
    # Every shown year holds ≥ threshold ratings, so hiding the smallest one is always enough:
    # at most one year per site goes, in one vectorised step (no loop over sites).
    shown = counts[counts["n"] >= threshold]
    hidden = counts.groupby("stageplaats_id")["n"].sum().sub(shown.groupby("stageplaats_id")["n"].sum(), fill_value=0)
    gives_away = hidden.index[(hidden > 0) & (hidden < threshold)]
    smallest = shown.sort_values(["n", "year"]).drop_duplicates("stageplaats_id")
    kept = shown.drop(index=smallest.index[smallest["stageplaats_id"].isin(gives_away)])
    return set(zip(kept["stageplaats_id"].astype(int), kept["year"].astype(int), strict=True))


def load_stageplaats_ratings(
    engine: Engine,
    viewer: Viewer,
    *,
    threshold: int,
    opleiding_id: int | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """Per stageplaats the number of released ratings and, from `threshold` on, the mean per
    dimension; `year` selects the ratings released in that year.

    Every visible stageplaats is listed, also with n = 0. Columns: stageplaats_id, stageplaats,
    organisation, discipline, region, status, n, leermogelijkheden, leerklimaat, begeleiding
    (NULL below the threshold), enough (n ≥ threshold), pending (ratings waiting for the site's
    next release, in all years: a count, never a figure).
    """
    counted = is_released() if year is None else _released_in(year)
    n = func.count(StageplaatsRating.id)
    released = (
        select(RatingRelease.stageplaats_id, n.label("n"), *_guarded_means(n, threshold))
        .select_from(StageplaatsRating).join(RatingRelease, RatingRelease.id == StageplaatsRating.release_id)
        .where(counted).group_by(RatingRelease.stageplaats_id).subquery()
    )
    # Pending ratings wait at the site of their stage (a count, never a figure).
    pending = (
        select(Stage.stageplaats_id, func.count(StageplaatsRating.id).label("pending"))
        .join(Stage, Stage.id == StageplaatsRating.stage_id)
        .where(StageplaatsRating.release_id.is_(None)).group_by(Stage.stageplaats_id).subquery()
    )
    stmt = (
        select(
            Stageplaats.id.label("stageplaats_id"),
            Stageplaats.name.label("stageplaats"),
            Stageplaats.organisation,
            Stageplaats.discipline,
            Stageplaats.region,
            Stageplaats.status,
            func.coalesce(released.c.n, 0).label("n"),
            func.coalesce(pending.c.pending, 0).label("pending"),
            *[released.c[c] for d in DIMENSIONS for c in (d, f"{d}_sq")],
        )
        .outerjoin(released, released.c.stageplaats_id == Stageplaats.id)
        .outerjoin(pending, pending.c.stageplaats_id == Stageplaats.id)
        .where(Stageplaats.id.in_(rated_stageplaats_ids(viewer)))
        .order_by(Stageplaats.name)
    )
    if opleiding_id is not None:
        stmt = stmt.where(Stageplaats.opleiding_id == opleiding_id)
    frame = _add_intervals(enum_values(read_frame(engine, stmt), "status"))
    frame[["n", "pending"]] = frame[["n", "pending"]].astype(int)
    frame["enough"] = frame["n"] >= threshold
    if year is not None:
        counts = _year_counts(engine, viewer, tuple(frame["stageplaats_id"]))
        allowed = shown_years(counts, threshold)
        frame["enough"] &= frame["stageplaats_id"].map(lambda site: (int(site), year) in allowed).astype(bool)
        _suppress(frame)
    return frame


def _suppress(frame: pd.DataFrame) -> None:
    """Blank every number of a row that is not `enough` (n itself stays: it is the reason)."""
    numbers = [c for c in frame.columns if c.startswith(DIMENSIONS)]
    frame.loc[~frame["enough"], numbers] = np.nan


def _year_counts(engine: Engine, viewer: Viewer, stageplaats_ids: tuple[int, ...] | None) -> pd.DataFrame:
    year = release_year()
    site = RatingRelease.stageplaats_id
    stmt = (
        select(site, year.label("year"), func.count(StageplaatsRating.id).label("n"))
        .join(RatingRelease, RatingRelease.id == StageplaatsRating.release_id)
        .where(site.in_(rated_stageplaats_ids(viewer)))
        .group_by(site, year)
    )
    if stageplaats_ids is not None:
        stmt = stmt.where(site.in_(stageplaats_ids))
    frame = read_frame(engine, stmt)
    frame["year"] = frame["year"].astype(int)
    return frame


def load_stageplaats_rating_trend(
    engine: Engine,
    viewer: Viewer,
    *,
    threshold: int,
    stageplaats_ids: tuple[int, ...] | None = None,
) -> pd.DataFrame:
    """Per stageplaats and calendar year of release: n and, from `threshold` on, the means.

    A year with fewer ratings than the threshold shows its n only, and so does a year whose
    mean would give away the hidden years by subtraction (see shown_years): a year split must
    not isolate a handful of aios. Columns: stageplaats_id, year, n, the three means with their
    _low/_high interval, enough.
    """
    year = release_year()
    site = RatingRelease.stageplaats_id
    n = func.count(StageplaatsRating.id)
    stmt = (
        select(
            site,
            year.label("year"),
            n.label("n"),
            *_guarded_means(n, threshold),
        )
        .join(RatingRelease, RatingRelease.id == StageplaatsRating.release_id)
        .where(site.in_(rated_stageplaats_ids(viewer)))
        .group_by(site, year)
        .order_by(site, year)
    )
    if stageplaats_ids:
        stmt = stmt.where(site.in_(stageplaats_ids))
    frame = _add_intervals(read_frame(engine, stmt))
    frame["year"] = frame["year"].astype(int)
    allowed = shown_years(frame[["stageplaats_id", "year", "n"]], threshold)
    # bool dtype also when empty (an aios sees no site): an empty object column would make
    # trend[trend["enough"]] select columns instead of rows.
    frame["enough"] = pd.Series([(int(s), int(y)) in allowed for s, y in zip(frame["stageplaats_id"], frame["year"], strict=True)],
                                index=frame.index, dtype=bool)
    _suppress(frame)
    return frame


def load_rating_distribution(
    engine: Engine, viewer: Viewer, *, threshold: int, stageplaats_ids: tuple[int, ...] | None = None
) -> pd.DataFrame:
    """How many released ratings gave each score (1–5) per dimension, only for stageplaatsen
    with at least `threshold` released ratings (others are not fetched). Columns:
    stageplaats_id, dimension, score, count (every score present, 0 where none)."""
    site = RatingRelease.stageplaats_id
    enough = (
        select(site)
        .join(StageplaatsRating, StageplaatsRating.release_id == RatingRelease.id)
        .where(site.in_(rated_stageplaats_ids(viewer)))
        .group_by(site)
        .having(func.count(StageplaatsRating.id) >= threshold)
    )
    if stageplaats_ids:
        enough = enough.where(site.in_(stageplaats_ids))
    stmt = (
        select(
            site,
            *[func.sum(case((getattr(StageplaatsRating, d) == k, 1), else_=0)).label(f"{d}_{k}")
              for d in DIMENSIONS for k in range(1, 6)],
        )
        .join(RatingRelease, RatingRelease.id == StageplaatsRating.release_id)
        .where(site.in_(enough))
        .group_by(site)
    )
    wide = read_frame(engine, stmt)
    rows = [
        (int(r["stageplaats_id"]), d, k, int(r[f"{d}_{k}"]))
        for _, r in wide.iterrows() for d in DIMENSIONS for k in range(1, 6)
    ]
    return pd.DataFrame(rows, columns=["stageplaats_id", "dimension", "score", "count"])


def load_stageplaats_comments(
    engine: Engine, viewer: Viewer, *, stageplaats_id: int, threshold: int
) -> list[str]:
    """The free-text comments of a stageplaats's released ratings, only when it has ≥ threshold
    of them.

    Without name, date or stage period, sorted by text so the order does not follow submission.
    """
    site = RatingRelease.stageplaats_id
    visible = and_(site.in_(rated_stageplaats_ids(viewer)), site == stageplaats_id)
    with engine.connect() as conn:
        n = conn.execute(
            select(func.count(StageplaatsRating.id))
            .join(RatingRelease, RatingRelease.id == StageplaatsRating.release_id)
            .where(visible)
        ).scalar_one()
        if n < threshold:
            return []
        return list(
            conn.execute(
                select(StageplaatsRating.comment)
                .join(RatingRelease, RatingRelease.id == StageplaatsRating.release_id)
                .where(
                    visible,
                    func.length(func.trim(StageplaatsRating.comment)) > 0,
                )
                .order_by(StageplaatsRating.comment)
            ).scalars()
        )


def load_own_ratings(engine: Engine, viewer: Viewer) -> pd.DataFrame:
    """The ratings the viewer gave themself (an aios), one per stage they did.

    Columns: stage_id, stageplaats, start_date, end_date, leermogelijkheden, leerklimaat,
    begeleiding, comment, submitted_at.
    """
    stmt = (
        select(
            Stage.id.label("stage_id"),
            Stageplaats.name.label("stageplaats"),
            Stage.start_date,
            Stage.end_date,
            *[getattr(StageplaatsRating, d) for d in DIMENSIONS],
            StageplaatsRating.comment,
            StageplaatsRating.submitted_at,
        )
        .join(Stage, Stage.id == StageplaatsRating.stage_id)
        .join(Aios, Aios.id == Stage.aios_id)
        .join(Stageplaats, Stageplaats.id == Stage.stageplaats_id)
        .where(Aios.user_id == viewer.user_id, individual_stage_condition(viewer))
        .order_by(Stage.start_date)
    )
    return read_frame(engine, stmt)


def discussed_since(stageplaats_id, submitted_at) -> ColumnElement[bool]:
    """True once the stagecommissie decided on the site on or after the rating came in (the
    "next aggregation"): from then on the rating has been discussed and cannot be changed."""
    return exists().where(CommitteeDecision.stageplaats_id == stageplaats_id,
                          CommitteeDecision.date >= submitted_at)


def load_rateable_stages(engine: Engine, viewer: Viewer, today: dt.date) -> pd.DataFrame:
    """The viewer's own ended stages with their rating if given (an aios rates each stageplaats
    once), newest first. Columns: stage_id, stageplaats_id, stageplaats, start_date, end_date,
    uses_instrument, rating_id, rated, released (counts in the site's figures), leermogelijkheden,
    leerklimaat, begeleiding, comment, submitted_at, editable (rated or not, and not released
    nor discussed: a released rating stays as it was counted)."""
    stmt = (
        select(
            Stage.id.label("stage_id"), Stage.stageplaats_id, Stageplaats.name.label("stageplaats"),
            Stage.start_date, Stage.end_date, Opleiding.uses_rating_instrument.label("uses_instrument"),
            StageplaatsRating.id.label("rating_id"), *[getattr(StageplaatsRating, d) for d in DIMENSIONS],
            StageplaatsRating.comment, StageplaatsRating.submitted_at,
            StageplaatsRating.release_id,
            discussed_since(Stage.stageplaats_id, StageplaatsRating.submitted_at).label("discussed"),
        )
        .join(Aios, Aios.id == Stage.aios_id)
        .join(Opleiding, Opleiding.id == Aios.opleiding_id)
        .join(Stageplaats, Stageplaats.id == Stage.stageplaats_id)
        .outerjoin(StageplaatsRating, StageplaatsRating.stage_id == Stage.id)
        .where(Aios.user_id == viewer.user_id, individual_stage_condition(viewer), Stage.end_date <= today)
        .order_by(Stage.end_date.desc())
    )
    frame = read_frame(engine, stmt)
    frame["rated"] = frame["rating_id"].notna()
    frame["released"] = frame.pop("release_id").notna()
    # No rating yet: nothing to lock (the condition is unknown, NULL, for a missing rating).
    discussed = frame.pop("discussed").fillna(False).astype(bool)
    frame["editable"] = ~(frame["rated"] & (discussed | frame["released"]))
    return frame


def load_instrument_items(engine: Engine, viewer: Viewer, rating_id: int | None = None) -> pd.DataFrame:
    """The leerklimaat questionnaire's items (D-RECT style, our own wording), with the scores of
    `rating_id` only when that is the viewer's own rating (an aios editing it); for anyone
    else's rating the scores are empty, as for a new one. Columns: item_id, number, subscale,
    text, score, answered."""
    own = (
        select(StageplaatsRating.id)
        .join(Stage, Stage.id == StageplaatsRating.stage_id)
        .join(Aios, Aios.id == Stage.aios_id)
        .where(StageplaatsRating.id == (rating_id or -1), Aios.user_id == viewer.user_id,
               individual_stage_condition(viewer))
    )
    score = (
        select(RatingItemScore.item_id, RatingItemScore.score)
        .where(RatingItemScore.rating_id.in_(own))
        .subquery()
    )
    stmt = (
        select(InstrumentItem.id.label("item_id"), InstrumentItem.number, InstrumentItem.subscale,
               InstrumentItem.text, score.c.score)
        .outerjoin(score, score.c.item_id == InstrumentItem.id)
        .order_by(InstrumentItem.number)
    )
    frame = read_frame(engine, stmt)
    frame["answered"] = frame["score"].notna()
    return frame
