"""Ratings are released in batches (DOMAIN.md): a site's figures change only at a release.

A new or changed rating is pending: it counts in no mean, interval, distribution, comment list,
trend or flag. Once a stageplaats has at least the anonymity threshold of pending ratings, they
are released together, inside the write transaction of the rating that filled the batch. So two
moments (or two views, see `release_year`) never differ by fewer ratings than the threshold,
and nobody can subtract one aios' rating from the shown figures.

Concurrency: the rating transaction first locks the stageplaats row (`lock_site`); on
PostgreSQL two ratings of one site then queue, so the second one counts the first and no batch
is split or released twice. On SQLite a write transaction holds the database's write lock from
BEGIN IMMEDIATE on (db.write_session), which serialises the same way.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, Engine, extract, func, select, update
from sqlalchemy.orm import Session

from data_access.audit import record_write
from data_access.models import RatingRelease, Stage, Stageplaats, StageplaatsRating


def is_released() -> ColumnElement[bool]:
    """Condition on StageplaatsRating: counts in the site's figures."""
    return StageplaatsRating.release_id.is_not(None)


def release_year():
    """The year a rating is shown under: the year of its release, not of its submission.

    A batch then falls wholly in one year, so a year filter or the trend changes only by whole
    batches too (by submission date a batch could put one rating in one year and the rest in
    the next). Needs RatingRelease joined on StageplaatsRating.release_id."""
    return extract("year", RatingRelease.released_at)


def lock_site(session: Session, stageplaats_id: int) -> None:
    """Take the stageplaats row lock for the rest of this transaction (PostgreSQL; a no-op on
    SQLite, whose write transactions are serialised already)."""
    session.execute(select(Stageplaats.id).where(Stageplaats.id == stageplaats_id).with_for_update())


def release_if_full(session: Session, stageplaats_id: int, threshold: int, now: dt.datetime | None = None) -> int | None:
    """Release the site's pending ratings when they come from at least `threshold` aios.

    Call with the site locked (lock_site) in the transaction that wrote the last rating. The
    audit row gives the release id and the batch size, never a rating, stage, site, aios or
    score, and is written as the system (no user): it sits right after the audit row of the
    aios whose rating filled the batch, so naming the site there would tie that aios' rating to
    the site in the log. Which site a release was of is in rating_release, outside the log.
    Returns the release id, or None when the batch is not full yet."""
    pending = (StageplaatsRating.release_id.is_(None), Stage.stageplaats_id == stageplaats_id)
    pending_ids = select(StageplaatsRating.id).join(Stage, Stage.id == StageplaatsRating.stage_id).where(*pending)
    size, aios = session.execute(
        select(func.count(), func.count(func.distinct(Stage.aios_id)))
        .select_from(StageplaatsRating).join(Stage, Stage.id == StageplaatsRating.stage_id).where(*pending)
    ).one()
    # Distinct aios, not ratings: two stages of one aios at one site are one aios in a batch.
    if aios < max(threshold, 1):
        return None
    release = RatingRelease(stageplaats_id=stageplaats_id, size=size, threshold=threshold,
                            released_at=now or dt.datetime.now(dt.UTC).replace(tzinfo=None))
    session.add(release)
    session.flush()
    session.execute(
        update(StageplaatsRating).where(StageplaatsRating.id.in_(pending_ids.scalar_subquery()))
        .values(release_id=release.id).execution_options(synchronize_session=False)
    )
    record_write(session, None, action="vrijgegeven", entity="beoordelingsvrijgave", entity_id=release.id,
                 after={"aantal": size})
    return release.id


def newest_release_threshold(bind: Engine | Session) -> int | None:
    """The threshold the installation released its newest batch with (None before any); read
    in `bind`'s transaction when it is a Session."""
    stmt = (select(RatingRelease.threshold).where(RatingRelease.threshold.is_not(None))
            .order_by(RatingRelease.id.desc()).limit(1))
    if isinstance(bind, Session):
        return bind.execute(stmt).scalar_one_or_none()
    with bind.connect() as conn:
        return conn.execute(stmt).scalar_one_or_none()


def release_full_batches(session: Session, threshold: int) -> list[int]:
    """Release every site whose pending ratings fill a batch (after a bulk import)."""
    sites = session.execute(
        select(Stage.stageplaats_id).join(StageplaatsRating, StageplaatsRating.stage_id == Stage.id)
        .where(StageplaatsRating.release_id.is_(None)).group_by(Stage.stageplaats_id)
        .having(func.count(func.distinct(Stage.aios_id)) >= max(threshold, 1)).order_by(Stage.stageplaats_id)
    ).scalars().all()
    released = []
    for site in sites:
        lock_site(session, site)
        release_id = release_if_full(session, site, threshold)
        if release_id is not None:
            released.append(release_id)
    return released
