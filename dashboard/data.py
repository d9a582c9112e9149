"""Cached loaders for the pages. Keys: database URL, viewer, data version and filters.

The data version is read once per page run (one tiny query) and is part of every key, so a
write on any server process makes every cache miss on its next run (DESIGN.md rule 7).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard.exports import to_csv_bytes, to_xlsx_bytes, to_xlsx_sheets
from dashboard.meeting_pack import meeting_extras
from dashboard.reports import aios_summary_pdf, meeting_pack_pdf
from dashboard.resources import get_engine, get_settings
from dashboard.tables import decisions_export, progress_export, sites_export
from data_access.accounts import any_opens_with_demo_password, load_demo_password_hashes
from data_access.audit import load_data_version, record_export
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


def _url() -> str:
    return get_settings().db_url


def data_version() -> int:
    return load_data_version(get_engine(_url()))


def _version() -> int:
    return st.session_state.get("data_version", 0)


@st.cache_data(ttl=TTL, show_spinner=False)
def _demo_hashes(db_url: str, version: int) -> tuple[str, ...]:
    return load_demo_password_hashes(get_engine(db_url))


@st.cache_resource(show_spinner=False)
def _opens_with_demo_password(hashes: tuple[str, ...]) -> bool:
    # bcrypt is slow on purpose: verify once per process and set of hashes, not once per run.
    return any_opens_with_demo_password(hashes)


def is_demo() -> bool:
    return _opens_with_demo_password(_demo_hashes(_url(), _version()))


@st.cache_data(ttl=TTL, show_spinner=False)
def _filter_options(db_url: str, viewer: Viewer, version: int) -> pd.DataFrame:
    return load_filter_options(get_engine(db_url), viewer)


def filter_options(viewer: Viewer) -> pd.DataFrame:
    return _filter_options(_url(), viewer, _version())


@st.cache_data(ttl=TTL, show_spinner=False)
def _stage_progress(
    db_url: str, viewer: Viewer, version: int, selection: StageSelection, limits: FlagThresholds
) -> pd.DataFrame:
    progress = load_stage_progress(get_engine(db_url), viewer, selection)
    return add_flags(progress, selection.today, limits)


def stage_progress(viewer: Viewer, selection: StageSelection) -> pd.DataFrame:
    """Progress per stage with its explained flags (flags, flag_count)."""
    return _stage_progress(_url(), viewer, _version(), selection, get_settings().flags)


@st.cache_data(ttl=TTL, show_spinner=False)
def _gesprek_weeks(
    db_url: str, viewer: Viewer, version: int, selection: StageSelection, limits: FlagThresholds
) -> pd.DataFrame:
    progress = _stage_progress(db_url, viewer, version, selection, limits)
    held = load_gesprek_dates(get_engine(db_url), viewer, selection)
    return slots_per_week(gesprek_slots(progress, held, selection.today), selection.today)


def gesprek_weeks(viewer: Viewer, selection: StageSelection) -> pd.DataFrame:
    """Expected gesprekken of the selected stages per week: on time, late, missing."""
    return _gesprek_weeks(_url(), viewer, _version(), selection, get_settings().flags)


def dossier_aios(viewer: Viewer, filters: StageSelection) -> pd.DataFrame:
    """The aios whose dossier the viewer may open, within the programme and cohort filters."""
    return cached_query(load_dossier_aios, viewer, opleiding_id=filters.opleiding_id, cohort_ids=filters.cohort_ids)


def aios_stages(viewer: Viewer, aios_id: int) -> pd.DataFrame:
    return cached_query(load_aios_stages, viewer, aios_id=aios_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def _stage_dossier(
    db_url: str, viewer: Viewer, version: int, stage_id: int, today: dt.date, limits: FlagThresholds
) -> StageDossier | None:
    dossier = load_stage_dossier(get_engine(db_url), viewer, stage_id, today)
    if dossier is None:
        return None
    return dataclasses.replace(dossier, progress=add_flags(dossier.progress, today, limits))


def stage_dossier(viewer: Viewer, stage_id: int, today: dt.date) -> StageDossier | None:
    """Everything in one stage, its progress row with explained flags; None if not visible."""
    return _stage_dossier(_url(), viewer, _version(), stage_id, today, get_settings().flags)


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


@st.cache_data(ttl=TTL, show_spinner=False)
def _cohort_files(
    db_url: str, viewer: Viewer, version: int, selection: StageSelection, limits: FlagThresholds,
    kinds: tuple[str, ...],
) -> tuple[bytes, bytes, tuple[int, ...]]:
    progress = select_flagged(_stage_progress(db_url, viewer, version, selection, limits), kinds)
    export = progress_export(progress)
    return to_csv_bytes(export), to_xlsx_bytes(export, "Cohortoverzicht"), tuple(sorted({int(a) for a in progress["aios_id"]}))


def cohort_files(viewer: Viewer, selection: StageSelection, kinds: tuple[str, ...]) -> tuple[Callable[[], bytes], Callable[[], bytes]]:
    """The cohort table as CSV and Excel, for download buttons: built on the click (once per data
    version and selection) and audited with the aios it lists."""
    key = (_url(), viewer, _version(), selection, get_settings().flags, kinds)
    return tuple(
        audited_download(viewer, lambda i=i: _cohort_files(*key)[i], "cohortoverzicht",
                         details=lambda fmt=fmt: {"formaat": fmt, "aios": list(_cohort_files(*key)[2])})
        for i, fmt in enumerate(("csv", "xlsx"))
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def _rubrics(db_url: str, viewer: Viewer, version: int) -> pd.DataFrame:
    return load_rubrics(get_engine(db_url), viewer)


def rubrics(viewer: Viewer) -> pd.DataFrame:
    return _rubrics(_url(), viewer, _version())


@st.cache_data(ttl=TTL, show_spinner=False)
def _aios_summary(db_url: str, viewer: Viewer, version: int, stage_id: int, today: dt.date, limits: FlagThresholds) -> bytes:
    dossier = _stage_dossier(db_url, viewer, version, stage_id, today, limits)
    stages = load_aios_stages(get_engine(db_url), viewer, int(dossier.progress["aios_id"].iloc[0]))
    return aios_summary_pdf(stages.set_index("stage_id").loc[stage_id], dossier, today)


def aios_summary(viewer: Viewer, stage_id: int, today: dt.date) -> Callable[[], bytes]:
    """The one-page PDF of a stage the viewer may see, as a function for a download button:
    rendering charts takes about a second, so it runs on the click, not on every page view.
    The key is taken now, because the click runs outside the page's session."""
    key = (_url(), viewer, _version(), stage_id, today, get_settings().flags)
    dossier = _stage_dossier(*key)
    aios_id = int(dossier.progress["aios_id"].iloc[0]) if dossier is not None else None
    return audited_download(viewer, lambda: _aios_summary(*key), "samenvatting (PDF)", aios_id=aios_id,
                            details=lambda: {"stage": stage_id})


@st.cache_data(ttl=TTL, show_spinner=False)
def _cached_query(db_url: str, viewer: Viewer, version: int, name: str, kwargs: tuple, _query: Callable) -> object:
    return _query(get_engine(db_url), viewer, **dict(kwargs))


def cached_query(query: Callable, viewer: Viewer, **kwargs) -> pd.DataFrame:
    """Any scoped query `query(engine, viewer, **kwargs)`, cached per database, viewer, data
    version and arguments (all hashable). The query is keyed by its name, not hashed."""
    name = f"{query.__module__}.{query.__qualname__}"
    return _cached_query(_url(), viewer, _version(), name, tuple(sorted(kwargs.items())), query)


# The pages' analytic queries, each cached through cached_query (arguments as the query's).
def rubric_distribution(viewer: Viewer, **kwargs) -> pd.DataFrame:
    return cached_query(load_rubric_distribution, viewer, threshold=get_settings().anonymity_threshold, **kwargs)


def self_vs_begeleider(viewer: Viewer, **kwargs) -> pd.DataFrame:
    return cached_query(load_self_vs_begeleider, viewer, threshold=get_settings().anonymity_threshold, **kwargs)


def rater_calibration(viewer: Viewer, **kwargs) -> pd.DataFrame:
    s = get_settings()
    return cached_query(load_rater_calibration, viewer, min_n=s.calibration_min_n, threshold=s.anonymity_threshold,
                        **kwargs)


def stageplaats_options(viewer: Viewer, opleiding_id: int | None) -> pd.DataFrame:
    return cached_query(load_stageplaats_options, viewer, opleiding_id=opleiding_id)


def feedback_frequency(viewer: Viewer, filters: StageSelection, by: str) -> pd.DataFrame:
    return cached_query(load_feedback_frequency, viewer, by=by, today=filters.today,
                        opleiding_id=filters.opleiding_id, cohort_ids=filters.cohort_ids or None,
                        threshold=get_settings().anonymity_threshold)


def feedback_trend(viewer: Viewer, filters: StageSelection) -> pd.DataFrame:
    return cached_query(load_feedback_trend, viewer, today=filters.today,
                        opleiding_id=filters.opleiding_id, cohort_ids=filters.cohort_ids or None,
                        threshold=get_settings().anonymity_threshold)


def feedback_moments(viewer: Viewer, today: dt.date, **drill) -> pd.DataFrame:
    return cached_query(load_feedback_moments, viewer, today=today, **drill)


def feedback_breakdown(viewer: Viewer, today: dt.date, **drill) -> pd.DataFrame:
    """Counts behind a site's or begeleider's row (the committee's drill-down): no records."""
    return cached_query(load_feedback_breakdown, viewer, today=today, threshold=get_settings().anonymity_threshold,
                        **drill)


@st.cache_data(ttl=TTL, show_spinner=False)
def _feedback_grid(db_url: str, viewer: Viewer, version: int, selection: StageSelection, limits: FlagThresholds) -> pd.DataFrame:
    stages = _stage_progress(db_url, viewer, version, selection, limits)
    return weekly_grid(stages, load_feedback_per_week(get_engine(db_url), viewer, selection))


def feedback_grid(viewer: Viewer, selection: StageSelection) -> pd.DataFrame:
    """Feedback per week of every selected stage, zeros included (the heatmap's cells)."""
    return _feedback_grid(_url(), viewer, _version(), selection, get_settings().flags)


@st.cache_data(ttl=TTL, show_spinner=False)
def _stageplaats_overview(
    db_url: str, viewer: Viewer, version: int, today: dt.date, opleiding_id: int | None, year: int | None,
    threshold: int, min_mean: float,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    engine = get_engine(db_url)
    overview = load_stageplaats_overview(engine, viewer, threshold=threshold, today=today,
                                         opleiding_id=opleiding_id, year=year)
    trend = load_stageplaats_rating_trend(engine, viewer, threshold=threshold)
    return add_site_flags(overview, trend, min_mean), trend


def stageplaats_overview(viewer: Viewer, filters: StageSelection, year: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sites with their flags (worst first) and every site's year trend, both suppressed
    below the anonymity threshold."""
    s = get_settings()
    return _stageplaats_overview(_url(), viewer, _version(), filters.today, filters.opleiding_id, year,
                                 s.anonymity_threshold, s.site_min_mean)


def rating_distribution(viewer: Viewer, stageplaats_ids: tuple[int, ...]) -> pd.DataFrame:
    return cached_query(load_rating_distribution, viewer, threshold=get_settings().anonymity_threshold,
                        stageplaats_ids=stageplaats_ids)


def stageplaats_comments(viewer: Viewer, stageplaats_id: int) -> list[str]:
    return cached_query(load_stageplaats_comments, viewer, stageplaats_id=stageplaats_id,
                        threshold=get_settings().anonymity_threshold)


def decisions(viewer: Viewer, stageplaats_ids: tuple[int, ...] | None = None) -> pd.DataFrame:
    return cached_query(load_decisions, viewer, stageplaats_ids=stageplaats_ids)


def rateable_stages(viewer: Viewer, today: dt.date) -> pd.DataFrame:
    return cached_query(load_rateable_stages, viewer, today=today)


def instrument_items(viewer: Viewer, rating_id: int | None) -> pd.DataFrame:
    """The leerklimaat items, with the scores of the viewer's own rating when editing it."""
    return cached_query(load_instrument_items, viewer, rating_id=rating_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def _meeting_pack(db_url: str, viewer: Viewer, version: int, today: dt.date, opleiding_id: int | None,
                  site_ids: tuple[int, ...], threshold: int, min_mean: float,
                  meeting_id: int | None = None) -> tuple[bytes, bytes]:
    overview, trend = _stageplaats_overview(db_url, viewer, version, today, opleiding_id, None, threshold, min_mean)
    chosen = overview.set_index("stageplaats_id").loc[list(site_ids)].reset_index()  # agenda order
    engine = get_engine(db_url)
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
    key = (_url(), viewer, _version(), filters.today, filters.opleiding_id, tuple(site_ids),
           s.anonymity_threshold, s.site_min_mean, meeting_id)
    details = {"stageplaatsen": list(site_ids)} | ({"vergadering": meeting_id} if meeting_id is not None else {})
    return audited_download(viewer, lambda: _meeting_pack(*key), "vergaderstuk", details=lambda: details)


def drafts(viewer: Viewer) -> pd.DataFrame:
    return cached_query(load_drafts, viewer)


def pending_kpbs(viewer: Viewer) -> pd.DataFrame:
    return cached_query(load_pending_kpbs, viewer)


def rubric_form(viewer: Viewer, stage_id: int, date: dt.date) -> pd.DataFrame:
    return cached_query(load_rubric_form, viewer, stage_id=stage_id, date=date)


def stage_epas(viewer: Viewer, stage_id: int) -> pd.DataFrame:
    return cached_query(load_stage_epas, viewer, stage_id=stage_id)


# Not cached: logins and lockouts do not bump the data version (they would make every page
# cold), yet the beheerder must see them at once; these beheer-only queries are small.
def users(viewer: Viewer) -> pd.DataFrame:
    return load_users(get_engine(_url()), viewer)


def reminder_preferences(viewer: Viewer) -> pd.DataFrame:
    """The user's own reminder choices: small, and read fresh after they change them."""
    return load_reminder_preferences(get_engine(_url()), viewer)


def audit(viewer: Viewer, **filters) -> pd.DataFrame:
    """Read fresh, not cached: an export adds a row without bumping the data version."""
    return load_audit(get_engine(_url()), viewer, **filters)


def audit_files(viewer: Viewer, table: pd.DataFrame, filters: dict) -> tuple[Callable[[], bytes], Callable[[], bytes]]:
    """The audit log as CSV and Excel, built and audited on the click."""
    details = {"filters": {k: str(v) for k, v in filters.items() if v}, "regels": len(table)}
    return (audited_download(viewer, lambda: to_csv_bytes(table), "auditlog", details=lambda: {"formaat": "csv", **details}),
            audited_download(viewer, lambda: to_xlsx_bytes(table, "Auditlog"), "auditlog",
                             details=lambda: {"formaat": "xlsx", **details}))


def audit_filter_choices(viewer: Viewer) -> tuple[list[str], list[str]]:
    return audit_choices(get_engine(_url()), viewer)  # fresh, like the log itself
