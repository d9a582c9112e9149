"""The data layer for analysts: the same numbers the app shows, under the same access rules.

    from data_access import api

    engine = api.open_database("sqlite:///data/stagebegeleiding.sqlite")
    me = api.viewer(engine, "commissie")          # sees what the stagecommissie role sees
    sites = api.stageplaatsen(engine, me)          # Dutch column names, means only from n ≥ 3

Every function takes the Viewer and is scoped by it in the database, exactly like the pages: a
notebook run as a stagebegeleider sees only that begeleider's aios. Frames come back with Dutch
column names (documented per function); the underlying query functions (English columns) are
in `data_access.queries.*`.

Site ratings: every function here applies the installation's anonymity threshold
(`installation_threshold`): the configured one, and never lower than the threshold the
installation released its newest batch of ratings with (stored in the database), so a
notebook with a different or missing setting cannot lower it; no function takes a threshold.
Figures include released ratings only (data_access.releases).

Who may use this: whoever holds the database URL (with its password) holds ALL data: they can
read every table, every rating with its stage, and call `data_access.queries.*` with any
threshold. This API is not a security boundary but the app's numbers under the app's rules,
for analysts who are allowed to hold the database (a beheerder, or an analyst under the
programme's processing agreement). Give anyone else an export or an account in the app
instead. `viewer(..., password=...)` checks the analyst's own app password, so an analysis runs
as the analyst's own account and role, not as a colleague's; it cannot protect the data from
someone who already has the database URL.
"""

from __future__ import annotations

import datetime as dt

import bcrypt
import pandas as pd
from sqlalchemy import Engine, select

from data_access import clock
from data_access.db import make_engine
from data_access.disclosure import installation_threshold
from data_access.flags import add_flags, add_site_flags
from data_access.errors import AccessDenied
from data_access.models import Moment, Role, UserAccount
from data_access.queries.feedback import load_feedback_frequency
from data_access.queries.filters import StageSelection, load_filter_options
from data_access.queries.progress import load_stage_progress
from data_access.queries.ratings import load_stageplaats_rating_trend
from data_access.queries.rubrics import load_rubric_distribution, load_rubrics
from data_access.queries.stageplaatsen import load_stageplaats_overview
from data_access.settings import load_settings
from data_access.viewer import Viewer, viewer_for

__all__ = [
    "Moment", "Role", "cohorten", "feedback_per_stageplaats", "installation_threshold", "open_database",
    "rubric_verdeling", "rubrics", "stageplaatsen", "trend_stageplaatsen", "viewer", "voortgang",
]


def open_database(url: str | None = None) -> Engine:
    """An engine for the URL (default: the configured one, STAGE_DB_URL or the demo file)."""
    return make_engine(url or load_settings().db_url)


def viewer(engine: Engine, username: str, role: Role | None = None, *, password: str | None = None) -> Viewer:
    """Who the analysis runs as; raises AccessDenied for an unknown or inactive user, and, when
    `password` is given, for a password that is not the user's app password. (The password
    keeps an analysis to the analyst's own account; it does not protect the data from whoever
    holds the database URL: see the module docstring.)"""
    if password is not None:
        with engine.connect() as conn:
            stored = conn.execute(select(UserAccount.password_hash).where(UserAccount.username == username)).scalar_one_or_none()
        if not stored or len(password.encode()) > 72 or not bcrypt.checkpw(password.encode(), stored.encode()):
            raise AccessDenied(f"Onbekende gebruiker of onjuist wachtwoord: {username}")
    return viewer_for(engine, username, role)


def cohorten(engine: Engine, who: Viewer) -> pd.DataFrame:
    """Programmes and cohorts the viewer works with.
    Columns: opleiding_id, opleiding, cohort_id, cohort, startjaar."""
    return load_filter_options(engine, who).rename(columns={"start_year": "startjaar"})


def stageplaatsen(engine: Engine, who: Viewer, *, year: int | None = None,
                  opleiding_id: int | None = None) -> pd.DataFrame:
    """Per stageplaats, worst first, as on the Stageplaatsen page: released ratings only, means
    and intervals empty below the installation's threshold; `year` is the year of release.
    Columns: stageplaats_id, stageplaats, type, regio, status, n, wacht_op_vrijgave (new ratings
    not yet released: a count, no figures), leermogelijkheden, leerklimaat, begeleiding (with
    _laag/_hoog: 95% interval), genoeg (n ≥ drempel), feedback_per_aios_week, aios_weken,
    eindniveau_context, eindniveau_aios (n aios behind it; the level is empty below the
    threshold), laatste_besluit, signalen (list of sentences), aantal_signalen. An aios gets no
    rows: they see no site's ratings. As of today only: figures about aios take no past day
    (data_access.disclosure)."""
    s = load_settings()
    threshold = installation_threshold(engine)
    overview = load_stageplaats_overview(engine, who, threshold=threshold, today=clock.today(),
                                         opleiding_id=opleiding_id, year=year)
    trend = load_stageplaats_rating_trend(engine, who, threshold=threshold)
    flagged = add_site_flags(overview, trend, s.site_min_mean)
    renamed = flagged.rename(columns={
        "discipline": "type", "region": "regio", "enough": "genoeg", "per_aios_week": "feedback_per_aios_week",
        "aios_weeks": "aios_weken", "summative": "eindniveau_context", "decision": "laatste_besluit",
        "flags": "signalen", "flag_count": "aantal_signalen", "pending": "wacht_op_vrijgave",
        "summative_n": "eindniveau_aios",
    })
    renamed.columns = [c.replace("_low", "_laag").replace("_high", "_hoog") for c in renamed.columns]
    return renamed.drop(columns=["organisation", "decision_date", "follow_up_date"], errors="ignore")


def trend_stageplaatsen(engine: Engine, who: Viewer) -> pd.DataFrame:
    """Per stageplaats and year of release: n and the means, empty where a year would isolate
    ratings. Columns: stageplaats_id, jaar, n, leermogelijkheden, leerklimaat, begeleiding, genoeg."""
    trend = load_stageplaats_rating_trend(engine, who, threshold=installation_threshold(engine))
    keep = ["stageplaats_id", "year", "n", "leermogelijkheden", "leerklimaat", "begeleiding", "enough"]
    return trend[keep].rename(columns={"year": "jaar", "enough": "genoeg"})


def feedback_per_stageplaats(engine: Engine, who: Viewer, *, opleiding_id: int | None = None) -> pd.DataFrame:
    """Feedback moments per aios-week per stageplaats, lowest first. Columns: stageplaats_id,
    stageplaats, stages, aios (n), aios_weken, momenten, per_aios_week, gevraagd_door_aios
    (share), KPB, gesprek, informeel; over the counted aios only (see load_feedback_frequency
    and data_access.disclosure), as of today (no past day)."""
    frame = load_feedback_frequency(engine, who, by="stageplaats", today=clock.today(),
                                    opleiding_id=opleiding_id, threshold=installation_threshold(engine))
    return frame.rename(columns={"group_id": "stageplaats_id", "name": "stageplaats", "aios_weeks": "aios_weken",
                                 "moments": "momenten", "asked_share": "gevraagd_door_aios"}
                        ).sort_values(["per_aios_week", "stageplaats"], ignore_index=True)


def voortgang(engine: Engine, who: Viewer, *, cohort_ids: tuple[int, ...] = (), running_only: bool = True,
              today: dt.date | None = None) -> pd.DataFrame:
    """Per stage the progress against the stageplan and its explained flags, as on the Cohorten
    page. Columns: stage_id, aios_id, aios, cohort, stageplaats, startdatum, einddatum, week,
    weken, begeleidingsgesprekken, verwacht_begeleidingsgesprekken, kpb, verwacht_kpb,
    leerdoelen_behaald, leerdoelen, niveau_formatief, niveau_summatief, signalen, aantal_signalen."""
    today = today or clock.today()
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
    niveau, aantal, n, aandeel, aios (n aios); over the counted aios only (see
    load_rubric_distribution and data_access.disclosure)."""
    frame = load_rubric_distribution(engine, who, rubric_id=rubric_id, moment=moment, cohort_ids=cohort_ids,
                                     threshold=installation_threshold(engine))
    return frame.rename(columns={
        "version": "versie", "position": "positie", "criterion": "criterium", "canmeds_role": "canmeds_rol",
        "label": "niveau", "count": "aantal", "share": "aandeel",
    }).drop(columns=["rubric", "criterion_id"])
