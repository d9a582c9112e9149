"""The one disclosure rule: which figures about aios a viewer may get.

Every aggregate of ratings, rubric scores, feedback and feedback requests that leaves
`data_access` for a viewer who may not see all its aios one by one is built from the units
this module counts, and from nothing else. The rule, for a threshold T (at least 3):

1. **Who is hidden.** An aios is hidden from a viewer when the viewer may not see their records
   one by one (scope.individual_stage_condition): every aios for the stagecommissie, the other
   cohorts' aios for an opleider, other begeleiders' aios for a begeleider. Aios the viewer sees
   one by one count as they are: a figure about them tells the viewer nothing new.
2. **Fixed cells.** Hidden aios enter figures only through fixed cells: programme × stageplaats
   × year (× the kind of figure, such as moment, rubric version and kind of rater). A unit is one
   aios in one cell. Every figure is a sum over whole cells, so any two figures a viewer can get
   differ by whole cells.
3. **Whole groups.** A cell counts its hidden units only in whole groups of T, in order of
   arrival (the first record): 0, T, 2T, … units; the rest waits until T more arrived. A cell
   therefore never shows, and two moments never differ by, fewer than T hidden aios. There is
   no argument for a past day: figures are of the database as it is.
4. **Filters that cut cells** (a cohort, a begeleider or rater, a week of stage, a period that
   is not whole years) would let two figures differ by part of a cell: under such a filter or
   grouping only the aios the viewer sees one by one count.
5. **Site ratings** are never seen one by one by anyone; they count only when released in a
   batch of at least T per stageplaats (releases.py), and a released rating stays with the
   stageplaats and year of its release: a stage moved, edited or imported later never moves a
   figure that was shown (ratings.py).

`may_show` is the per-figure check of the hidden aios behind one figure, where a figure is a
part of another one the viewer also gets (the self-assessment pairs within the begeleider
scores, queries/rubrics.py).
"""

from __future__ import annotations

from sqlalchemy import Engine, Select, and_, case, false, func, or_, select
from sqlalchemy.orm import Session

from data_access.models import Aios, Stage
from data_access.releases import newest_release_threshold
from data_access.scope import individual_stage_condition
from data_access.settings import load_settings
from data_access.viewer import Viewer

MINIMUM_THRESHOLD = 3


class ThresholdTooLow(ValueError):
    """The configured anonymity threshold is below MINIMUM_THRESHOLD (a Dutch message)."""


def threshold_problem(threshold: int) -> str | None:
    """Why the app must not start with this anonymity threshold (Dutch), or None when it may."""
    if threshold < MINIMUM_THRESHOLD:
        return (f"De app start niet: de anonimiteitsdrempel is {threshold}, en moet minstens {MINIMUM_THRESHOLD} zijn "
                f"(kleinere groepen wijzen één aios aan). Zet `STAGE_ANONYMITY_THRESHOLD` op {MINIMUM_THRESHOLD} "
                "of hoger, of laat het leeg.")
    return None


def checked_threshold(threshold: int) -> int:
    """The threshold itself; ThresholdTooLow below the minimum."""
    if problem := threshold_problem(threshold):
        raise ThresholdTooLow(problem)
    return threshold


def installation_threshold(bind: Engine | Session) -> int:
    """The threshold every figure applies: the configured one, refused below the minimum, and
    never below the one the installation released its newest ratings with (stored in the
    database), so a notebook with another setting cannot lower it."""
    return max(checked_threshold(load_settings().anonymity_threshold), newest_release_threshold(bind) or 0)


def may_show(hidden_aios, threshold: int):
    """The per-figure check: a figure with `hidden_aios` hidden aios behind it may be shown
    (0: the viewer sees them all anyway; at least the threshold: a group). Works on an int and
    elementwise on a pandas Series."""
    return (hidden_aios == 0) | (hidden_aios >= threshold)


def counted_units(
    viewer: Viewer,
    threshold: int,
    *,
    records: Select,
    year,
    record_id,
    cell: tuple = (),
    whole_cells: bool = True,
    materialize: bool = False,
) -> Select:
    """The ids of the records whose units (aios × cell) may count in the viewer's figures
    (rule 2–4), for `record.id IN (...)`.

    records: a select over the family's records joined with Stage and Aios, already limited to
    the viewer's aggregate scope and the figure kind (moment, rubric, …), and only by filters
    that keep cells whole (programme, stageplaats, whole years). year: the record's year;
    record_id: the record's id, which also orders records by arrival; cell: further columns
    that split cells (the kind of rater). whole_cells False: a filter or grouping cuts cells,
    only units the viewer sees one by one count.

    materialize: compute the records once (a MATERIALIZED common table expression, SQLite and
    PostgreSQL). For rubric scores without planner statistics (SQLite before an ANALYZE) SQLite
    otherwise read every beoordeling of the rubric again for each unit (8–22 s a figure at
    national scale, 0.5–1 s materialised); for stages (feedback) the plain subquery is the fast
    one (0.2 s against 2.7 s).
    """
    hidden = case((individual_stage_condition(viewer), 0), else_=1)
    extra = tuple(f"cell_{i}" for i in range(len(cell)))
    rows = records.with_only_columns(
        Stage.aios_id.label("aios_id"), Aios.opleiding_id.label("opleiding_id"),
        Stage.stageplaats_id.label("stageplaats_id"), year.label("year"), record_id.label("record_id"),
        hidden.label("hidden"), *[c.label(name) for c, name in zip(cell, extra, strict=True)],
        maintain_column_froms=True,
    )
    rows = rows.cte("disclosure_records", nesting=True).prefix_with("MATERIALIZED") if materialize else rows.subquery()
    keys = [rows.c.aios_id, rows.c.opleiding_id, rows.c.stageplaats_id, rows.c.year, *[rows.c[n] for n in extra]]
    units = select(*keys, func.min(rows.c.record_id).label("arrival"), func.max(rows.c.hidden).label("hidden")) \
        .group_by(*keys).subquery()
    cell_of = [units.c.opleiding_id, units.c.stageplaats_id, units.c.year, *[units.c[n] for n in extra], units.c.hidden]
    ranked = select(
        units,
        func.row_number().over(partition_by=cell_of, order_by=(units.c.arrival, units.c.aios_id)).label("rank"),
        func.count().over(partition_by=cell_of).label("size"),
    ).subquery()
    whole = ranked.c.rank <= (ranked.c.size // threshold) * threshold if whole_cells else false()
    counted = select(ranked).where(or_(ranked.c.hidden == 0, whole)).subquery()
    same_unit = [rows.c[name] == counted.c[name] for name in ("aios_id", "opleiding_id", "stageplaats_id", "year", *extra)]
    return select(rows.c.record_id).join(counted, and_(*same_unit))


def whole_years(period) -> tuple[int, int] | None:
    """The (first, last) year of a period of whole calendar years, None for any other period."""
    start, end = period
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year <= end.year:
        return start.year, end.year
    return None
