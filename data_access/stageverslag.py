"""The stageverslag: the aios writes it in the app or uploads it (PDF or Word), hands it in, and
the begeleider of the stage (or an opleider) marks it gelezen, ideally before the eindgesprek.

One source of truth for "handed in": `Stageplan.verslag_handed_in`, the date of the *first*
hand-in. The flag "stageverslag te laat", the dossier, "volgende: stageverslag inleveren" and the
e-mail reminders read that column and nothing else. `hand_in_stageverslag` fills it when it is
still empty and never moves it; handing in a later version (after a remark) is recorded on that
version only (`StageverslagVersie.handed_in_on`), because the stage's verslag was handed in on
the first date. Nothing else writes the date except data from before the app (history loaded
with the stages, the demo generator's older stages): a date without any version means the
verslag was handed in outside the app (on paper, in an earlier system), and the dossier says so.

Every save is a new version (text or file); nothing is overwritten or deleted. A file's type is
recognised by its content, never by its name: a PDF starts with `%PDF-`, a Word file (.docx) is
a zip holding `word/document.xml`. Downloads get a name made here, never the uploaded one.

Each write is one transaction with an audit row, idempotent on a double submit (the submit
token of a save; a hand-in or gelezen that is already recorded writes nothing), and a refusal is
audited. Who may do what: the aios of the stage writes and hands in; the begeleider of the
stage and an opleider who follows the aios mark it gelezen; whoever may see the dossier reads and
downloads it (`individual_stage_condition`); the stagecommissie never.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from data_access.audit import record_write, refuse
from data_access.db import write_session
from data_access.errors import ValidationError
from data_access.frames import enum_values, read_frame
from data_access.models import (
    Aios,
    Gesprek,
    GesprekType,
    Stage,
    Stageplan,
    StageverslagVersie,
    UserAccount,
    VerslagKind,
)
from data_access.permissions import Action, may
from data_access.queries.progress import is_current_gesprek
from data_access.scope import individual_stage_condition
from data_access.settings import Settings
from data_access.viewer import Viewer

V = StageverslagVersie
# A stageverslag typed in the app: a report of some pages, far beyond a gesprek's text limit.
TEXT_MAX_CHARS = 100_000
MIME = {
    VerslagKind.PDF: "application/pdf",
    VerslagKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    VerslagKind.TEKST: "text/plain",
}
EXTENSION = {VerslagKind.PDF: "pdf", VerslagKind.DOCX: "docx", VerslagKind.TEKST: "txt"}
REFUSED = "U heeft geen toegang tot het stageverslag van deze stage."
BY_CONTENT = "Het soort bestand wordt aan de inhoud herkend, niet aan de naam."


# --- file type and size ---------------------------------------------------------------------


def size_text(n: int) -> str:
    """A size as a Dutch reader writes it: '812 kB', '12,3 MB'."""
    if n < 1000:
        return f"{n} bytes"
    if n < 1_000_000:
        return f"{round(n / 1000)} kB"
    return f"{n / 1_000_000:.1f}".removesuffix(".0").replace(".", ",") + " MB"


def file_kind(content: bytes, max_bytes: int) -> VerslagKind:
    """The type of an uploaded stageverslag, from its bytes; a Dutch message under the upload
    field (`file`) when it is empty, too large or neither a PDF nor a Word file (.docx)."""
    if not content:
        raise ValidationError({"file": "Het bestand is leeg (0 bytes). Kies het bestand met uw verslag."})
    if len(content) > max_bytes:
        raise ValidationError({"file": f"Het bestand is te groot ({size_text(len(content))}); de grens is "
                                       f"{size_text(max_bytes)}. Sla het kleiner op, bijvoorbeeld als PDF met "
                                       "kleinere afbeeldingen."})
    if content.startswith(b"%PDF-"):
        return VerslagKind.PDF
    if content.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            names = set()
        if "word/document.xml" in names:
            return VerslagKind.DOCX
        raise ValidationError({"file": "Dit is een zip-bestand, maar geen Word-document (.docx). Upload een PDF of "
                                       "een Word-bestand. " + BY_CONTENT})
    if content.startswith((b"MZ", b"\x7fELF", b"#!")):
        raise ValidationError({"file": "Dit bestand is een programma, geen verslag. Upload een PDF of een "
                                       "Word-bestand (.docx). " + BY_CONTENT})
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ValidationError({"file": "Dit is een oud Word-bestand (.doc). Sla het op als .docx of als PDF en "
                                       "upload het opnieuw."})
    raise ValidationError({"file": "Dit bestand is geen PDF en geen Word-bestand (.docx). " + BY_CONTENT})


def shown_file_name(name: str) -> str | None:
    """The uploaded name as shown in the list (the last path part, no control characters)."""
    name = re.split(r"[\\/]", name or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()[:200]
    return name or None


def download_name(aios_number: str, version: int, kind: VerslagKind) -> str:
    """A safe file name for a download: our own, from the aiosnummer and the version."""
    number = re.sub(r"[^A-Za-z0-9-]+", "_", aios_number or "").strip("_") or "aios"
    return f"stageverslag_{number}_versie{version}.{EXTENSION[kind]}"


# --- writes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerslagInput:
    """A save from the form: the text typed, or an uploaded file (`content` not None)."""

    stage_id: int
    submit_token: str
    text: str = ""
    file_name: str = ""
    content: bytes | None = None


def _visible_stage(session: Session, viewer: Viewer, stage_id: int, *, lock: bool = False) -> Stage | None:
    stmt = (select(Stage).join(Aios, Aios.id == Stage.aios_id)
            .where(Stage.id == stage_id, individual_stage_condition(viewer)))
    # Lock the stage on PostgreSQL, so two saves number their versions in turn.
    return session.execute(stmt.with_for_update(of=Stage) if lock else stmt).scalar_one_or_none()


def _visible_version(session: Session, viewer: Viewer, versie_id: int) -> StageverslagVersie | None:
    return session.execute(
        select(V).join(Stage, Stage.id == V.stage_id).join(Aios, Aios.id == Stage.aios_id)
        .where(V.id == versie_id, individual_stage_condition(viewer)).with_for_update(of=V)
    ).scalar_one_or_none()


def _latest(session: Session, stage_id: int) -> StageverslagVersie | None:
    return session.execute(select(V).where(V.stage_id == stage_id).order_by(V.version.desc()).limit(1)).scalar_one_or_none()


def _checked(data: VerslagInput, latest: StageverslagVersie | None, max_bytes: int) -> tuple[VerslagKind, str | None, bytes | None, int]:
    """(kind, text, content, size) of a valid save, or the Dutch message at its field."""
    if data.content is not None:
        kind = file_kind(data.content, max_bytes)
        if latest is not None and latest.content == data.content:
            raise ValidationError({"file": f"Dit bestand is gelijk aan versie {latest.version}; er is niets nieuws "
                                           "om op te slaan."})
        return kind, None, data.content, len(data.content)
    text = (data.text or "").strip()
    if not text:
        raise ValidationError({"text": "Schrijf het verslag, of upload het als PDF of Word-bestand."})
    if len(text) > TEXT_MAX_CHARS:
        raise ValidationError({"text": f"Het verslag is te lang: maximaal {TEXT_MAX_CHARS:,} tekens (nu {len(text):,}); "
                                       "upload het als PDF of Word-bestand.".replace(",", ".")})
    if latest is not None and latest.kind is VerslagKind.TEKST and latest.text == text:
        raise ValidationError({"text": f"Deze tekst is gelijk aan versie {latest.version}; er is niets nieuws om op "
                                       "te slaan."})
    return VerslagKind.TEKST, text, None, len(text.encode("utf-8"))


def save_stageverslag(engine: Engine, viewer: Viewer, data: VerslagInput, *,
                      max_bytes: int = Settings.stageverslag_max_bytes) -> int:
    """A new version of the stageverslag of the aios' own stage (text or file); returns its id.
    The same submit token returns the first save's id without writing again."""
    if not data.submit_token:
        raise ValueError("submit_token is required")
    try:
        return _save(engine, viewer, data, max_bytes)
    except IntegrityError:
        # A concurrent save with this token won the race: that one is this one, if it is ours.
        with Session(engine) as session:
            done = session.execute(select(V.id, V.author_id).where(V.submit_token == data.submit_token)).one_or_none()
        if done is None:
            raise
        if done.author_id != viewer.user_id:
            refuse(engine, viewer.user_id, "stage", data.stage_id, REFUSED)
        return done.id


def _save(engine: Engine, viewer: Viewer, data: VerslagInput, max_bytes: int) -> int:
    with write_session(engine) as session, session.begin():
        done = session.execute(select(V.id, V.author_id).where(V.submit_token == data.submit_token)).one_or_none()
        if done is not None and done.author_id == viewer.user_id:
            return done.id
        stage = None if done is not None else _visible_stage(session, viewer, data.stage_id, lock=True)
        if stage is not None and may(viewer, Action.VERSLAG_WRITE):
            latest = _latest(session, stage.id)
            kind, text, content, size = _checked(data, latest, max_bytes)
            row = V(stage_id=stage.id, version=(latest.version if latest else 0) + 1, kind=kind, text=text,
                    content=content, file_name=shown_file_name(data.file_name) if content is not None else None,
                    size=size, author_id=viewer.user_id, created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
                    submit_token=data.submit_token)
            session.add(row)
            session.flush()
            record_write(session, viewer.user_id, action="aangemaakt", entity="stageverslag", entity_id=row.id,
                         after={"stage": stage.id, "versie": row.version, "soort": kind, "grootte": size})
            return row.id
    refuse(engine, viewer.user_id, "stage", data.stage_id, REFUSED)


def hand_in_stageverslag(engine: Engine, viewer: Viewer, versie_id: int, today: dt.date) -> None:
    """The aios hands in this version (the newest one). The stage's hand-in date
    (`Stageplan.verslag_handed_in`) is set only by the first hand-in; see the module docstring.
    Handing in a version that is already handed in (a double tap) writes nothing."""
    with write_session(engine) as session, session.begin():
        row = _visible_version(session, viewer, versie_id)
        if row is not None and may(viewer, Action.VERSLAG_WRITE):
            if row.handed_in_on is not None:
                return
            latest = _latest(session, row.stage_id)
            if latest.id != row.id:
                raise ValidationError({"_": f"Er is een nieuwere versie ({latest.version}) opgeslagen; lever die in."})
            stage = session.get(Stage, row.stage_id)
            if today < stage.start_date:
                raise ValidationError({"_": "Uw stage is nog niet begonnen; inleveren kan vanaf de eerste stagedag."})
            row.handed_in_on = today
            plan = session.execute(select(Stageplan).where(Stageplan.stage_id == row.stage_id)).scalar_one_or_none()
            before = {"ingeleverd_op": plan.verslag_handed_in if plan is not None else None}
            if plan is not None and plan.verslag_handed_in is None:
                plan.verslag_handed_in = today
            record_write(session, viewer.user_id, action="ingeleverd", entity="stageverslag", entity_id=row.id,
                         before=before, after={"stage": row.stage_id, "versie": row.version,
                                               "ingeleverd_op": plan.verslag_handed_in if plan is not None else today})
            return
    refuse(engine, viewer.user_id, "stageverslag", versie_id, REFUSED)


def mark_stageverslag_gelezen(engine: Engine, viewer: Viewer, versie_id: int, today: dt.date) -> None:
    """The begeleider of the stage (or an opleider who follows the aios) has read this handed-in
    version: who and when are recorded. Marking it again writes nothing."""
    with write_session(engine) as session, session.begin():
        row = _visible_version(session, viewer, versie_id)
        if row is not None and may(viewer, Action.VERSLAG_MARK_READ):
            if row.handed_in_on is None:
                raise ValidationError({"_": "Deze versie is nog niet ingeleverd; alleen een ingeleverd verslag "
                                            "markeert u als gelezen."})
            if row.read_on is not None:
                return
            row.read_on, row.read_by = today, viewer.user_id
            record_write(session, viewer.user_id, action="gelezen", entity="stageverslag", entity_id=row.id,
                         after={"stage": row.stage_id, "versie": row.version, "gelezen_op": today})
            return
    refuse(engine, viewer.user_id, "stageverslag", versie_id, REFUSED)


# --- reads ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageverslagState:
    """The stageverslag of one stage as the dossier shows it (picklable, for the page cache).

    handed_in: Stageplan.verslag_handed_in (the one answer to "handed in, and when");
    versions: newest first; columns id, version, kind (Dutch value), file_name, size, author,
        created_at, handed_in_on, read_on, read_by, text (text versions only)."""

    stage_id: int
    aios_id: int
    aios_number: str
    end_date: dt.date
    due: dt.date | None
    handed_in: dt.date | None
    eindgesprek: dt.date | None
    versions: pd.DataFrame

    @property
    def latest(self) -> pd.Series | None:
        return None if self.versions.empty else self.versions.iloc[0]

    @property
    def last_handed_in(self) -> pd.Series | None:
        handed = self.versions[self.versions["handed_in_on"].notna()]
        return None if handed.empty else handed.iloc[0]


def load_stageverslag(engine: Engine, viewer: Viewer, stage_id: int) -> StageverslagState | None:
    """The stageverslag of a stage the viewer may see one by one, or None (never for the
    stagecommissie). The bytes of files are not loaded here (see load_stageverslag_file)."""
    if not may(viewer, Action.VERSLAG_READ):
        return None
    with engine.connect() as conn:
        head = conn.execute(
            select(Stage.id, Stage.aios_id, Stage.end_date, Aios.aios_number, Stageplan.verslag_due,
                   Stageplan.verslag_handed_in)
            .join(Aios, Aios.id == Stage.aios_id)
            .outerjoin(Stageplan, Stageplan.stage_id == Stage.id)
            .where(Stage.id == stage_id, individual_stage_condition(viewer))
        ).one_or_none()
        if head is None:
            return None
        eind = conn.execute(
            select(func.min(Gesprek.date)).where(Gesprek.stage_id == stage_id, Gesprek.type == GesprekType.EINDGESPREK,
                                                 is_current_gesprek())
        ).scalar_one()
    author, reader = aliased(UserAccount), aliased(UserAccount)
    versions = read_frame(engine, (
        select(V.id, V.version, V.kind, V.file_name, V.size, author.display_name.label("author"), V.created_at,
               V.handed_in_on, V.read_on, reader.display_name.label("read_by"), V.text)
        .join(author, author.id == V.author_id)
        .outerjoin(reader, reader.id == V.read_by)
        .where(V.stage_id == stage_id)
        .order_by(V.version.desc())
    ))
    return StageverslagState(stage_id=head.id, aios_id=head.aios_id, aios_number=head.aios_number,
                             end_date=head.end_date, due=head.verslag_due, handed_in=head.verslag_handed_in,
                             eindgesprek=eind, versions=enum_values(versions, "kind"))


@dataclass(frozen=True)
class VerslagFile:
    content: bytes
    file_name: str
    mime: str


def load_stageverslag_file(engine: Engine, viewer: Viewer, versie_id: int) -> VerslagFile:
    """One version's bytes, with a safe file name and its mime type, for a viewer who may see the
    dossier; anyone else is refused (audited). The download itself is audited by the caller
    when the file is made (dashboard.data.audited_download)."""
    with Session(engine) as session:
        row = session.execute(
            select(V.version, V.kind, V.content, V.text, Aios.aios_number)
            .join(Stage, Stage.id == V.stage_id).join(Aios, Aios.id == Stage.aios_id)
            .where(V.id == versie_id, individual_stage_condition(viewer))
        ).one_or_none()
    if row is None or not may(viewer, Action.VERSLAG_READ):
        refuse(engine, viewer.user_id, "stageverslag", versie_id, REFUSED)
    content = row.text.encode("utf-8") if row.kind is VerslagKind.TEKST else row.content
    return VerslagFile(content=content, file_name=download_name(row.aios_number, row.version, row.kind),
                       mime=MIME[row.kind])


def as_date(value) -> dt.date | None:
    """A date from a frame cell (None, NaT, a Timestamp or a date)."""
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def status_sentence(state: StageverslagState) -> str:
    """Where the stageverslag stands, in words: 'concept (versie 2) · inleveren uiterlijk …',
    'ingeleverd op … · gelezen door … op …'. Contains a user's name: show it through literal."""
    latest, handed = state.latest, state.last_handed_in
    if state.handed_in is None:
        due = f" · inleveren uiterlijk {state.due:%d-%m-%Y}" if state.due else ""
        if latest is None:
            return f"nog niet geschreven{due}"
        return f"concept (versie {latest['version']}, nog niet ingeleverd){due}"
    parts = [f"ingeleverd op {state.handed_in:%d-%m-%Y}"]
    if state.due and state.handed_in > state.due:
        late = (state.handed_in - state.due).days
        parts[0] += f" ({late} {'dag' if late == 1 else 'dagen'} na de termijn)"
    if handed is None:
        parts.append("buiten de app ingeleverd; er is geen versie in de app")
    else:
        if as_date(handed["handed_in_on"]) != state.handed_in:
            parts.append(f"versie {handed['version']} ingeleverd op {as_date(handed['handed_in_on']):%d-%m-%Y}")
        read_on = as_date(handed["read_on"])
        parts.append(f"gelezen door {handed['read_by']} op {read_on:%d-%m-%Y}" if read_on
                     else f"versie {handed['version']} nog niet gelezen")
    if latest is not None and handed is not None and latest["version"] > handed["version"]:
        parts.append(f"nieuwere versie {latest['version']} nog niet ingeleverd")
    return " · ".join(parts)
