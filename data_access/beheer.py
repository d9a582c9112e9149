"""The beheerder's work: users, roles and their links, the audit log, and exports (the whole
database, and everything about one aios for an AVG/GDPR inzage). Only the beheerder may; every
change and every export is audited; the last active beheerder cannot be removed or demoted;
password hashes are never exported, and neither are the aios' ratings of stageplaatsen (their
scores, comments and instrument items leave the database only as the pages' aggregates). A stored
file (an uploaded stageverslag) is never a cell: a sheet lists it by name, size and date, and the
inzage hands the files themselves over in a ZIP."""

from __future__ import annotations

import datetime as dt
import io
import json
import secrets
import string
import zipfile

import bcrypt
import pandas as pd
from sqlalchemy import Column, ColumnElement, Connection, Engine, LargeBinary, Row, Select, Table, delete, func, or_, select

from data_access.accounts import clear_login_throttle, end_sessions
from data_access.audit import record_export, record_write, refuse
from data_access.db import write_session
from data_access.errors import AccessDenied, ValidationError
from data_access.frames import read_frame
from data_access.importer.fields import parse_email
from data_access.models import (
    Aios,
    AuditLog,
    Base,
    BegeleiderStageplaats,
    Cohort,
    Instituutsopleider,
    OpleiderCohort,
    Role,
    RatingItemScore,
    Stage,
    Stagebegeleider,
    Stageplaats,
    StageplaatsRating,
    StageverslagVersie,
    UserAccount,
    UserRole,
)
from data_access.permissions import Action, may
from data_access.stageverslag import download_name
from data_access.viewer import Viewer

# Columns never exported: secrets, and the login bookkeeping that only serves security.
SECRET_COLUMNS = {("user_account", "password_hash")}
# Tables never exported: the aios' ratings of stageplaatsen are shown only as aggregates from
# n >= the anonymity threshold; a row, a comment or an item score can point to one aios.
RATING_TABLES = {StageplaatsRating.__tablename__, RatingItemScore.__tablename__}
EXPLANATION_SHEET = "Toelichting"
EXPLANATION = [
    "Een tabblad per tabel van de database, met alle rijen op het moment van exporteren.",
    "Niet geëxporteerd: wachtwoorden (ook niet versleuteld).",
    "Niet geëxporteerd: de inhoud van geüploade bestanden (stageverslagen als PDF of Word). Naam, grootte en "
    "datum staan in de tabel stageverslag_versie; de bestanden van één aios staan in de inzage (Bestanden (ZIP)).",
    "Niet geëxporteerd: de tabellen stageplaats_rating en rating_item_score (de beoordelingen van "
    "stageplaatsen door aios, met hun toelichting en de scores per vragenlijstitem). Een beoordeling is "
    "vertrouwelijk: ze is alleen zichtbaar als gemiddelde van minstens het anonimiteitsdrempel aantal "
    "beoordelingen, op de pagina's Stageplaatsen en Vergadering en in hun downloads.",
    "Tekst staat in de cellen zoals hij is ingevoerd; een cel die met =, +, - of @ begint is tekst, geen formule.",
    "Deze export is vastgelegd in de auditlog (wie en wanneer).",
]


def _exported_columns(table: Table) -> list[Column]:
    """The columns an export shows: no secrets, and no file bytes (a cell cannot hold a file)."""
    return [c for c in table.columns
            if (table.name, c.name) not in SECRET_COLUMNS and not isinstance(c.type, LargeBinary)]


def _only_beheerder(viewer: Viewer) -> None:
    if not may(viewer, Action.BEHEER):
        raise AccessDenied("Alleen de beheerder mag dit.")


BEHEERDER_ONLY = "Alleen de beheerder mag dit."
UNKNOWN_USER = "Deze gebruiker bestaat niet (meer). Vernieuw de lijst en kies opnieuw."


def _beheerder_command(engine: Engine, viewer: Viewer, user_id: int | None) -> None:
    """A beheer command refused for another role is audited ("geweigerd") like every command."""
    if not may(viewer, Action.BEHEER):
        refuse(engine, viewer.user_id, "user_account", user_id, BEHEERDER_ONLY)


def _user(session, user_id: int) -> UserAccount:
    user = session.get(UserAccount, user_id)
    if user is None:
        raise ValidationError({"_": UNKNOWN_USER})  # no field: the page shows it with the form
    return user


def _unknown(session, model, ids: list[int]) -> list[int]:
    known = set(session.execute(select(model.id).where(model.id.in_(ids))).scalars()) if ids else set()
    return sorted(set(ids) - known)


def load_users(engine: Engine, viewer: Viewer) -> pd.DataFrame:
    """Every user with their roles. Columns: user_id, username, display_name, email, active,
    must_change_password, locked_until, roles (comma-separated)."""
    _only_beheerder(viewer)
    users = read_frame(engine, select(
        UserAccount.id.label("user_id"), UserAccount.username, UserAccount.display_name, UserAccount.email,
        UserAccount.active, UserAccount.must_change_password, UserAccount.locked_until,
    ).order_by(UserAccount.display_name))
    roles = read_frame(engine, select(UserRole.user_id, UserRole.role))
    roles["role"] = roles["role"].map(lambda r: r.value)
    joined = roles.groupby("user_id")["role"].agg(lambda r: ", ".join(sorted(r)))
    users["roles"] = users["user_id"].map(joined).fillna("")
    return users


def _active_beheerders(session) -> set[int]:
    return set(session.execute(
        select(UserRole.user_id).join(UserAccount, UserAccount.id == UserRole.user_id)
        .where(UserRole.role == Role.BEHEERDER, UserAccount.active.is_(True))
    ).scalars())


def _guard_last_beheerder(session, user_id: int, stays_beheerder: bool) -> None:
    if not stays_beheerder and _active_beheerders(session) == {user_id}:
        raise ValidationError({"roles": "Dit is de laatste actieve beheerder: die kan niet worden gedeactiveerd "
                                        "of zijn beheerdersrol verliezen. Maak eerst een andere beheerder aan."})


def create_user(engine: Engine, viewer: Viewer, username: str, display_name: str, email: str | None,
                roles: list[Role]) -> tuple[int, str]:
    """A new user with roles and a temporary password (returned once, to show once); they must
    choose their own at the first login."""
    _beheerder_command(engine, viewer, None)
    username, display_name = (username or "").strip().lower(), (display_name or "").strip()
    errors = {}
    if not username or not all(c.isalnum() or c in "._-" for c in username):
        errors["username"] = "Kies een gebruikersnaam van letters, cijfers, punt, streepje of liggend streepje."
    if not display_name:
        errors["display_name"] = "Vul de naam in."
    if not roles:
        errors["roles"] = "Kies minstens één rol."
    email = (email or "").strip() or None
    if email:
        try:
            email = parse_email(email)
        except ValueError as exc:
            errors["email"] = str(exc)
    with write_session(engine) as session, session.begin():
        if username and session.execute(select(UserAccount.id).where(UserAccount.username == username)).first():
            errors["username"] = f"De gebruikersnaam '{username}' is al in gebruik."
        # One account per address: single sign-on finds a person by it (accounts.sso_login).
        if email and "email" not in errors and (owner := session.execute(
                select(UserAccount.username).where(func.lower(UserAccount.email) == email.lower())).scalar()):
            errors["email"] = f"Het e-mailadres {email} is al in gebruik bij gebruiker '{owner}'."
        if errors:
            raise ValidationError(errors)
        password = temporary_password()
        user = UserAccount(username=username, display_name=display_name, email=email,
                           password_hash=bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode(),
                           must_change_password=True)
        session.add(user)
        session.flush()
        _apply_roles(session, user.id, set(roles))
        record_write(session, viewer.user_id, action="aangemaakt", entity="user_account", entity_id=user.id,
                     after={"gebruikersnaam": username, "rollen": sorted(r.value for r in roles)})
        return user.id, password


def _apply_roles(session, user_id: int, roles: set[Role]) -> None:
    """The role rows, and the records a role needs (a begeleider or opleider record)."""
    session.execute(delete(UserRole).where(UserRole.user_id == user_id))
    session.add_all([UserRole(user_id=user_id, role=r) for r in roles])
    if Role.STAGEBEGELEIDER in roles and not session.execute(select(Stagebegeleider.id).where(Stagebegeleider.user_id == user_id)).first():
        session.add(Stagebegeleider(user_id=user_id))
    if Role.INSTITUUTSOPLEIDER in roles and not session.execute(select(Instituutsopleider.id).where(Instituutsopleider.user_id == user_id)).first():
        session.add(Instituutsopleider(user_id=user_id))


def set_roles(engine: Engine, viewer: Viewer, user_id: int, roles: list[Role]) -> None:
    _beheerder_command(engine, viewer, user_id)
    if not roles:
        raise ValidationError({"roles": "Kies minstens één rol."})
    with write_session(engine) as session, session.begin():
        _user(session, user_id)
        _guard_last_beheerder(session, user_id, Role.BEHEERDER in roles)
        before = sorted(r.value for r in session.execute(select(UserRole.role).where(UserRole.user_id == user_id)).scalars())
        _apply_roles(session, user_id, set(roles))
        record_write(session, viewer.user_id, action="rollen gewijzigd", entity="user_account", entity_id=user_id,
                     before={"rollen": before}, after={"rollen": sorted(r.value for r in roles)})


def set_active(engine: Engine, viewer: Viewer, user_id: int, active: bool) -> None:
    _beheerder_command(engine, viewer, user_id)
    with write_session(engine) as session, session.begin():
        user = _user(session, user_id)
        if not active:
            _guard_last_beheerder(session, user_id, stays_beheerder=False)
        user.active = active
        if not active:
            end_sessions(user)  # a deactivated user's open sessions and cookies stop at once
        record_write(session, viewer.user_id, action="geactiveerd" if active else "gedeactiveerd",
                     entity="user_account", entity_id=user_id)


def temporary_password() -> str:
    """12 characters, letters and digits, easy to read aloud (no 0/O or 1/l)."""
    alphabet = [c for c in string.ascii_letters + string.digits if c not in "0O1lI"]
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(12))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


def reset_password(engine: Engine, viewer: Viewer, user_id: int) -> str:
    """A new temporary password, returned once (the page shows it once); the user must change
    it at the next login, and a lockout is lifted."""
    _beheerder_command(engine, viewer, user_id)
    password = temporary_password()
    with write_session(engine) as session, session.begin():
        user = _user(session, user_id)
        user.password_hash = bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()
        user.must_change_password, user.failed_attempts, user.locked_until = True, 0, None
        end_sessions(user)  # whoever held the old password (or its cookie) is out
        clear_login_throttle(session, user.username)  # the beheerder's unlock, from every client
        record_write(session, viewer.user_id, action="wachtwoord hersteld", entity="user_account", entity_id=user_id)
    return password


def link(engine: Engine, viewer: Viewer, user_id: int, *, stageplaats_ids: list[int] | None = None,
         cohort_ids: list[int] | None = None, aios_id: int | None = None) -> None:
    """Link a begeleider to stageplaatsen, an opleider to cohorts, or an account to an aios record."""
    _beheerder_command(engine, viewer, user_id)
    with write_session(engine) as session, session.begin():
        _user(session, user_id)
        errors = {}
        if missing := _unknown(session, Stageplaats, stageplaats_ids or []):
            errors["stageplaatsen"] = f"Onbekende stageplaats (id {', '.join(map(str, missing))})."
        if missing := _unknown(session, Cohort, cohort_ids or []):
            errors["cohorten"] = f"Onbekend cohort (id {', '.join(map(str, missing))})."
        if aios_id is not None and session.get(Aios, aios_id) is None:
            errors["aios"] = f"Onbekend aiosdossier (id {aios_id})."
        if errors:
            raise ValidationError(errors)
        after = {}
        if stageplaats_ids is not None:
            begeleider = session.execute(select(Stagebegeleider).where(Stagebegeleider.user_id == user_id)).scalar_one_or_none()
            if begeleider is None:
                raise ValidationError({"stageplaatsen": "Geef deze gebruiker eerst de rol stagebegeleider."})
            session.execute(delete(BegeleiderStageplaats).where(BegeleiderStageplaats.begeleider_id == begeleider.id))
            session.add_all([BegeleiderStageplaats(begeleider_id=begeleider.id, stageplaats_id=s) for s in stageplaats_ids])
            after["stageplaatsen"] = sorted(stageplaats_ids)
        if cohort_ids is not None:
            opleider = session.execute(select(Instituutsopleider).where(Instituutsopleider.user_id == user_id)).scalar_one_or_none()
            if opleider is None:
                raise ValidationError({"cohorten": "Geef deze gebruiker eerst de rol instituutsopleider."})
            session.execute(delete(OpleiderCohort).where(OpleiderCohort.opleider_id == opleider.id))
            session.add_all([OpleiderCohort(opleider_id=opleider.id, cohort_id=c) for c in cohort_ids])
            after["cohorten"] = sorted(cohort_ids)
        if aios_id is not None:
            record = session.get(Aios, aios_id)
            taken = session.execute(select(Aios.id).where(Aios.user_id == user_id, Aios.id != aios_id)).first()
            if taken:
                raise ValidationError({"aios": "Aan dit account hangt al een ander aiosdossier."})
            record.user_id = user_id
            after["aios"] = aios_id
        record_write(session, viewer.user_id, action="gekoppeld", entity="user_account", entity_id=user_id, after=after)


def load_audit(engine: Engine, viewer: Viewer, *, username: str | None = None, entity: str | None = None,
               action: str | None = None, period: tuple[dt.date, dt.date] | None = None, limit: int = 5000) -> pd.DataFrame:
    """The audit log, newest first, filtered. Columns: at, user, action, entity, entity_id, before, after."""
    _only_beheerder(viewer)
    stmt = (
        select(AuditLog.at, UserAccount.username.label("user"), AuditLog.action, AuditLog.entity,
               AuditLog.entity_id, AuditLog.before, AuditLog.after)
        .outerjoin(UserAccount, UserAccount.id == AuditLog.user_id)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(limit)
    )
    if username:
        stmt = stmt.where(UserAccount.username == username)
    if entity:
        stmt = stmt.where(AuditLog.entity == entity)
    if action:
        stmt = stmt.where(AuditLog.action == action)
    if period:
        stmt = stmt.where(AuditLog.at >= dt.datetime.combine(period[0], dt.time()),
                          AuditLog.at < dt.datetime.combine(period[1] + dt.timedelta(days=1), dt.time()))
    frame = read_frame(engine, stmt)
    for col in ("before", "after"):
        frame[col] = frame[col].map(lambda v: "" if v is None else json.dumps(v, ensure_ascii=False))
    return frame


def audit_choices(engine: Engine, viewer: Viewer) -> tuple[list[str], list[str]]:
    """The entities and actions that occur in the log, for its filters."""
    _only_beheerder(viewer)
    with engine.connect() as conn:
        entities = sorted(conn.execute(select(AuditLog.entity).distinct()).scalars())
        actions = sorted(conn.execute(select(AuditLog.action).distinct()).scalars())
    return entities, actions


def export_database(engine: Engine, viewer: Viewer) -> dict[str, pd.DataFrame]:
    """Every table as a frame, for one workbook, after a sheet "Toelichting" that says what is
    left out: password hashes, the bytes of uploaded files and the rating tables. Audited."""
    _only_beheerder(viewer)
    record_export(engine, viewer.user_id, "volledige database")
    sheets = {EXPLANATION_SHEET: pd.DataFrame({"Toelichting": EXPLANATION})}
    for table in Base.metadata.sorted_tables:
        if table.name in RATING_TABLES:
            continue
        frame = read_frame(engine, select(*_exported_columns(table)))
        sheets[table.name] = _plain(frame)
    return sheets


# Sheet names of the AVG export for tables users know by another name; other tables keep theirs.
AVG_SHEETS = {"user_account": "account", "stage": "stages", "gesprek": "gesprekken", "leerdoel": "leerdoelen",
              "feedback_moment": "feedback", "beoordeling": "beoordelingen", "rubric_score": "rubricscores"}
# Not in the AVG export as tables: the ratings (only that and when, below), the audit log (only the
# rows by or about the aios, below) and security bookkeeping.
# Sheets shown even when empty; a table without rows about the aios is left out.
AVG_ALWAYS = {"account", "aios", "stages", "stageplaatsbeoordelingen", "audit"}
AVG_SKIP = RATING_TABLES | {"audit_log", "login_throttle"}


def _avg_conditions(aios_id: int) -> dict[str, ColumnElement[bool]]:
    """Per table, which rows are about one aios, found from the schema so that a new table is not
    forgotten: rows with a stage, aios or user column pointing at the aios, and rows of tables
    hanging off those (a leerdoel's history, a beoordeling's scores). Rows that merely name the
    aios' account as their author elsewhere are about other people and stay out."""
    user_id = select(Aios.user_id).where(Aios.id == aios_id).scalar_subquery()
    stages = select(Stage.id).where(Stage.aios_id == aios_id)
    owners = {"stage_id": lambda c: c.in_(stages), "aios_id": lambda c: c == aios_id,
              "user_id": lambda c: c == user_id}
    conditions = {"user_account": UserAccount.id == user_id, "aios": Aios.id == aios_id, "stage": Stage.aios_id == aios_id}
    for table in Base.metadata.sorted_tables:
        if table.name in conditions or table.name in AVG_SKIP:
            continue
        owner = next((name for name in owners if name in table.c), None)
        if owner is not None:
            conditions[table.name] = owners[owner](table.c[owner])
            continue
        for fk in table.foreign_keys:
            parent = fk.column.table
            if parent.name in conditions and parent.name not in {"user_account", "aios"}:
                conditions[table.name] = fk.parent.in_(select(fk.column).where(conditions[parent.name]))
                break
    return conditions


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.apply(lambda col: col.map(lambda v: v.value if hasattr(v, "value") else
                                           (json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v)))


# The uploaded files in the inzage: a row each in the sheet "bestanden", the file itself in the ZIP.
FILES_SHEET = FILES_FOLDER = "bestanden"
FILES_COLUMNS = ["bestand", "stage_id", "versie", "naam_bij_upload", "grootte_bytes", "geupload_op"]


def _files_query(aios_id: int, *extra: Column) -> Select:
    """The uploaded files (stageverslagen as PDF or Word) of one aios' stages, oldest first."""
    return (select(StageverslagVersie.stage_id, StageverslagVersie.version, StageverslagVersie.kind,
                   StageverslagVersie.file_name, StageverslagVersie.size, StageverslagVersie.created_at,
                   Aios.aios_number, *extra)
            .join(Stage, Stage.id == StageverslagVersie.stage_id).join(Aios, Aios.id == Stage.aios_id)
            .where(Stage.aios_id == aios_id, StageverslagVersie.content.is_not(None))
            .order_by(StageverslagVersie.stage_id, StageverslagVersie.version))


def _file_path(row: Row) -> str:
    """Where a file is in the ZIP: the app's own safe name (never the uploaded one, which may hold
    any character), unique per stage and version."""
    return f"{FILES_FOLDER}/stage{row.stage_id}_{download_name(row.aios_number, row.version, row.kind)}"


def _files_sheet(conn: Connection, aios_id: int) -> pd.DataFrame:
    """The uploaded files as plain data, never their bytes: where each is in the ZIP, its stage and
    version, the name it had when uploaded, its exact size in bytes and when it was uploaded."""
    rows = conn.execute(_files_query(aios_id)).all()
    return pd.DataFrame([[_file_path(r), r.stage_id, r.version, r.file_name, r.size, r.created_at] for r in rows],
                        columns=FILES_COLUMNS)


def export_aios(engine: Engine, viewer: Viewer, aios_id: int) -> dict[str, pd.DataFrame]:
    """Everything recorded about one aios (AVG/GDPR inzage): account, stages and all that hangs
    off them, their settings, which stageplaatsen they rated and when (not what: a rating is
    confidential and leaves the database only as an aggregate), the files they uploaded (sheet
    "bestanden": name, size and date; the files themselves come from export_aios_files) and the
    audit rows by or about them (also who exported their data). No password hash. Audited."""
    _only_beheerder(viewer)
    record_export(engine, viewer.user_id, "AVG-inzage", aios_id=aios_id)
    conditions = _avg_conditions(aios_id)
    stages = select(Stage.id).where(Stage.aios_id == aios_id)
    queries: dict[str, Select] = {}
    about = [AuditLog.user_id == select(Aios.user_id).where(Aios.id == aios_id).scalar_subquery()]
    for name, condition in conditions.items():
        table = Base.metadata.tables[name]
        queries[AVG_SHEETS.get(name, name)] = select(*_exported_columns(table)).where(condition)
        if "id" in table.c:
            about.append((AuditLog.entity == name) & AuditLog.entity_id.in_(select(table.c.id).where(condition)))
    queries["stageplaatsbeoordelingen"] = (
        select(StageplaatsRating.stage_id, Stageplaats.name.label("stageplaats"),
               StageplaatsRating.submitted_at.label("beoordeeld_op"))
        .join(Stage, Stage.id == StageplaatsRating.stage_id)
        .join(Stageplaats, Stageplaats.id == Stage.stageplaats_id)
        .where(StageplaatsRating.stage_id.in_(stages)).order_by(StageplaatsRating.submitted_at)
    )
    queries["audit"] = select(AuditLog).where(or_(*about)).order_by(AuditLog.id)
    out = {}
    with engine.connect() as conn:
        for name, stmt in queries.items():
            result = conn.execute(stmt)  # a Core connection gives the table's columns, not objects
            frame = pd.DataFrame(result.all(), columns=list(result.keys()))
            if len(frame) or name in AVG_ALWAYS:
                out[name] = _plain(frame)
        out[FILES_SHEET] = _files_sheet(conn, aios_id)
    return out


def export_aios_files(engine: Engine, viewer: Viewer, aios_id: int) -> bytes:
    """The files uploaded about one aios (AVG/GDPR inzage) as one ZIP, each byte for byte as stored,
    under the name the inzage lists in its sheet "bestanden". Audited."""
    _only_beheerder(viewer)
    record_export(engine, viewer.user_id, "AVG-inzage (bestanden)", aios_id=aios_id)
    buffer = io.BytesIO()
    with engine.connect() as conn, zipfile.ZipFile(buffer, "w") as archive:
        for row in conn.execute(_files_query(aios_id, StageverslagVersie.content)):
            archive.writestr(zipfile.ZipInfo(_file_path(row), row.created_at.timetuple()[:6]), row.content,
                             compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def aios_export_json(sheets: dict[str, pd.DataFrame]) -> str:
    return json.dumps({name: json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False))
                       for name, frame in sheets.items()}, ensure_ascii=False, indent=2)
