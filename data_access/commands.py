"""Validated writes. Each is one transaction with an audit row and a data-version bump."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select

from data_access.audit import record_write, refuse
from data_access.db import write_session
from data_access.errors import ValidationError
from data_access.models import (
    Aios,
    CommitteeDecision,
    Decision,
    Opleiding,
    RatingItemScore,
    Stage,
    Stageplaats,
    StageplaatsRating,
    StageplaatsStatus,
)
from data_access.permissions import Action, may
from data_access.queries.ratings import discussed_since
from data_access.releases import lock_site, release_if_full
from data_access.scope import rated_stageplaats_ids
from data_access.viewer import Viewer

# The leerdoel commands live with the stageplan (data_access/stageplan.py); imported here too.
from data_access.stageplan import confirm_leerdoel, set_leerdoel_status  # noqa: E402,F401

# Free text a user may type in one field; longer is refused with a message, never cut off.
TEXT_LIMIT = 2000
# What a decision does to a site: a plan puts it in remediation, stopping ends it, "geen actie"
# (no further action) makes it active again, a gesprek leaves the status as it is.
STATUS_AFTER = {
    Decision.GEEN_ACTIE: StageplaatsStatus.ACTIEF,
    Decision.REMEDIERINGSPLAN: StageplaatsStatus.IN_REMEDIERING,
    Decision.STOPZETTEN: StageplaatsStatus.STOPGEZET,
}
NEEDS_FOLLOW_UP = {Decision.GESPREK, Decision.REMEDIERINGSPLAN}


def record_decision(
    engine: Engine,
    viewer: Viewer,
    stageplaats_id: int,
    decision: Decision,
    rationale: str,
    follow_up_date: dt.date | None,
    today: dt.date,
) -> int:
    """Record a stagecommissie decision on a stageplaats and apply it to the site's status."""
    rationale = check_decision(decision, rationale, follow_up_date, today)
    with write_session(engine) as session, session.begin():
        decision_id = write_decision(session, viewer, stageplaats_id, decision, rationale, follow_up_date, today)
        if decision_id is not None:
            return decision_id
    refuse(engine, viewer.user_id, "stageplaats", stageplaats_id)
    raise AssertionError("unreachable")


def check_decision(decision: Decision | None, rationale: str, follow_up_date: dt.date | None, today: dt.date,
                   errors: dict[str, str] | None = None) -> str:
    """Validate a decision's fields (Dutch message per field); returns the cleaned rationale.
    `errors` may already hold messages of the caller's own fields, raised together."""
    errors = dict(errors or {})
    rationale = (rationale or "").strip()
    if decision is None:
        errors["decision"] = "Kies een besluit."
    if not rationale:
        errors["rationale"] = "Geef een motivering voor het besluit."
    elif len(rationale) > TEXT_LIMIT:
        errors["rationale"] = f"De motivering is te lang: maximaal {TEXT_LIMIT} tekens (nu {len(rationale)})."
    if follow_up_date is None and decision in NEEDS_FOLLOW_UP:
        errors["follow_up_date"] = "Kies een datum waarop het besluit wordt opgevolgd."
    elif follow_up_date is not None and follow_up_date <= today:
        errors["follow_up_date"] = "De datum van opvolging moet na vandaag liggen."
    if errors:
        raise ValidationError(errors)
    return rationale


def status_after(decision: Decision | None, before: StageplaatsStatus) -> StageplaatsStatus:
    """The site's status after `decision` (None: discussed without a decision) on a site that
    was `before`."""
    return before if decision is None else STATUS_AFTER.get(decision, before)


def write_decision(session, viewer: Viewer, stageplaats_id: int, decision: Decision, rationale: str,
                   follow_up_date: dt.date | None, today: dt.date,
                   status_before: StageplaatsStatus | None = None) -> int | None:
    """Write a checked decision in the caller's transaction (site status, decision row, audit
    row); None when the viewer may not decide on this site (the caller refuses). The decision
    acts on the site's status now, or on `status_before` (a meeting's correction: the status the
    site had before the decision it replaces)."""
    site = session.execute(
        select(Stageplaats).where(Stageplaats.id == stageplaats_id, Stageplaats.id.in_(rated_stageplaats_ids(viewer)))
    ).scalar_one_or_none()
    if site is None or not may(viewer, Action.MEETING):
        return None
    before = {"status": site.status}
    site.status = status_after(decision, site.status if status_before is None else status_before)
    row = CommitteeDecision(stageplaats_id=site.id, date=today, decision=decision, rationale=rationale,
                            follow_up_date=follow_up_date, decided_by=viewer.user_id)
    session.add(row)
    session.flush()
    record_write(session, viewer.user_id, action="besloten", entity="stageplaats", entity_id=site.id,
                 before=before, after={"status": site.status, "besluit": decision, "besluit_id": row.id,
                                       "opvolging": follow_up_date})
    return row.id


def withdraw_decision(session, viewer: Viewer, decision_id: int, status_before: StageplaatsStatus) -> None:
    """Take back a decision in the caller's transaction, which has checked that the viewer may
    (a meeting's correction before it closes): the row goes, the site gets `status_before` (its
    status before the decision), and the audit row keeps what the decision was."""
    row = session.get(CommitteeDecision, decision_id)
    site = session.get(Stageplaats, row.stageplaats_id)
    before = {"status": site.status, "besluit": row.decision, "besluit_id": row.id, "opvolging": row.follow_up_date}
    site.status = status_before
    session.delete(row)
    session.flush()
    record_write(session, viewer.user_id, action="besluit ingetrokken", entity="stageplaats", entity_id=site.id,
                 before=before, after={"status": site.status})


@dataclass(frozen=True)
class RatingInput:
    """What an aios fills in: the three dimensions 1–5, a comment, and the instrument's items
    (item id → 1–5) when the programme uses one."""

    leermogelijkheden: int | None
    leerklimaat: int | None
    begeleiding: int | None
    comment: str = ""
    items: tuple[tuple[int, int | None], ...] = ()


def submit_rating(engine: Engine, viewer: Viewer, stage_id: int, rating: RatingInput, today: dt.date,
                  *, threshold: int) -> int:
    """The aios' rating of the stageplaats of one of their ended stages; one per stage.

    The rating is pending until its site's next release (releases.py): when it fills a batch
    of `threshold` (the installation's anonymity threshold) pending ratings of the site, the
    batch is released in this same transaction. A released rating cannot be changed any more:
    an edit would move figures that were already shown by one rating (see README).

    The audit row says that a rating was given or changed, never the scores, and not which
    rating, stage or site: the audit log is readable by the beheerder, and ratings must not be
    traceable to an aios (DOMAIN.md).
    """
    errors = {}
    for field in ("leermogelijkheden", "leerklimaat", "begeleiding"):
        value = getattr(rating, field)
        if value is None or not 1 <= value <= 5:
            errors[field] = "Kies een score van 1 tot 5."
    comment = (rating.comment or "").strip()
    if len(comment) > TEXT_LIMIT:
        errors["comment"] = f"De toelichting is te lang: maximaal {TEXT_LIMIT} tekens (nu {len(comment)})."
    for item_id, score in rating.items:
        if score is None or not 1 <= score <= 5:
            errors[f"item_{item_id}"] = "Kies een score van 1 tot 5."
    with write_session(engine) as session, session.begin():
        stage = session.execute(
            select(Stage).join(Aios, Aios.id == Stage.aios_id)
            .where(Stage.id == stage_id, Aios.user_id == viewer.user_id)
        ).scalar_one_or_none()
        if stage is not None and may(viewer, Action.SITE_RATE):
            lock_site(session, stage.stageplaats_id)  # before counting the site's pending ratings
            if stage.end_date > today:
                errors["stage"] = "U kunt de stageplaats beoordelen zodra de stage is afgelopen."
            uses_items = session.execute(
                select(Opleiding.uses_rating_instrument).join(Aios, Aios.opleiding_id == Opleiding.id)
                .where(Aios.id == stage.aios_id)
            ).scalar_one()
            if uses_items and not rating.items:
                errors["items"] = "Vul ook de vragen over het leerklimaat in."
            existing = session.execute(
                select(StageplaatsRating).where(StageplaatsRating.stage_id == stage.id)
            ).scalar_one_or_none()
            if existing is not None and existing.release_id is not None:
                errors["stage"] = ("Deze beoordeling is vrijgegeven en telt mee in de cijfers van de stageplaats; "
                                   "ze kan niet meer worden gewijzigd.")
            elif existing is not None and session.execute(
                    select(discussed_since(stage.stageplaats_id, existing.submitted_at))).scalar_one():
                errors["stage"] = ("Deze beoordeling is al besproken in de stagecommissie en kan niet meer "
                                   "worden gewijzigd.")
            if errors:
                raise ValidationError(errors)
            row = existing or StageplaatsRating(stage_id=stage.id)
            row.leermogelijkheden, row.leerklimaat, row.begeleiding = (
                rating.leermogelijkheden, rating.leerklimaat, rating.begeleiding)
            row.comment = comment or None
            row.submitted_at = today
            session.add(row)
            session.flush()
            session.execute(delete(RatingItemScore).where(RatingItemScore.rating_id == row.id))
            session.add_all([RatingItemScore(rating_id=row.id, item_id=i, score=s) for i, s in rating.items])
            record_write(session, viewer.user_id, action="gewijzigd" if existing else "ingediend",
                         entity="stageplaats_beoordeling", entity_id=None)
            release_if_full(session, stage.stageplaats_id, threshold,
                            now=dt.datetime.combine(today, dt.datetime.now(dt.UTC).time().replace(microsecond=0)))
            return row.id
    # Not their own stage (or not an aios): refused and audited, whatever else was wrong.
    refuse(engine, viewer.user_id, "stage", stage_id)
    raise AssertionError("unreachable")
