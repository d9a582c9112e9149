"""The pages' writes: the commands of data_access on this app's engine, each returning the
confirmation a user reads. Validation and access are the commands' own."""

from __future__ import annotations

import datetime as dt

from dashboard.exports import to_xlsx_sheets
from dashboard.resources import anonymity_threshold, get_engine, get_settings
from data_access.beheer import (
    aios_export_json,
    create_user,
    export_aios,
    export_aios_files,
    export_database,
    link,
    reset_password,
    set_active,
    set_roles,
)
from data_access.commands import (
    RatingInput,
    submit_rating,
)
from data_access.gesprekken import (
    FeedbackInput,
    GesprekInput,
    KpbInput,
    Limits,
    confirm_gesprek,
    confirm_kpb,
    log_feedback,
    log_gesprek,
    log_kpb,
    return_gesprek,
    return_kpb,
)
from data_access.follow_up import add_note, clear_follow_up, mark_for_follow_up
from data_access.importer import Plan, plan_import, run_import
from data_access.models import Role
from data_access.reminders import set_reminder_preference
from data_access.stageplan_templates import TemplateInput, save_template
from data_access.stages import StageChange, StageInput, add_stage, change_stage
from data_access.viewer import Viewer


def _engine():
    return get_engine(get_settings().db_url)


def rate(viewer: Viewer, stage_id: int, name: str, rating: RatingInput, today: dt.date) -> str:
    threshold = anonymity_threshold()
    submit_rating(_engine(), viewer, stage_id, rating, today, threshold=threshold)
    return (f"Uw beoordeling van {name} is opgeslagen. Zij telt mee vanaf de volgende vrijgave: zodra er minstens "
            f"{threshold} nieuwe beoordelingen van deze stageplaats zijn, komen ze samen in de cijfers. Anderen zien "
            "alleen gemiddelden van minstens zoveel beoordelingen, nooit uw beoordeling.")


def _limits() -> Limits:
    s = get_settings()
    return Limits(text=s.text_limit, date_margin_days=s.gesprek_date_margin_days)


def save_gesprek(viewer: Viewer, data: GesprekInput, today: dt.date, replaces: int | None = None,
                 aios_name: str | None = None) -> str:
    log_gesprek(_engine(), viewer, data, today, _limits(), replaces=replaces)
    if viewer.role is Role.AIOS or aios_name is None:
        state = ("als concept opgeslagen; uw begeleider stelt het vast" if viewer.role is Role.AIOS
                 else "vastgelegd en vastgesteld")
        return f"{data.type.value.capitalize()} van {data.date:%d-%m-%Y} is {state}."
    return (f"{data.type.value.capitalize()} met {aios_name} opgeslagen: het verslag van {data.date:%d-%m-%Y} "
            "is vastgelegd en vastgesteld.")


def confirm(viewer: Viewer, gesprek_id: int, what: str) -> str:
    confirm_gesprek(_engine(), viewer, gesprek_id)
    return f"Vastgesteld: {what}."


def send_back(viewer: Viewer, gesprek_id: int, remark: str, what: str) -> str:
    return_gesprek(_engine(), viewer, gesprek_id, remark, _limits())
    return f"Teruggestuurd naar de aios: {what}."


def _for(aios_name: str | None) -> str:
    """The words " voor <aios>": a confirmation names the aios the record was saved for."""
    return f" voor {aios_name}" if aios_name else ""


def save_kpb(viewer: Viewer, data: KpbInput, today: dt.date, aios_name: str | None = None) -> str:
    log_kpb(_engine(), viewer, data, today, _limits())
    if viewer.role is Role.AIOS:
        return (f"KPB van {data.date:%d-%m-%Y} opgeslagen als aanvraag; uw begeleider bevestigt de observatie en "
                "stelt het supervisieniveau vast.")
    answered = " De feedbackvraag is beantwoord." if data.request_id is not None else ""
    return (f"KPB van {data.date:%d-%m-%Y}{_for(aios_name)} vastgelegd (supervisieniveau {data.supervision_level})."
            f"{answered}")


def confirm_observed_kpb(viewer: Viewer, kpb_id: int, level: int | None, feedback: str, what: str) -> str:
    confirm_kpb(_engine(), viewer, kpb_id, level, feedback, _limits())
    return f"KPB vastgesteld: {what}, supervisieniveau {level}."


def send_back_kpb(viewer: Viewer, kpb_id: int, remark: str, what: str) -> str:
    return_kpb(_engine(), viewer, kpb_id, remark, _limits())
    return f"Teruggestuurd naar de aios: {what}."


def save_feedback(viewer: Viewer, data: FeedbackInput, today: dt.date, aios_name: str | None = None) -> str:
    log_feedback(_engine(), viewer, data, today, _limits())
    answered = " De feedbackvraag is beantwoord." if data.request_id is not None else ""
    return f"Feedbackmoment van {data.date:%d-%m-%Y}{_for(aios_name)} vastgelegd.{answered}"


def new_stage(viewer: Viewer, data: StageInput, today: dt.date, what: str) -> str:
    add_stage(_engine(), viewer, data, today)
    return f"Stage toegevoegd: {what}, met het stageplan uit het sjabloon van de opleiding."


def edit_stage(viewer: Viewer, stage_id: int, data: StageChange, today: dt.date, what: str) -> str:
    change_stage(_engine(), viewer, stage_id, data, today)
    return f"Stage opgeslagen: {what}."


def save_stageplan_template(viewer: Viewer, data: TemplateInput) -> str:
    save_template(_engine(), viewer, data)
    return ("Sjabloon opgeslagen. Nieuwe stages krijgen dit stageplan; bestaande stageplannen houden hun eigen doelen "
            "en zeggen uit welke versie ze komen.")


def save_reminder_preferences(viewer: Viewer, chosen: dict[str, str], current: dict[str, str]) -> str:
    """The user's own choice per kind of e-mail reminder; only the kinds that changed are written."""
    for kind, frequency in chosen.items():
        if frequency != current[kind]:
            set_reminder_preference(_engine(), viewer, kind, frequency)
    return "Uw keuzes voor e-mailherinneringen zijn opgeslagen."


def new_user(viewer: Viewer, username: str, name: str, email: str, roles: list[Role]) -> str:
    _, password = create_user(_engine(), viewer, username, name, email, roles)
    return (f"Gebruiker {username.strip().lower()} aangemaakt. Tijdelijk wachtwoord (wordt maar één keer getoond): "
            f"{password}. Bij de eerste keer inloggen kiest de gebruiker een eigen wachtwoord.")


def change_user(viewer: Viewer, user_id: int, roles: list[Role], active: bool) -> str:
    set_roles(_engine(), viewer, user_id, roles)
    set_active(_engine(), viewer, user_id, active)
    return "Rollen en status opgeslagen."


def new_password(viewer: Viewer, user_id: int, username: str) -> str:
    password = reset_password(_engine(), viewer, user_id)
    return (f"Nieuw tijdelijk wachtwoord voor {username} (wordt maar één keer getoond): {password}. "
            "Bij de volgende keer inloggen kiest de gebruiker een eigen wachtwoord.")


def link_user(viewer: Viewer, user_id: int, **links) -> str:
    link(_engine(), viewer, user_id, **links)
    return "Koppelingen opgeslagen."


def import_file(viewer: Viewer, kind: str, frame, filename: str, progress) -> Plan:
    """Carry out an import (all-or-nothing); returns the plan with its counts or problems."""
    return run_import(_engine(), viewer, kind, frame, filename, progress=progress)


def dry_run(viewer: Viewer, kind: str, frame) -> Plan:
    return plan_import(_engine(), viewer, kind, frame)


def database_export(viewer: Viewer) -> bytes:
    return to_xlsx_sheets(export_database(_engine(), viewer))


def personal_export(viewer: Viewer, aios_id: int) -> tuple[bytes, str]:
    sheets = export_aios(_engine(), viewer, aios_id)
    return to_xlsx_sheets(sheets), aios_export_json(sheets)


def personal_files(viewer: Viewer, aios_id: int) -> bytes:
    """The files an aios uploaded, as one ZIP, for the AVG inzage (listed in personal_export)."""
    return export_aios_files(_engine(), viewer, aios_id)


def note(viewer: Viewer, aios_id: int, name: str, text: str, token: str) -> str:
    add_note(_engine(), viewer, aios_id, text, token, limit=get_settings().text_limit)
    return f"Notitie opgeslagen in het dossier van {name}."


def mark_follow_up(viewer: Viewer, aios_id: int, name: str, discuss_on: dt.date | None, reason: str, token: str,
                   today: dt.date) -> str:
    mark_for_follow_up(_engine(), viewer, aios_id, discuss_on, reason, token, today, limit=get_settings().text_limit)
    return f"{name} staat op de lijst voor het voortgangsoverleg van {discuss_on:%d-%m-%Y}."


def clear_mark(viewer: Viewer, mark_id: int, name: str) -> str:
    clear_follow_up(_engine(), viewer, mark_id)
    return f"{name} is besproken en van de lijst voor het voortgangsoverleg gehaald."
