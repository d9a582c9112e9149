"""Cached loaders for the pages, all through one cache: `cached_query`.

A key is the database URL, the viewer, the arguments and the data versions of the areas the
query reads (`reads`, areas of data_access.audit). The versions are read once per page run (one
tiny query, app.py); a write stamps the areas it changes in its own transaction, so on every
server process exactly the caches that read those areas miss on their next run (DESIGN.md
rule 7). The cache holds at most MAX_ENTRIES results, so memory stays flat however many users
and filter combinations come by.
"""

from __future__ import annotations

import contextvars
import dataclasses
import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard.exports import to_csv_bytes, to_xlsx_bytes, to_xlsx_sheets
from dashboard.meeting_pack import meeting_extras
from dashboard.reports import aios_summary_pdf, meeting_pack_pdf
from dashboard.resources import anonymity_threshold, get_engine, get_settings
from dashboard.tables import decisions_export, progress_export, sites_export
from data_access.accounts import any_opens_with_demo_password, load_demo_password_hashes
from data_access.audit import (
    DATA_AREAS,
    DECISIONS,
    FEEDBACK,
    PROGRESS,
    RATINGS,
    RUBRIC_SCORES,
    STRUCTURE,
    load_data_versions,
    record_export,
)
from data_access.beheer import audit_choices, load_audit, load_users
from data_access.cycle import gesprek_slots, slots_per_week
from data_access.flags import add_flags, add_site_flags, select_flagged
from data_access.queries.dossier import (
    StageDossier,
    load_aios_stages,
    load_dossier_aios,
    load_stage_dossier,
)
from data_access.queries.feedback import (
    load_feedback_breakdown,
    load_feedback_frequency,
    load_feedback_moments,
    load_feedback_per_week,
    load_feedback_trend,
    weekly_grid,
)
from data_access.queries.filters import (
    StageSelection,
    load_filter_options,
    load_stageplaats_options,
)
from data_access.queries.forms import (
    load_drafts,
    load_pending_kpbs,
    load_rubric_form,
    load_stage_epas,
)
from data_access.queries.progress import load_gesprek_dates, load_stage_progress
from data_access.queries.ratings import (
    load_instrument_items,
    load_rateable_stages,
    load_rating_distribution,
    load_stageplaats_comments,
    load_stageplaats_rating_trend,
)
from data_access.queries.rubrics import (
    load_rater_calibration,
    load_rubric_distribution,
    load_rubrics,
    load_self_vs_begeleider,
)
from data_access.queries.stageplaatsen import load_decisions, load_stageplaats_overview
from data_access.reminders import load_reminder_preferences
from data_access.settings import FlagThresholds
from data_access.viewer import Viewer

TTL = 600
MAX_ENTRIES = 96  # results kept per server process, whoever asked them

# What each kind of read depends on (areas of data_access.audit). The stage progress and the
# dossier read nearly everything about a stage; the Stageplaatsen page does not read gesprekken.
STAGES = (STRUCTURE, PROGRESS, FEEDBACK, RUBRIC_SCORES, RATINGS)  # load_stage_progress, dossier
SITES = (STRUCTURE, RATINGS, FEEDBACK, RUBRIC_SCORES, DECISIONS)  # load_stageplaats_overview
SITE_RATINGS = (STRUCTURE, RATINGS, DECISIONS)
SCORES = (STRUCTURE, RUBRIC_SCORES)
FEEDBACK_READS = (STRUCTURE, FEEDBACK)
FORMS = (STRUCTURE, PROGRESS, FEEDBACK, RUBRIC_SCORES)


def _url() -> str:
    return get_settings().db_url


def data_versions() -> dict[str, int]:
    """Every area's data version (app.py reads it once per page run into the session)."""
    return load_data_versions(get_engine(_url()))


# The versions a cached query running now was keyed on: the queries it calls inside are keyed
# on the same snapshot, also when it runs on a download's click, outside the page's session.
_snapshot: contextvars.ContextVar[tuple[str, dict[str, int]] | None] = contextvars.ContextVar("snapshot", default=None)


def _versions() -> tuple[str, dict[str, int]]:
    outer = _snapshot.get()
    if outer is not None:
        return outer
    if get_script_run_ctx(suppress_warning=True) is not None and "data_versions" in st.session_state:
        return _url(), st.session_state["data_versions"]
    return _url(), data_versions()  # outside a page run (a download's click, a test): fresh


@st.cache_data(ttl=TTL, max_entries=MAX_ENTRIES, show_spinner=False)
def _cached_query(db_url: str, viewer: Viewer, versions: tuple, name: str, kwargs: tuple, _query: Callable,
                  _snap: dict[str, int]) -> object:
    token = _snapshot.set((db_url, _snap))
    try:
        return _query(get_engine(db_url), viewer, **dict(kwargs))
    finally:
        _snapshot.reset(token)


def _key(query: Callable, viewer: Viewer, reads: tuple[str, ...], kwargs: dict) -> tuple:
    db_url, versions = _versions()
    name = f"{query.__module__}.{query.__qualname__}"
    read = tuple((area, versions.get(area, 0)) for area in reads)
    return db_url, viewer, read, name, tuple(sorted(kwargs.items())), query, versions


def cached_query(query: Callable, viewer: Viewer, *, reads: tuple[str, ...] = DATA_AREAS, **kwargs) -> object:
    """Any scoped query `query(engine, viewer, **kwargs)`, cached per database, viewer, arguments
    (all hashable) and the data versions of the areas it `reads` (all areas unless told). The
    query is keyed by its name, not hashed."""
    return _cached_query(*_key(query, viewer, reads, kwargs))


def deferred(query: Callable, viewer: Viewer, *, reads: tuple[str, ...] = DATA_AREAS, **kwargs) -> Callable[[], object]:
    """cached_query as a function for a download button: the key is taken now (the click runs
    outside the page's session), the work is done on the click."""
    key = _key(query, viewer, reads, kwargs)
    return lambda: _cached_query(*key)


def _demo_hashes(engine, viewer) -> tuple[str, ...]:  # noqa: ANN001 - cached_query's signature
    return load_demo_password_hashes(engine)


@st.cache_resource(show_spinner=False, max_entries=8)
def _opens_with_demo_password(hashes: tuple[str, ...]) -> bool:
    # bcrypt is slow on purpose: verify once per process and set of hashes, not once per run.
    return any_opens_with_demo_password(hashes)


def is_demo() -> bool:
    return _opens_with_demo_password(cached_query(_demo_hashes, None, reads=(STRUCTURE,)))


def filter_options(viewer: Viewer) -> pd.DataFrame:
    return cached_query(load_filter_options, viewer, reads=(STRUCTURE,))


def _flagged_progress(engine, viewer: Viewer, selection: StageSelection, limits: FlagThresholds) -> pd.DataFrame:  # noqa: ANN001
    return add_flags(load_stage_progress(engine, viewer, selection), selection.today, limits)


def stage_progress(viewer: Viewer, selection: StageSelection) -> pd.DataFrame:
    """Progress per stage with its explained flags (flags, flag_count)."""
    return cached_query(_flagged_progress, viewer, reads=STAGES, selection=selection, limits=get_settings().flags)


def _gesprek_weeks(engine, viewer: Viewer, selection: StageSelection) -> pd.DataFrame:  # noqa: ANN001
    held = load_gesprek_dates(engine, viewer, selection)
    return slots_per_week(gesprek_slots(stage_progress(viewer, selection), held, selection.today), selection.today)


def gesprek_weeks(viewer: Viewer, selection: StageSelection) -> pd.DataFrame:
    """Expected gesprekken of the selected stages per week: on time, late, missing."""
    return cached_query(_gesprek_weeks, viewer, reads=STAGES, selection=selection)


def dossier_aios(viewer: Viewer, filters: StageSelection) -> pd.DataFrame:
    """The aios whose dossier the viewer may open, within the programme and cohort filters."""
    return cached_query(load_dossier_aios, viewer, reads=(STRUCTURE,), opleiding_id=filters.opleiding_id,
                        cohort_ids=filters.cohort_ids)


def aios_stages(viewer: Viewer, aios_id: int) -> pd.DataFrame:
    return cached_query(load_aios_stages, viewer, reads=STAGES, aios_id=aios_id)


def _stage_dossier(engine, viewer: Viewer, stage_id: int, today: dt.date, limits: FlagThresholds) -> StageDossier | None:  # noqa: ANN001
    dossier = load_stage_dossier(engine, viewer, stage_id, today)
    if dossier is None:
        return None
    return dataclasses.replace(dossier, progress=add_flags(dossier.progress, today, limits))


def stage_dossier(viewer: Viewer, stage_id: int, today: dt.date) -> StageDossier | None:
    """Everything in one stage, its progress row with explained flags; None if not visible."""
    return cached_query(_stage_dossier, viewer, reads=STAGES, stage_id=stage_id, today=today,
                        limits=get_settings().flags)


def audited_download(viewer: Viewer, build: Callable[[], bytes], what: str, *, aios_id: int | None = None,
                     details: Callable[[], dict] | None = None) -> Callable[[], bytes]:
    """A download button's data, made on the click and audited then (who, what, about whom).

    Streamlit runs a callable `data` only when the button is clicked (a separate request, not
    a rerun); bytes given directly would be sent to the browser with every page view, so a
    download could not be told from a view. The click runs outside the page's session: the
    database URL is taken now."""
    db_url = _url()

    def download() -> bytes:
        data = build()
        record_export(get_engine(db_url), viewer.user_id, what, aios_id=aios_id, details=details() if details else None)
        return data
    return download


def _cohort_files(engine, viewer: Viewer, selection: StageSelection, kinds: tuple[str, ...]) -> tuple[bytes, bytes, tuple[int, ...]]:  # noqa: ANN001
    progress = select_flagged(stage_progress(viewer, selection), kinds)
    export = progress_export(progress)
    return to_csv_bytes(export), to_xlsx_bytes(export, "Cohortoverzicht"), tuple(sorted({int(a) for a in progress["aios_id"]}))


def cohort_files(viewer: Viewer, selection: StageSelection, kinds: tuple[str, ...]) -> tuple[Callable[[], bytes], Callable[[], bytes]]:
    """The cohort table as CSV and Excel, for download buttons: built on the click (once per data
    version and selection) and audited with the aios it lists."""
    files = deferred(_cohort_files, viewer, reads=STAGES, selection=selection, kinds=kinds)
    return tuple(
        audited_download(viewer, lambda i=i: files()[i], "cohortoverzicht",
                         details=lambda fmt=fmt: {"formaat": fmt, "aios": list(files()[2])})
        for i, fmt in enumerate(("csv", "xlsx"))
    )


def rubrics(viewer: Viewer) -> pd.DataFrame:
    return cached_query(load_rubrics, viewer, reads=(STRUCTURE,))


def _aios_summary(engine, viewer: Viewer, stage_id: int, today: dt.date) -> bytes:  # noqa: ANN001
    dossier = stage_dossier(viewer, stage_id, today)
    stages = load_aios_stages(engine, viewer, int(dossier.progress["aios_id"].iloc[0]))
    return aios_summary_pdf(stages.set_index("stage_id").loc[stage_id], dossier, today)


def aios_summary(viewer: Viewer, stage_id: int, today: dt.date) -> Callable[[], bytes]:
    """The one-page PDF of a stage the viewer may see, as a function for a download button:
    rendering charts takes about a second, so it runs on the click, not on every page view."""
    dossier = stage_dossier(viewer, stage_id, today)
    aios_id = int(dossier.progress["aios_id"].iloc[0]) if dossier is not None else None
    return audited_download(viewer, deferred(_aios_summary, viewer, reads=STAGES, stage_id=stage_id, today=today),
                            "samenvatting (PDF)", aios_id=aios_id, details=lambda: {"stage": stage_id})


# The pages' analytic queries, each cached through cached_query (arguments as the query's).
def rubric_distribution(viewer: Viewer, **kwargs) -> pd.DataFrame:
    return cached_query(load_rubric_distribution, viewer, reads=SCORES, threshold=anonymity_threshold(),
                        **kwargs)


def self_vs_begeleider(viewer: Viewer, **kwargs) -> pd.DataFrame:
    return cached_query(load_self_vs_begeleider, viewer, reads=SCORES, threshold=anonymity_threshold(),
                        **kwargs)


def rater_calibration(viewer: Viewer, **kwargs) -> pd.DataFrame:
    s = get_settings()
    return cached_query(load_rater_calibration, viewer, reads=SCORES, min_n=s.calibration_min_n,
                        threshold=anonymity_threshold(), **kwargs)


def stageplaats_options(viewer: Viewer, opleiding_id: int | None) -> pd.DataFrame:
    return cached_query(load_stageplaats_options, viewer, reads=(STRUCTURE,), opleiding_id=opleiding_id)


def feedback_frequency(viewer: Viewer, filters: StageSelection, by: str) -> pd.DataFrame:
    return cached_query(load_feedback_frequency, viewer, reads=FEEDBACK_READS, by=by, today=filters.today,
                        opleiding_id=filters.opleiding_id, cohort_ids=filters.cohort_ids or None,
                        threshold=anonymity_threshold())


def feedback_trend(viewer: Viewer, filters: StageSelection) -> pd.DataFrame:
    return cached_query(load_feedback_trend, viewer, reads=FEEDBACK_READS, today=filters.today,
                        opleiding_id=filters.opleiding_id, cohort_ids=filters.cohort_ids or None,
                        threshold=anonymity_threshold())


def feedback_moments(viewer: Viewer, today: dt.date, **drill) -> pd.DataFrame:
    return cached_query(load_feedback_moments, viewer, reads=FEEDBACK_READS, today=today, **drill)


def feedback_breakdown(viewer: Viewer, today: dt.date, **drill) -> pd.DataFrame:
    """Counts behind a site's or begeleider's row (the committee's drill-down): no records."""
    return cached_query(load_feedback_breakdown, viewer, reads=FEEDBACK_READS, today=today,
                        threshold=anonymity_threshold(), **drill)


def _feedback_grid(engine, viewer: Viewer, selection: StageSelection) -> pd.DataFrame:  # noqa: ANN001
    return weekly_grid(stage_progress(viewer, selection), load_feedback_per_week(engine, viewer, selection))


def feedback_grid(viewer: Viewer, selection: StageSelection) -> pd.DataFrame:
    """Feedback per week of every selected stage, zeros included (the heatmap's cells)."""
    return cached_query(_feedback_grid, viewer, reads=STAGES, selection=selection)


def _stageplaats_overview(engine, viewer: Viewer, today: dt.date, opleiding_id: int | None, year: int | None,  # noqa: ANN001
                          threshold: int, min_mean: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    overview = load_stageplaats_overview(engine, viewer, threshold=threshold, today=today,
                                         opleiding_id=opleiding_id, year=year)
    trend = load_stageplaats_rating_trend(engine, viewer, threshold=threshold)
    return add_site_flags(overview, trend, min_mean), trend


def stageplaats_overview(viewer: Viewer, filters: StageSelection, year: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sites with their flags (worst first) and every site's year trend, both suppressed
    below the anonymity threshold."""
    s = get_settings()
    return cached_query(_stageplaats_overview, viewer, reads=SITES, today=filters.today,
                        opleiding_id=filters.opleiding_id, year=year, threshold=anonymity_threshold(),
                        min_mean=s.site_min_mean)


def rating_distribution(viewer: Viewer, stageplaats_ids: tuple[int, ...]) -> pd.DataFrame:
    return cached_query(load_rating_distribution, viewer, reads=SITE_RATINGS,
                        threshold=anonymity_threshold(), stageplaats_ids=stageplaats_ids)


def stageplaats_comments(viewer: Viewer, stageplaats_id: int) -> list[str]:
    return cached_query(load_stageplaats_comments, viewer, reads=SITE_RATINGS, stageplaats_id=stageplaats_id,
                        threshold=anonymity_threshold())


def decisions(viewer: Viewer, stageplaats_ids: tuple[int, ...] | None = None) -> pd.DataFrame:
    return cached_query(load_decisions, viewer, reads=SITE_RATINGS, stageplaats_ids=stageplaats_ids)


def rateable_stages(viewer: Viewer, today: dt.date) -> pd.DataFrame:
    return cached_query(load_rateable_stages, viewer, reads=SITE_RATINGS, today=today)


def instrument_items(viewer: Viewer, rating_id: int | None) -> pd.DataFrame:
    """The leerklimaat items, with the scores of the viewer's own rating when editing it."""
    return cached_query(load_instrument_items, viewer, reads=SITE_RATINGS, rating_id=rating_id)


def _meeting_pack(engine, viewer: Viewer, today: dt.date, opleiding_id: int | None, site_ids: tuple[int, ...],  # noqa: ANN001
                  threshold: int, min_mean: float, meeting_id: int | None) -> tuple[bytes, bytes]:
    overview, trend = cached_query(_stageplaats_overview, viewer, reads=SITES, today=today, opleiding_id=opleiding_id,
                                   year=None, threshold=threshold, min_mean=min_mean)
    chosen = overview.set_index("stageplaats_id").loc[list(site_ids)].reset_index()  # agenda order
    comments = {int(i): load_stageplaats_comments(engine, viewer, stageplaats_id=int(i), threshold=threshold)
                for i in chosen["stageplaats_id"]}
    history = load_decisions(engine, viewer, site_ids)
    distribution = load_rating_distribution(engine, viewer, threshold=threshold, stageplaats_ids=site_ids)
    meeting, sheets = meeting_extras(engine, viewer, meeting_id, today, threshold, opleiding_id)
    pdf = meeting_pack_pdf(chosen, trend, distribution, comments, history, threshold, today, **meeting)
    xlsx = to_xlsx_sheets({**sheets, "Stageplaatsen": sites_export(chosen, threshold),
                           "Besluiten": decisions_export(history, chosen)})
    return pdf, xlsx


def meeting_pack(viewer: Viewer, filters: StageSelection, site_ids: tuple[int, ...],
                 meeting_id: int | None = None) -> Callable[[], tuple[bytes, bytes]]:
    """The meeting pack (PDF, Excel) of the chosen sites in agenda order, built on the click
    (rendering the charts takes a while); of a meeting (dashboard.meetings) with its cover
    and its outcomes."""
    s = get_settings()
    pack = deferred(_meeting_pack, viewer, reads=SITES, today=filters.today, opleiding_id=filters.opleiding_id,
                    site_ids=tuple(site_ids), threshold=anonymity_threshold(), min_mean=s.site_min_mean,
                    meeting_id=meeting_id)
    details = {"stageplaatsen": list(site_ids)} | ({"vergadering": meeting_id} if meeting_id is not None else {})
    return audited_download(viewer, pack, "vergaderstuk", details=lambda: details)


def drafts(viewer: Viewer) -> pd.DataFrame:
    return cached_query(load_drafts, viewer, reads=FORMS)


def pending_kpbs(viewer: Viewer) -> pd.DataFrame:
    return cached_query(load_pending_kpbs, viewer, reads=FORMS)


def rubric_form(viewer: Viewer, stage_id: int, date: dt.date) -> pd.DataFrame:
    return cached_query(load_rubric_form, viewer, reads=FORMS, stage_id=stage_id, date=date)


def stage_epas(viewer: Viewer, stage_id: int) -> pd.DataFrame:
    return cached_query(load_stage_epas, viewer, reads=FORMS, stage_id=stage_id)


# Not cached: logins and lockouts change no data version (they would make every page
# cold), yet the beheerder must see them at once; these beheer-only queries are small.
def users(viewer: Viewer) -> pd.DataFrame:
    return load_users(get_engine(_url()), viewer)


def reminder_preferences(viewer: Viewer) -> pd.DataFrame:
    """The user's own reminder choices: small, and read fresh after they change them."""
    return load_reminder_preferences(get_engine(_url()), viewer)


def audit(viewer: Viewer, **filters) -> pd.DataFrame:
    """Read fresh, not cached: an export adds a row without changing a data version."""
    return load_audit(get_engine(_url()), viewer, **filters)


def audit_files(viewer: Viewer, table: pd.DataFrame, filters: dict) -> tuple[Callable[[], bytes], Callable[[], bytes]]:
    """The audit log as CSV and Excel, built and audited on the click."""
    details = {"filters": {k: str(v) for k, v in filters.items() if v}, "regels": len(table)}
    return (audited_download(viewer, lambda: to_csv_bytes(table), "auditlog", details=lambda: {"formaat": "csv", **details}),
            audited_download(viewer, lambda: to_xlsx_bytes(table, "Auditlog"), "auditlog",
                             details=lambda: {"formaat": "xlsx", **details}))


def audit_filter_choices(viewer: Viewer) -> tuple[list[str], list[str]]:
    return audit_choices(get_engine(_url()), viewer)  # fresh, like the log itself
