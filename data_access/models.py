"""The stage database: one declarative Base, typed models, closed vocabularies as enums.

Enum values are the Dutch words users read; they are stored as VARCHAR with a CHECK constraint
(native_enum=False) so that SQLite and PostgreSQL hold the same schema and a new value is a plain
migration.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


# --- closed vocabularies -------------------------------------------------------------------


class Role(enum.Enum):
    BEHEERDER = "beheerder"
    INSTITUUTSOPLEIDER = "instituutsopleider"
    STAGECOMMISSIE = "stagecommissie"
    STAGEBEGELEIDER = "stagebegeleider"
    AIOS = "aios"


class StageplaatsStatus(enum.Enum):
    ACTIEF = "actief"
    IN_REMEDIERING = "in remediëring"
    STOPGEZET = "stopgezet"


class StageStatus(enum.Enum):
    GEPLAND = "gepland"
    LOPEND = "lopend"
    AFGEROND = "afgerond"
    AFGEBROKEN = "afgebroken"


class CanMedsRole(enum.Enum):
    MEDICAL_EXPERT = "Medisch deskundige"
    COMMUNICATOR = "Communicator"
    COLLABORATOR = "Samenwerker"
    LEADER = "Leider"
    HEALTH_ADVOCATE = "Gezondheidsbevorderaar"
    SCHOLAR = "Academicus"
    PROFESSIONAL = "Professional"


class LeerdoelStatus(enum.Enum):
    GEPLAND = "gepland"
    BEZIG = "bezig"
    BEHAALD = "behaald"
    BIJGESTELD = "bijgesteld"


class OpdrachtStatus(enum.Enum):
    GEPLAND = "gepland"
    BEZIG = "bezig"
    AFGEROND = "afgerond"
    BEOORDEELD = "beoordeeld"  # only a begeleider or opleider says so


class GesprekType(enum.Enum):
    KENNISMAKING = "kennismaking"
    STARTGESPREK = "startgesprek"
    BEGELEIDINGSGESPREK = "begeleidingsgesprek"
    EVALUATIEGESPREK = "evaluatiegesprek"
    EINDGESPREK = "eindgesprek"


class OpSchema(enum.Enum):
    JA = "ja"
    DEELS = "deels"
    NEE = "nee"


class GesprekStatus(enum.Enum):
    CONCEPT = "concept"
    VASTGESTELD = "vastgesteld"


class Moment(enum.Enum):
    """Formative and summative scores are never pooled; the moment says which one a score is."""

    TUSSENTIJDS = "tussentijds"  # formatief
    EIND = "eind"  # summatief


class RaterKind(enum.Enum):
    BEGELEIDER = "begeleider"
    ZELF = "zelf"
    PEER = "peer"


class FeedbackKind(enum.Enum):
    KPB = "KPB"
    GESPREK = "gesprek"
    INFORMEEL = "informeel"


class KpbInitiator(enum.Enum):
    AIOS = "aios"
    BEGELEIDER = "begeleider"


class Decision(enum.Enum):
    GEEN_ACTIE = "geen actie"
    GESPREK = "gesprek"
    REMEDIERINGSPLAN = "remediëringsplan"
    STOPZETTEN = "stopzetten"


# --- organisation and people ----------------------------------------------------------------


class Opleiding(Base):
    __tablename__ = "opleiding"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kpb_target_default: Mapped[int] = mapped_column(Integer, default=6)
    # Whether aios also fill in the leerklimaat questionnaire items when rating a stageplaats.
    uses_rating_instrument: Mapped[bool] = mapped_column(Boolean, default=False)


class Cohort(Base):
    __tablename__ = "cohort"
    __table_args__ = (UniqueConstraint("opleiding_id", "start_year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    opleiding_id: Mapped[int] = mapped_column(ForeignKey("opleiding.id"), index=True)
    start_year: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))


class UserAccount(Base):
    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    # NULL until a password is set: imported or generated people exist before they log in.
    password_hash: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # When the user last logged out (for the record; the refusal itself is session_version).
    logged_out_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # In every login cookie and live session; bumped by a password change or reset, a lockout,
    # a deactivation and a logout, which ends every session of this user on every server.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())


class LoginThrottle(Base):
    """Failed logins per typed username and client address (also for unknown usernames).

    `user_account.failed_attempts`/`locked_until` only mirror the latest lock of a known
    account for the beheerder's overview; this table decides."""

    __tablename__ = "login_throttle"
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class UserRole(Base):
    __tablename__ = "user_role"
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "role"), primary_key=True)


class Aios(Base):
    __tablename__ = "aios"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), unique=True)
    # The programme's own registration number: the natural key for imports.
    aios_number: Mapped[str] = mapped_column(String(32), unique=True)
    opleiding_id: Mapped[int] = mapped_column(ForeignKey("opleiding.id"), index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"), index=True)


class Stageplaats(Base):
    __tablename__ = "stageplaats"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    opleiding_id: Mapped[int] = mapped_column(ForeignKey("opleiding.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200))
    discipline: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(100))
    status: Mapped[StageplaatsStatus] = mapped_column(
        _enum(StageplaatsStatus, "stageplaats_status"), default=StageplaatsStatus.ACTIEF
    )


class Stagebegeleider(Base):
    __tablename__ = "stagebegeleider"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), unique=True)
    function: Mapped[str | None] = mapped_column(String(100))


class BegeleiderStageplaats(Base):
    __tablename__ = "begeleider_stageplaats"
    begeleider_id: Mapped[int] = mapped_column(ForeignKey("stagebegeleider.id"), primary_key=True)
    stageplaats_id: Mapped[int] = mapped_column(
        ForeignKey("stageplaats.id"), primary_key=True, index=True
    )


class Instituutsopleider(Base):
    __tablename__ = "instituutsopleider"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), unique=True)


class OpleiderCohort(Base):
    __tablename__ = "opleider_cohort"
    opleider_id: Mapped[int] = mapped_column(ForeignKey("instituutsopleider.id"), primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id"), primary_key=True)


class OpleiderAios(Base):
    """An opleider may follow individual aios outside their cohorts (mentor, remediation)."""

    __tablename__ = "opleider_aios"
    opleider_id: Mapped[int] = mapped_column(ForeignKey("instituutsopleider.id"), primary_key=True)
    aios_id: Mapped[int] = mapped_column(ForeignKey("aios.id"), primary_key=True)


class CommissieLid(Base):
    """A stagecommissie member sees the stageplaatsen of the programmes they sit for."""

    __tablename__ = "commissie_lid"
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    opleiding_id: Mapped[int] = mapped_column(ForeignKey("opleiding.id"), primary_key=True)


# --- the stage and its plan -----------------------------------------------------------------


class Stage(Base):
    __tablename__ = "stage"
    __table_args__ = (
        CheckConstraint("end_date > start_date", name="period"),
        CheckConstraint("fte > 0 AND fte <= 1", name="fte"),
        Index("ix_stage_stageplaats_start", "stageplaats_id", "start_date"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    aios_id: Mapped[int] = mapped_column(ForeignKey("aios.id"), index=True)
    stageplaats_id: Mapped[int] = mapped_column(ForeignKey("stageplaats.id"))
    start_date: Mapped[dt.date] = mapped_column(Date, index=True)
    end_date: Mapped[dt.date] = mapped_column(Date)
    fte: Mapped[float] = mapped_column(Numeric(3, 2, asdecimal=False), default=1.0)
    status: Mapped[StageStatus] = mapped_column(_enum(StageStatus, "stage_status"))
    # The programme office's own key for the stage (optional 'stagecode' column in imports).
    code: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)


class StageBegeleider(Base):
    __tablename__ = "stage_begeleider"
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"), primary_key=True)
    begeleider_id: Mapped[int] = mapped_column(
        ForeignKey("stagebegeleider.id"), primary_key=True, index=True
    )
    is_primary: Mapped[bool] = mapped_column(Boolean, default=True)


class Stageplan(Base):
    __tablename__ = "stageplan"
    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"), unique=True)
    kpb_target: Mapped[int] = mapped_column(Integer)
    approved_at: Mapped[dt.date | None] = mapped_column(Date)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    verslag_due: Mapped[dt.date] = mapped_column(Date)
    verslag_handed_in: Mapped[dt.date | None] = mapped_column(Date)
    # The template version the plan was made from (NULL: imported or older than templates);
    # the plan keeps its own targets when the template changes later.
    template_id: Mapped[int | None] = mapped_column(ForeignKey("stageplan_template.id"), index=True)
    # Weeks between begeleidingsgesprekken (1: weekly, the seeds' default; 2: every two weeks).
    gesprek_interval_weeks: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Idempotent "Stage toevoegen": a double submit with the same token makes one stage.
    submit_token: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    # The aios offered the plan for approval (cleared when approved or sent back); the
    # begeleider's remark when they sent it back. The plan's state follows (stageplan.py).
    offered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    return_remark: Mapped[str | None] = mapped_column(Text)


class Leerdoel(Base):
    __tablename__ = "leerdoel"
    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    canmeds_role: Mapped[CanMedsRole] = mapped_column(_enum(CanMedsRole, "canmeds_role"))
    target_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[LeerdoelStatus] = mapped_column(_enum(LeerdoelStatus, "leerdoel_status"))
    # The aios proposes "behaald"; the status changes only when a begeleider or opleider confirms.
    proposed_status: Mapped[LeerdoelStatus | None] = mapped_column(_enum(LeerdoelStatus, "leerdoel_proposed_status"))
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # What a good leerdoel holds (seed 000 #4) besides the what (text): why, and concrete steps.
    why: Mapped[str | None] = mapped_column(Text)
    steps: Mapped[str | None] = mapped_column(Text)
    # The row holds the version that counts. A leerdoel the begeleider never approved waits for
    # approval; a change to an approved one is the next version, in `draft`, until approved.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    awaiting_approval: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    draft: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    submit_token: Mapped[str | None] = mapped_column(String(64), unique=True)


class LeerdoelHistory(Base):
    """Each state a leerdoel entered (status and text) and when, so 'bijgesteld' shows what it was."""

    __tablename__ = "leerdoel_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    leerdoel_id: Mapped[int] = mapped_column(ForeignKey("leerdoel.id"), index=True)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[LeerdoelStatus] = mapped_column(_enum(LeerdoelStatus, "leerdoel_status"))
    text: Mapped[str] = mapped_column(Text)
    # The whole version as it was then, and what happened (geschreven, gewijzigd, goedgekeurd, ...).
    why: Mapped[str | None] = mapped_column(Text)
    steps: Mapped[str | None] = mapped_column(Text)
    target_date: Mapped[dt.date | None] = mapped_column(Date)
    canmeds_role: Mapped[CanMedsRole | None] = mapped_column(_enum(CanMedsRole, "canmeds_role"))
    version: Mapped[int | None] = mapped_column(Integer)
    event: Mapped[str | None] = mapped_column(String(32))


class Epa(Base):
    __tablename__ = "epa"
    __table_args__ = (UniqueConstraint("opleiding_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    opleiding_id: Mapped[int] = mapped_column(ForeignKey("opleiding.id"))
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))


class EpaTarget(Base):
    __tablename__ = "epa_target"
    __table_args__ = (CheckConstraint("target_level BETWEEN 1 AND 5", name="level"),)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"), primary_key=True)
    epa_id: Mapped[int] = mapped_column(ForeignKey("epa.id"), primary_key=True)
    target_level: Mapped[int] = mapped_column(Integer)


class Praktijkopdracht(Base):
    __tablename__ = "praktijkopdracht"
    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[OpdrachtStatus] = mapped_column(_enum(OpdrachtStatus, "opdracht_status"))


class StageplanTemplate(Base):
    """One version of a programme's stageplan template; saving a change adds a version, so a
    stageplan made from an older one still says where its targets came from."""

    __tablename__ = "stageplan_template"
    __table_args__ = (
        UniqueConstraint("opleiding_id", "version"),
        CheckConstraint("kpb_target BETWEEN 0 AND 100", name="kpb_target"),
        CheckConstraint("gesprek_interval_weeks IN (1, 2)", name="interval"),
        CheckConstraint("verslag_days_before BETWEEN 0 AND 90", name="verslag_days"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    opleiding_id: Mapped[int] = mapped_column(ForeignKey("opleiding.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    kpb_target: Mapped[int] = mapped_column(Integer)
    gesprek_interval_weeks: Mapped[int] = mapped_column(Integer, default=1)
    verslag_days_before: Mapped[int] = mapped_column(Integer, default=7)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    submit_token: Mapped[str | None] = mapped_column(String(64), unique=True)


class TemplateEpaTarget(Base):
    __tablename__ = "template_epa_target"
    __table_args__ = (CheckConstraint("target_level BETWEEN 1 AND 5", name="level"),)
    template_id: Mapped[int] = mapped_column(ForeignKey("stageplan_template.id"), primary_key=True)
    epa_id: Mapped[int] = mapped_column(ForeignKey("epa.id"), primary_key=True)
    target_level: Mapped[int] = mapped_column(Integer)


class TemplateOpdracht(Base):
    """A praktijkopdracht of a template; its due date is `due_days` after the stage's start."""

    __tablename__ = "template_opdracht"
    __table_args__ = (UniqueConstraint("template_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("stageplan_template.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    due_days: Mapped[int] = mapped_column(Integer)


# --- the stageverslag


class VerslagKind(enum.Enum):
    """What a version of a stageverslag holds: text typed in the app, or an uploaded file whose
    type was recognised by its content (never by its name)."""

    TEKST = "tekst"
    PDF = "PDF"
    DOCX = "Word"


class StageverslagVersie(Base):
    """One saved version of a stage's stageverslag; never changed, only followed by a newer one.

    Whether and when the verslag was handed in is `Stageplan.verslag_handed_in` (the first
    hand-in; history from before the app has it without any version); `handed_in_on` here only
    says which versions were handed in (data_access.stageverslag)."""

    __tablename__ = "stageverslag_versie"
    __table_args__ = (UniqueConstraint("stage_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"))
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[VerslagKind] = mapped_column(_enum(VerslagKind, "verslag_kind"))
    text: Mapped[str | None] = mapped_column(Text)
    # The uploaded file: its bytes and the name it had (shown only; downloads get a safe name).
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    file_name: Mapped[str | None] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    submit_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    handed_in_on: Mapped[dt.date | None] = mapped_column(Date)
    read_on: Mapped[dt.date | None] = mapped_column(Date)
    read_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


# --- what happens during a stage ------------------------------------------------------------


class Gesprek(Base):
    __tablename__ = "gesprek"
    __table_args__ = (Index("ix_gesprek_stage_type_date", "stage_id", "type", "date"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"))
    type: Mapped[GesprekType] = mapped_column(_enum(GesprekType, "gesprek_type"))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    verslag: Mapped[str | None] = mapped_column(Text)
    afspraken: Mapped[str | None] = mapped_column(Text)
    op_schema: Mapped[OpSchema | None] = mapped_column(_enum(OpSchema, "op_schema"))
    wat_gaat_goed: Mapped[str | None] = mapped_column(Text)
    wat_kan_beter: Mapped[str | None] = mapped_column(Text)
    status: Mapped[GesprekStatus] = mapped_column(_enum(GesprekStatus, "gesprek_status"))
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # A correction of a confirmed verslag is a new row with version + 1 pointing at the old one.
    version: Mapped[int] = mapped_column(Integer, default=1)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("gesprek.id"), index=True)
    # Idempotent submit: a double click or resubmit with the same token saves one gesprek.
    submit_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Why a begeleider sent the aios' draft back (cleared when the aios rewrites it).
    return_remark: Mapped[str | None] = mapped_column(Text)
    # What an aios' concept startgesprek would do to the stageplan (approval, new leerdoelen):
    # applied only when the gesprek is vastgesteld, then cleared.
    stageplan_proposal: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())


class Rubric(Base):
    __tablename__ = "rubric"
    __table_args__ = (UniqueConstraint("opleiding_id", "name", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    opleiding_id: Mapped[int] = mapped_column(ForeignKey("opleiding.id"))
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[dt.date] = mapped_column(Date)


class RubricLevel(Base):
    """The ordered scale of a rubric version (1 = onvoldoende … 4 = excellent)."""

    __tablename__ = "rubric_level"
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubric.id"), primary_key=True)
    score: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(50))


class RubricCriterion(Base):
    __tablename__ = "rubric_criterion"
    __table_args__ = (UniqueConstraint("rubric_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubric.id"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    canmeds_role: Mapped[CanMedsRole] = mapped_column(_enum(CanMedsRole, "canmeds_role"))


class RubricLevelDescription(Base):
    """What behaviour a level means for one criterion (the rubric's cells)."""

    __tablename__ = "rubric_level_description"
    criterion_id: Mapped[int] = mapped_column(ForeignKey("rubric_criterion.id"), primary_key=True)
    score: Mapped[int] = mapped_column(Integer, primary_key=True)
    description: Mapped[str] = mapped_column(Text)


class Beoordeling(Base):
    __tablename__ = "beoordeling"
    __table_args__ = (Index("ix_beoordeling_stage_moment", "stage_id", "moment"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"))
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubric.id"), index=True)
    moment: Mapped[Moment] = mapped_column(_enum(Moment, "moment"))
    rater_kind: Mapped[RaterKind] = mapped_column(_enum(RaterKind, "rater_kind"))
    rater_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    comment: Mapped[str | None] = mapped_column(Text)


class RubricScore(Base):
    __tablename__ = "rubric_score"
    beoordeling_id: Mapped[int] = mapped_column(ForeignKey("beoordeling.id"), primary_key=True)
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("rubric_criterion.id"), primary_key=True, index=True
    )
    score: Mapped[int] = mapped_column(Integer)


class Kpb(Base):
    __tablename__ = "kpb"
    __table_args__ = (
        CheckConstraint("supervision_level BETWEEN 1 AND 5", name="level"),
        CheckConstraint("proposed_level BETWEEN 1 AND 5", name="proposed_level"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"), index=True)
    epa_id: Mapped[int] = mapped_column(ForeignKey("epa.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    # The begeleider or opleider who observed; empty while an aios' KPB waits for them.
    observer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    initiated_by: Mapped[KpbInitiator] = mapped_column(_enum(KpbInitiator, "kpb_initiator"))
    # The level the observer gave: empty in an aios' concept, so that no query can count it.
    supervision_level: Mapped[int | None] = mapped_column(Integer)
    # The level an aios suggests in their concept (optional); the observer decides.
    proposed_level: Mapped[int | None] = mapped_column(Integer)
    feedback: Mapped[str | None] = mapped_column(Text)
    submit_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Same workflow as a gesprek: what an aios enters is a concept until the observer confirms it.
    status: Mapped[GesprekStatus] = mapped_column(
        _enum(GesprekStatus, "kpb_status"), default=GesprekStatus.VASTGESTELD,
        server_default=GesprekStatus.VASTGESTELD.value)
    entered_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Why the begeleider sent the request back (not observed, wrong EPA): it stays a concept that
    # counts nowhere, leaves their list and shows the aios this remark.
    return_remark: Mapped[str | None] = mapped_column(Text)


class FeedbackMoment(Base):
    __tablename__ = "feedback_moment"
    __table_args__ = (Index("ix_feedback_moment_stage_date_kind", "stage_id", "date", "kind", "asked_by_aios"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    # The aios is the stage's aios: storing it again could only disagree.
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    giver_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[FeedbackKind] = mapped_column(_enum(FeedbackKind, "feedback_kind"))
    asked_by_aios: Mapped[bool] = mapped_column(Boolean)
    topic: Mapped[str | None] = mapped_column(String(300))
    submit_token: Mapped[str | None] = mapped_column(String(64), unique=True)


class FeedbackRequestKind(enum.Enum):
    KPB = "KPB"
    FEEDBACK = "feedback"


class FeedbackRequest(Base):
    """An aios asks one begeleider of their stage for feedback or a KPB on an EPA or a topic
    (seed 003: "Vraag waar de aios feedback op wil"). Open until answered (a KPB or feedback
    moment saved from it, in the same transaction) or declined with a reason."""

    __tablename__ = "feedback_request"
    __table_args__ = (Index("ix_feedback_request_begeleider_open", "begeleider_id", "answered_on", "declined_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"), index=True)
    begeleider_id: Mapped[int] = mapped_column(ForeignKey("stagebegeleider.id"))
    asked_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[FeedbackRequestKind] = mapped_column(_enum(FeedbackRequestKind, "feedback_request_kind"))
    epa_id: Mapped[int | None] = mapped_column(ForeignKey("epa.id"))
    topic: Mapped[str | None] = mapped_column(String(300))
    wished_date: Mapped[dt.date | None] = mapped_column(Date)
    asked_on: Mapped[dt.date] = mapped_column(Date)
    submit_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    answered_on: Mapped[dt.date | None] = mapped_column(Date)
    kpb_id: Mapped[int | None] = mapped_column(ForeignKey("kpb.id"))
    feedback_moment_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_moment.id"))
    declined_on: Mapped[dt.date | None] = mapped_column(Date)
    decline_reason: Mapped[str | None] = mapped_column(Text)


# --- quality of stageplaatsen ---------------------------------------------------------------


class RatingRelease(Base):
    """One release of a batch of ratings of one stageplaats (DOMAIN.md: ratings are released in
    batches). A site's figures include only released ratings, and a release holds at least the
    anonymity threshold of new ratings, so two moments never differ by one aios' rating."""

    __tablename__ = "rating_release"
    id: Mapped[int] = mapped_column(primary_key=True)
    stageplaats_id: Mapped[int] = mapped_column(ForeignKey("stageplaats.id"), index=True)
    released_at: Mapped[dt.datetime] = mapped_column(DateTime)
    size: Mapped[int] = mapped_column(Integer)
    # The anonymity threshold in force at the release (NULL for ratings released by migration
    # 0003): the API never applies a lower one (disclosure.installation_threshold).
    threshold: Mapped[int | None] = mapped_column(Integer)


class StageplaatsRating(Base):
    __tablename__ = "stageplaats_rating"
    __table_args__ = (
        CheckConstraint("leermogelijkheden BETWEEN 1 AND 5", name="leermogelijkheden"),
        CheckConstraint("leerklimaat BETWEEN 1 AND 5", name="leerklimaat"),
        CheckConstraint("begeleiding BETWEEN 1 AND 5", name="begeleiding"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"), unique=True)
    leermogelijkheden: Mapped[int] = mapped_column(Integer)
    leerklimaat: Mapped[int] = mapped_column(Integer)
    begeleiding: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[dt.date] = mapped_column(Date, index=True)
    # NULL while pending: the rating counts in no figure until its site's next release.
    release_id: Mapped[int | None] = mapped_column(ForeignKey("rating_release.id"), index=True)


class InstrumentItem(Base):
    """An item of a validated instrument such as D-RECT, with the subscale it belongs to."""

    __tablename__ = "instrument_item"
    __table_args__ = (UniqueConstraint("instrument", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    instrument: Mapped[str] = mapped_column(String(32))
    number: Mapped[int] = mapped_column(Integer)
    subscale: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)


class RatingItemScore(Base):
    __tablename__ = "rating_item_score"
    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 5", name="score"),)
    rating_id: Mapped[int] = mapped_column(ForeignKey("stageplaats_rating.id"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("instrument_item.id"), primary_key=True)
    score: Mapped[int] = mapped_column(Integer)


class CommitteeDecision(Base):
    __tablename__ = "committee_decision"
    id: Mapped[int] = mapped_column(primary_key=True)
    stageplaats_id: Mapped[int] = mapped_column(ForeignKey("stageplaats.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    decision: Mapped[Decision] = mapped_column(_enum(Decision, "decision"))
    rationale: Mapped[str] = mapped_column(Text)
    follow_up_date: Mapped[dt.date | None] = mapped_column(Date)
    decided_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))


class MeetingStatus(enum.Enum):
    VOORBEREID = "voorbereid"  # the agenda can still change
    BEZIG = "bezig"  # being held: outcomes are recorded item by item
    GESLOTEN = "gesloten"  # closed: readable, never changed again


class AgendaReason(enum.Enum):
    """Why a stageplaats is on the agenda."""

    OPVOLGING = "opvolging verlopen"
    SIGNAAL = "signaal"
    HANDMATIG = "handmatig toegevoegd"


class ItemStatus(enum.Enum):
    TE_BESPREKEN = "te bespreken"
    BESPROKEN = "besproken"  # discussed without a decision
    BESLUIT = "besluit"


class Meeting(Base):
    """A meeting of the stagecommissie of one programme: prepared, held, closed."""

    __tablename__ = "meeting"
    id: Mapped[int] = mapped_column(primary_key=True)
    opleiding_id: Mapped[int] = mapped_column(ForeignKey("opleiding.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    chair: Mapped[str] = mapped_column(String(200))
    # One name a line, as typed: attendees need no account (a guest, a secretary).
    attendees: Mapped[str] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[MeetingStatus] = mapped_column(_enum(MeetingStatus, "meeting_status"))
    created_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    submit_token: Mapped[str | None] = mapped_column(String(64), unique=True)


class MeetingItem(Base):
    """One stageplaats on a meeting's agenda, in order, with why it is there and its outcome."""

    __tablename__ = "meeting_item"
    __table_args__ = (UniqueConstraint("meeting_id", "stageplaats_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    stageplaats_id: Mapped[int] = mapped_column(ForeignKey("stageplaats.id"))
    position: Mapped[int] = mapped_column(Integer)
    reason: Mapped[AgendaReason] = mapped_column(_enum(AgendaReason, "agenda_reason"))
    status: Mapped[ItemStatus] = mapped_column(_enum(ItemStatus, "item_status"))
    notes: Mapped[str | None] = mapped_column(Text)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("committee_decision.id"))
    # The site's status just before this item's decision: a correction during the meeting applies
    # the new decision to it (a "gesprek" after a withdrawn "stopzetten" leaves the site as it was).
    site_status_before: Mapped[StageplaatsStatus | None] = mapped_column(
        _enum(StageplaatsStatus, "stageplaats_status"))
    # The token of the submit that recorded the outcome: the same submit again changes nothing,
    # and a correction names it (the outcome it replaces).
    submit_token: Mapped[str | None] = mapped_column(String(64), unique=True)


# --- the opleider's follow-up ----------------------------------------------------------------


class DossierNote(Base):
    """An opleider's note in the file of an aios: read by opleiders and the beheerder only, never
    by the aios, their begeleiders or the stagecommissie."""

    __tablename__ = "dossier_note"
    id: Mapped[int] = mapped_column(primary_key=True)
    aios_id: Mapped[int] = mapped_column(ForeignKey("aios.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    written_at: Mapped[dt.datetime] = mapped_column(DateTime)
    text: Mapped[str] = mapped_column(Text)
    submit_token: Mapped[str] = mapped_column(String(64), unique=True)


class FollowUpMark(Base):
    """"Bespreken in voortgangsoverleg": the aios is on the opleiders' follow-up list for a date
    until the mark is cleared as discussed. One open mark per aios (the command checks it)."""

    __tablename__ = "follow_up_mark"
    id: Mapped[int] = mapped_column(primary_key=True)
    aios_id: Mapped[int] = mapped_column(ForeignKey("aios.id"), index=True)
    discuss_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    marked_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    marked_at: Mapped[dt.datetime] = mapped_column(DateTime)
    cleared_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    cleared_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    submit_token: Mapped[str] = mapped_column(String(64), unique=True)
# --- bookkeeping ----------------------------------------------------------------------------


class AuditLog(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)


class DataVersion(Base):
    """One row per area of data (audit.DATA_AREAS), stamped in the transaction of every write to
    the area, so every server process sees the change; the stamp is one more than the highest
    stamp of any area, so MAX(version) is the version of the whole database."""

    __tablename__ = "data_version"
    area: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


# --- e-mail reminders -----------------------------------------------------------------------


class ReminderKind(enum.Enum):
    """What a reminder is about; each goes to the people who still have to act."""

    GESPREK_ACHTER = "gesprek achter"  # begeleider: no gesprek for too long (flag rule)
    VERSLAG_VASTSTELLEN = "verslag vaststellen"  # begeleider: an aios' draft awaits confirmation
    VERSLAG_TERUGGESTUURD = "verslag teruggestuurd"  # aios: a draft came back with a remark
    STAGEVERSLAG = "stageverslag"  # aios: the stageverslag is due soon or late
    STAGEPLAATS_BEOORDELEN = "stageplaats beoordelen"  # aios: an ended stage is not rated yet
    SIGNALEN = "signalen"  # opleider: new flags in their cohorts
    FEEDBACKVRAGEN = "feedbackvragen"  # begeleider: open feedback requests of their aios


class ReminderFrequency(enum.Enum):
    DIRECT = "direct"
    WEKELIJKS = "wekelijks"
    UIT = "uit"


class ReminderPreference(Base):
    """A user's choice per kind; no row means the default of the kind (reminders.DEFAULTS)."""

    __tablename__ = "reminder_preference"
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    kind: Mapped[ReminderKind] = mapped_column(_enum(ReminderKind, "reminder_kind"), primary_key=True)
    frequency: Mapped[ReminderFrequency] = mapped_column(_enum(ReminderFrequency, "reminder_frequency"))


class ReminderSent(Base):
    """One row per (user, kind, thing) ever mailed: the unique constraint is the claim that makes
    a reminder go out once even when two runs (or two servers) race. A claimed row has no
    sent_at until the mail went; a failed mail deletes its claims, a crashed run's stale claims
    are freed by a later run."""

    __tablename__ = "reminder_sent"
    __table_args__ = (UniqueConstraint("user_id", "kind", "thing_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[ReminderKind] = mapped_column(_enum(ReminderKind, "reminder_kind"))
    thing_key: Mapped[str] = mapped_column(String(200))
    claimed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
