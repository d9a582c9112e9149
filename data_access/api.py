"""The data layer for analysts: the same numbers the app shows, under the same access rules.

    from data_access import api

    engine = api.open_database("sqlite:///data/stagebegeleiding.sqlite")
    me = api.viewer(engine, "commissie")          # sees what the stagecommissie role sees
    sites = api.stageplaatsen(engine, me)          # Dutch column names, means only from n ≥ 3

Every function takes the Viewer and is scoped by it in the database, exactly like the pages: a
notebook run as a stagebegeleider sees only that begeleider's aios. Frames come back with Dutch
column names (documented per function); the underlying query functions (English columns) are
in `data_access.queries.*` and may be used directly too.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Engine

from data_access.db import make_engine
from data_access.flags import add_flags, add_site_flags
from data_access.models import Moment, Role
from data_access.queries.feedback import load_feedback_frequency
from data_access.queries.filters import StageSelection, load_filter_options
from data_access.queries.progress import load_stage_progress
from data_access.queries.ratings import load_stageplaats_rating_trend
from data_access.queries.rubrics import load_rubric_distribution, load_rubrics
from data_access.queries.stageplaatsen import load_stageplaats_overview
from data_access.settings import load_settings
from data_access.viewer import Viewer, viewer_for

__all__ = [
    "Moment", "Role", "cohorten", "feedback_per_stageplaats", "open_database", "rubric_verdeling", "rubrics",
    "stageplaatsen", "trend_stageplaatsen", "viewer", "voortgang",
]


def open_database(url: str | None = None) -> Engine:
    """An engine for the URL (default: the configured one, STAGE_DB_URL or the demo file)."""
    return make_engine(url or load_settings().db_url)


def viewer(engine: Engine, username: str, role: Role | None = None) -> Viewer:
    """Who the analysis runs as; raises AccessDenied for an unknown or inactive user."""
    return viewer_for(engine, username, role)


def cohorten(engine: Engine, who: Viewer) -> pd.DataFrame:
    """Programmes and cohorts the viewer works with.
    Columns: opleiding_id, opleiding, cohort_id, cohort, startjaar."""
    return load_filter_options(engine, who).rename(columns={"start_year": "startjaar"})


def stageplaatsen(engine: Engine, who: Viewer, *, year: int | None = None, today: dt.date | None = None,
                  opleiding_id: int | None = None) -> pd.DataFrame:
    """Per stageplaats, worst first, as on the Stageplaatsen page. Means and intervals are empty
    below the anonymity threshold (settings). Columns: stageplaats_id, stageplaats, type, regio,
    status, n, leermogelijkheden, leerklimaat, begeleiding (with _laag/_hoog: 95% interval),
    genoeg (n ≥ drempel), feedback_per_aios_week, aios_weken, eindniveau_context,
    laatste_besluit, signalen (list of sentences), aantal_signalen."""
    s = load_settings()
    today = today or dt.date.today()
    overview = load_stageplaats_overview(engine, who, threshold=s.anonymity_threshold, today=today,
                                         opleiding_id=opleiding_id, year=year)
    trend = load_stageplaats_rating_trend(engine, who, threshold=s.anonymity_threshold)
    flagged = add_site_flags(overview, trend, s.site_min_mean)
    renamed = flagged.rename(columns={
        "discipline": "type", "region": "regio", "enough": "genoeg", "per_aios_week": "feedback_per_aios_week",
        "aios_weeks": "aios_weken", "summative": "eindniveau_context", "decision": "laatste_besluit",
        "flags": "signalen", "flag_count": "aantal_signalen",
    })
    renamed.columns = [c.replace("_low", "_laag").replace("_high", "_hoog") for c in renamed.columns]
    return renamed.drop(columns=["organisation", "summative_n", "decision_date", "follow_up_date"], errors="ignore")


def trend_stageplaatsen(engine: Engine, who: Viewer) -> pd.DataFrame:
    """Per stageplaats and year: n and the means, empty where a year would isolate ratings.
    Columns: stageplaats_id, jaar, n, leermogelijkheden, leerklimaat, begeleiding, genoeg."""
    trend = load_stageplaats_rating_trend(engine, who, threshold=load_settings().anonymity_threshold)
    keep = ["stageplaats_id", "year", "n", "leermogelijkheden", "leerklimaat", "begeleiding", "enough"]
    return trend[keep].rename(columns={"year": "jaar", "enough": "genoeg"})


def feedback_per_stageplaats(engine: Engine, who: Viewer, *, today: dt.date | None = None,
                             opleiding_id: int | None = None) -> pd.DataFrame:
    """Feedback moments per aios-week per stageplaats, lowest first. Columns: stageplaats_id,
    stageplaats, stages, aios_weken, momenten, per_aios_week, gevraagd_door_aios (share), KPB,
    gesprek, informeel."""
    frame = load_feedback_frequency(engine, who, by="stageplaats", today=today or dt.date.today(),
                                    opleiding_id=opleiding_id)
    return frame.rename(columns={"group_id": "stageplaats_id", "name": "stageplaats", "aios_weeks": "aios_weken",
                                 "moments": "momenten", "asked_share": "gevraagd_door_aios"}
                        ).sort_values(["per_aios_week", "stageplaats"], ignore_index=True)


def voortgang(engine: Engine, who: Viewer, *, cohort_ids: tuple[int, ...] = (), running_only: bool = True,
              today: dt.date | None = None) -> pd.DataFrame:
    """Per stage the progress against the stageplan and its explained flags, as on the Cohorten
    page. Columns: stage_id, aios_id, aios, cohort, stageplaats, startdatum, einddatum, week,
    weken, begeleidingsgesprekken, verwacht_begeleidingsgesprekken, kpb, verwacht_kpb,
    leerdoelen_behaald, leerdoelen, niveau_formatief, niveau_summatief, signalen, aantal_signalen."""
    today = today or dt.date.today()
    progress = load_stage_progress(engine, who, StageSelection(today, cohort_ids=tuple(cohort_ids), running_only=running_only))
    flagged = add_flags(progress, today, load_settings().flags)
    columns = {
        "stage_id": "stage_id", "aios_id": "aios_id", "aios_name": "aios", "cohort": "cohort", "stageplaats": "stageplaats",
        "start_date": "startdatum", "end_date": "einddatum", "week": "week", "weeks_total": "weken",
        "n_begeleidingsgesprek": "begeleidingsgesprekken", "expected_begeleidingsgesprek": "verwacht_begeleidingsgesprekken",
        "kpb_done": "kpb", "expected_kpb": "verwacht_kpb", "leerdoelen_behaald": "leerdoelen_behaald",
        "leerdoelen_total": "leerdoelen", "level_tussentijds": "niveau_formatief", "level_eind": "niveau_summatief",
        "flags": "signalen", "flag_count": "aantal_signalen",
    }
    out = flagged[list(columns)].rename(columns=columns)
    out["signalen"] = out["signalen"].map(lambda f: list(f.values()))
    return out


def rubrics(engine: Engine, who: Viewer) -> pd.DataFrame:
    """Rubric versions of the viewer's programmes. Columns: rubric_id, rubric, versie, geldig_vanaf."""
    return load_rubrics(engine, who).rename(columns={"version": "versie", "valid_from": "geldig_vanaf"})


def rubric_verdeling(engine: Engine, who: Viewer, *, rubric_id: int, moment: Moment,
                     cohort_ids: tuple[int, ...] | None = None) -> pd.DataFrame:
    """Scores per criterion and level for one rubric version and one moment (formative and
    summative are never pooled). Columns: versie, moment, positie, criterium, canmeds_rol, score,
    niveau, aantal, n, aandeel."""
    frame = load_rubric_distribution(engine, who, rubric_id=rubric_id, moment=moment, cohort_ids=cohort_ids)
    return frame.rename(columns={
        "version": "versie", "position": "positie", "criterion": "criterium", "canmeds_role": "canmeds_rol",
        "label": "niveau", "count": "aantal", "share": "aandeel",
    }).drop(columns=["rubric", "criterion_id"])
