"""A small hand-made stage database whose every number the tests know by heart.

TODAY is a Monday. Two programmes (MG, HAG), four aios, three stageplaatsen, eight stages:

  stage  aios  site  begeleider  period                   state on TODAY
  1      a1    S1    bg1         2026-01-05 .. 2026-04-05 running, week 9 of 13, evaluatie missing
  2      a2    S1    bg1         2025-09-01 .. 2025-11-30 ended, rated 2025-12-05
  3      a3    S2    bg2         2026-02-02 .. 2026-05-03 running, week 5, stageplan not approved
  4      a4    S3    bg3         2026-01-05 .. 2026-04-05 running (other programme)
  5      a1    S2    bg2         2025-09-01 .. 2025-11-30 ended, rated 2025-12-01
  6      a3    S1    bg1         2025-09-01 .. 2025-11-30 ended, rated 2025-12-10
  7      a2    S1    bg1         2025-03-03 .. 2025-06-01 ended, rated 2025-06-10
  8      a1    S1    bg1         2024-09-02 .. 2024-12-01 ended, rated 2024-12-10

opl1 follows cohort MG 2024 (a1, a2); opl2 follows a4 only; com1 sits for MG.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from data_access import models as m
from data_access.models import (
    CanMedsRole,
    FeedbackKind,
    GesprekStatus,
    GesprekType,
    KpbInitiator,
    LeerdoelStatus,
    Moment,
    OpdrachtStatus,
    RaterKind,
    Role,
    StageStatus,
)

TODAY = dt.date(2026, 3, 2)
D = dt.date

USERS = {
    # username: (id, role)
    "admin": (1, Role.BEHEERDER),
    "opl1": (2, Role.INSTITUUTSOPLEIDER),
    "opl2": (3, Role.INSTITUUTSOPLEIDER),
    "com1": (4, Role.STAGECOMMISSIE),
    "bg1": (5, Role.STAGEBEGELEIDER),
    "bg2": (6, Role.STAGEBEGELEIDER),
    "bg3": (7, Role.STAGEBEGELEIDER),
    "a1": (8, Role.AIOS),
    "a2": (9, Role.AIOS),
    "a3": (10, Role.AIOS),
    "a4": (11, Role.AIOS),
}
NAMES = {
    "admin": "Ada Beheer", "opl1": "Olga Opleider", "opl2": "Otto Opleider", "com1": "Carla Commissie",
    "bg1": "Bram Begeleider", "bg2": "Bea Begeleider", "bg3": "Bob Begeleider",
    "a1": "Anna Aios", "a2": "Bert Aios", "a3": "Cees Aios", "a4": "Dirk Aios",
}
AIOS_ID = {"a1": 1, "a2": 2, "a3": 3, "a4": 4}
BEGELEIDER_ID = {"bg1": 1, "bg2": 2, "bg3": 3}

STAGES = {
    # id: (aios, site, begeleider, start, end)
    1: ("a1", 1, "bg1", D(2026, 1, 5), D(2026, 4, 5)),
    2: ("a2", 1, "bg1", D(2025, 9, 1), D(2025, 11, 30)),
    3: ("a3", 2, "bg2", D(2026, 2, 2), D(2026, 5, 3)),
    4: ("a4", 3, "bg3", D(2026, 1, 5), D(2026, 4, 5)),
    5: ("a1", 2, "bg2", D(2025, 9, 1), D(2025, 11, 30)),
    6: ("a3", 1, "bg1", D(2025, 9, 1), D(2025, 11, 30)),
    7: ("a2", 1, "bg1", D(2025, 3, 3), D(2025, 6, 1)),
    8: ("a1", 1, "bg1", D(2024, 9, 2), D(2024, 12, 1)),
}

RATINGS = {
    # stage: (leermogelijkheden, leerklimaat, begeleiding, comment, submitted)
    8: (2, 3, 2, "Weinig tijd.", D(2024, 12, 10)),
    7: (4, 4, 3, "Veel geleerd.", D(2025, 6, 10)),
    2: (5, 4, 4, None, D(2025, 12, 5)),
    6: (3, 3, 2, "Druk maar leerzaam.", D(2025, 12, 10)),
    5: (4, 4, 4, "Top.", D(2025, 12, 1)),
}

# Every fixture rating is released, as migration 0003 releases ratings that predate the release
# rule: one release per site and year of submission, so all figures are as before.
RELEASES = {
    # id: (site, released at, stages of the ratings in it)
    1: (1, dt.datetime(2024, 12, 10), (8,)),
    2: (1, dt.datetime(2025, 12, 10), (7, 2, 6)),
    3: (2, dt.datetime(2025, 12, 1), (5,)),
}
RELEASE_OF = {stage: rid for rid, (_, _, stages) in RELEASES.items() for stage in stages}

# Rubric R1 (MG, version 1): criteria 1 and 2; R2 (MG, version 2): criteria 3, 4, 5.
R1_SCORES = {
    # (stage, moment, rater kind, rater): (criterion 1, criterion 2)
    (2, Moment.EIND, RaterKind.BEGELEIDER, "bg1"): (3, 4),
    (2, Moment.EIND, RaterKind.ZELF, "a2"): (3, 3),
    (5, Moment.EIND, RaterKind.BEGELEIDER, "bg2"): (2, 3),
    (6, Moment.EIND, RaterKind.BEGELEIDER, "bg1"): (4, 4),
    (7, Moment.EIND, RaterKind.BEGELEIDER, "bg1"): (3, 3),
    (8, Moment.EIND, RaterKind.BEGELEIDER, "bg1"): (3, 2),
    (2, Moment.TUSSENTIJDS, RaterKind.BEGELEIDER, "bg1"): (2, 2),
}
R2_SCORES = {
    (1, Moment.TUSSENTIJDS, RaterKind.BEGELEIDER, "bg1"): (2, 3, 3),
    (1, Moment.TUSSENTIJDS, RaterKind.ZELF, "a1"): (3, 3, 4),
    (3, Moment.TUSSENTIJDS, RaterKind.BEGELEIDER, "bg2"): (4, 4, 3),
}

GESPREKKEN = [
    # (id, stage, type, date, supersedes)
    (1, 1, GesprekType.KENNISMAKING, D(2025, 12, 20), None),
    (2, 1, GesprekType.STARTGESPREK, D(2026, 1, 6), None),
    (3, 1, GesprekType.BEGELEIDINGSGESPREK, D(2026, 1, 13), None),
    (4, 1, GesprekType.BEGELEIDINGSGESPREK, D(2026, 1, 20), None),
    (5, 1, GesprekType.BEGELEIDINGSGESPREK, D(2026, 1, 27), None),
    (6, 1, GesprekType.BEGELEIDINGSGESPREK, D(2026, 2, 10), None),
    (7, 1, GesprekType.BEGELEIDINGSGESPREK, D(2026, 2, 10), 6),  # correction of 6: counts once
    (8, 3, GesprekType.STARTGESPREK, D(2026, 2, 3), None),
    (9, 3, GesprekType.BEGELEIDINGSGESPREK, D(2026, 2, 10), None),
    (10, 3, GesprekType.BEGELEIDINGSGESPREK, D(2026, 2, 17), None),
    (11, 3, GesprekType.BEGELEIDINGSGESPREK, D(2026, 2, 24), None),
    (12, 4, GesprekType.STARTGESPREK, D(2026, 1, 7), None),
    (13, 2, GesprekType.EINDGESPREK, D(2025, 11, 27), None),
]

FEEDBACK = [
    # (stage, date, kind, asked by aios, giver)
    (1, D(2026, 1, 6), FeedbackKind.KPB, True, "bg1"),
    (1, D(2026, 1, 8), FeedbackKind.INFORMEEL, False, "bg1"),
    (1, D(2026, 1, 13), FeedbackKind.GESPREK, True, "bg1"),
    (1, D(2026, 2, 9), FeedbackKind.INFORMEEL, True, "bg1"),
    (3, D(2026, 2, 3), FeedbackKind.INFORMEEL, False, "bg2"),
    (3, D(2026, 2, 17), FeedbackKind.KPB, True, "bg2"),
    (4, D(2026, 1, 7), FeedbackKind.INFORMEEL, False, "bg3"),
]

# (stage, date, supervision level); all on EPA1
KPBS = [(1, D(2026, 1, 6), 2), (1, D(2026, 1, 27), 3), (3, D(2026, 2, 17), 2)]

# Typed by a user: must come back as text, never as markup.
AFSPRAKEN = {5: "**Vet** <b>geen html</b>: twee KPB's plannen"}

LEERDOEL_1_HISTORY = [
    (dt.datetime(2026, 1, 6, 10, 0), LeerdoelStatus.GEPLAND, "Leerdoel 1 (eerste versie)"),
    (dt.datetime(2026, 2, 9, 16, 30), LeerdoelStatus.BEHAALD, "Leerdoel 1"),
]

LEERDOELEN = [
    # (id, stage, status)
    (1, 1, LeerdoelStatus.BEHAALD),
    (2, 1, LeerdoelStatus.BEZIG),
    (3, 1, LeerdoelStatus.GEPLAND),
    (4, 3, LeerdoelStatus.BEZIG),
]


def uid(username: str) -> int:
    return USERS[username][0]


def load_fixture(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        s.add_all([
            m.Opleiding(id=1, code="MG", name="Arts M&G", kpb_target_default=6),
            m.Opleiding(id=2, code="HAG", name="Huisartsgeneeskunde", kpb_target_default=6),
        ])
        s.flush()  # no ORM relationships: the unit of work needs parents flushed first
        s.add_all([
            m.Cohort(id=1, opleiding_id=1, start_year=2024, name="MG 2024"),
            m.Cohort(id=2, opleiding_id=1, start_year=2025, name="MG 2025"),
            m.Cohort(id=3, opleiding_id=2, start_year=2025, name="HAG 2025"),
        ])
        for username, (user_id, role) in USERS.items():
            s.add(m.UserAccount(id=user_id, username=username, display_name=NAMES[username],
                                email=f"{username}@voorbeeld.nl"))
        s.flush()
        for username, (user_id, role) in USERS.items():
            s.add(m.UserRole(user_id=user_id, role=role))
        s.flush()
        s.add_all([
            m.Stageplaats(id=1, code="S1", opleiding_id=1, name="GGD Noord", organisation="GGD",
                          discipline="GGD", region="Groningen"),
            m.Stageplaats(id=2, code="S2", opleiding_id=1, name="Arbodienst Zuid", organisation="Arbo",
                          discipline="Arbodienst", region="Limburg"),
            m.Stageplaats(id=3, code="S3", opleiding_id=2, name="Praktijk West", organisation="HAP",
                          discipline="Huisartsenpraktijk", region="Zeeland"),
        ])
        s.flush()
        s.add_all([
            m.Aios(id=1, user_id=uid("a1"), aios_number="A1", opleiding_id=1, cohort_id=1),
            m.Aios(id=2, user_id=uid("a2"), aios_number="A2", opleiding_id=1, cohort_id=1),
            m.Aios(id=3, user_id=uid("a3"), aios_number="A3", opleiding_id=1, cohort_id=2),
            m.Aios(id=4, user_id=uid("a4"), aios_number="A4", opleiding_id=2, cohort_id=3),
        ])
        s.flush()
        for name, bid in BEGELEIDER_ID.items():
            s.add(m.Stagebegeleider(id=bid, user_id=uid(name)))
        s.flush()
        s.add_all([
            m.BegeleiderStageplaats(begeleider_id=1, stageplaats_id=1),
            m.BegeleiderStageplaats(begeleider_id=2, stageplaats_id=2),
            m.BegeleiderStageplaats(begeleider_id=3, stageplaats_id=3),
            m.Instituutsopleider(id=1, user_id=uid("opl1")),
            m.Instituutsopleider(id=2, user_id=uid("opl2")),
        ])
        s.flush()
        s.add_all([
            m.OpleiderCohort(opleider_id=1, cohort_id=1),
            m.OpleiderAios(opleider_id=2, aios_id=4),
            m.CommissieLid(user_id=uid("com1"), opleiding_id=1),
        ])
        s.flush()
        for sid, (aios, site, bg, start, end) in STAGES.items():
            status = StageStatus.LOPEND if end >= TODAY else StageStatus.AFGEROND
            s.add(m.Stage(id=sid, aios_id=AIOS_ID[aios], stageplaats_id=site, start_date=start,
                          end_date=end, fte=1.0, status=status))
        s.flush()
        for sid, (aios, site, bg, start, end) in STAGES.items():
            s.add(m.StageBegeleider(stage_id=sid, begeleider_id=BEGELEIDER_ID[bg], is_primary=True))
            s.add(m.Stageplan(
                id=sid, stage_id=sid, kpb_target=6,
                approved_at=None if sid == 3 else start - dt.timedelta(days=1),
                approved_by=None if sid == 3 else uid(bg),
                verslag_due=end - dt.timedelta(days=7),
                verslag_handed_in=None if end >= TODAY else end - dt.timedelta(days=8),
            ))
        s.add_all([m.Epa(id=1, opleiding_id=1, code="EPA1", name="Consult"),
                   m.Epa(id=2, opleiding_id=1, code="EPA2", name="Overdracht")])
        s.flush()
        s.add_all([m.EpaTarget(stage_id=1, epa_id=1, target_level=3),
                   m.EpaTarget(stage_id=1, epa_id=2, target_level=2)])
        s.add_all([
            m.Praktijkopdracht(id=1, stage_id=1, title="Beleidsadvies", due_date=D(2026, 3, 15),
                               status=OpdrachtStatus.BEZIG),
            m.Praktijkopdracht(id=2, stage_id=1, title="Casusbespreking", due_date=D(2026, 2, 1),
                               status=OpdrachtStatus.AFGEROND),
        ])
        for lid, stage, status in LEERDOELEN:
            s.add(m.Leerdoel(id=lid, stage_id=stage, text=f"Leerdoel {lid}",
                             canmeds_role=CanMedsRole.COMMUNICATOR, target_date=None, status=status))
        s.flush()
        for n, (when, status, text) in enumerate(LEERDOEL_1_HISTORY, 1):
            s.add(m.LeerdoelHistory(id=n, leerdoel_id=1, changed_at=when, changed_by=uid("a1"),
                                    status=status, text=text))
        for gid, stage, gtype, when, supersedes in GESPREKKEN:
            aios = STAGES[stage][0]
            s.add(m.Gesprek(id=gid, stage_id=stage, type=gtype, date=when, author_id=uid(aios),
                            verslag="Verslag.", afspraken=AFSPRAKEN.get(gid), status=GesprekStatus.VASTGESTELD,
                            version=2 if supersedes else 1, supersedes_id=supersedes))
            s.flush()
        for n, (stage, when, kind, asked, giver) in enumerate(FEEDBACK, 1):
            s.add(m.FeedbackMoment(id=n, stage_id=stage, date=when, giver_id=uid(giver), kind=kind,
                                   asked_by_aios=asked, topic="rapportage"))
        s.flush()
        for n, (stage, when, level) in enumerate(KPBS, 1):
            s.add(m.Kpb(id=n, stage_id=stage, epa_id=1, date=when, observer_id=uid(STAGES[stage][2]),
                        initiated_by=KpbInitiator.AIOS, supervision_level=level, feedback="Goed."))
        for rid, (site, when, stages) in RELEASES.items():
            s.add(m.RatingRelease(id=rid, stageplaats_id=site, released_at=when, size=len(stages)))
        s.flush()
        for sid, (lm, lk, bg, comment, when) in RATINGS.items():
            s.add(m.StageplaatsRating(id=sid, stage_id=sid, leermogelijkheden=lm, leerklimaat=lk,
                                      begeleiding=bg, comment=comment, submitted_at=when,
                                      release_id=RELEASE_OF[sid]))
        _rubrics(s)


def _rubrics(s: Session) -> None:
    s.add_all([
        m.Rubric(id=1, opleiding_id=1, name="Beoordeling MG", version=1, valid_from=D(2024, 1, 1)),
        m.Rubric(id=2, opleiding_id=1, name="Beoordeling MG", version=2, valid_from=D(2026, 1, 1)),
    ])
    s.flush()
    for rid in (1, 2):
        for score, label in ((1, "onvoldoende"), (2, "voldoende"), (3, "goed"), (4, "excellent")):
            s.add(m.RubricLevel(rubric_id=rid, score=score, label=label))
    s.flush()
    s.add_all([
        m.RubricCriterion(id=1, rubric_id=1, position=1, name="Medische kennis",
                          canmeds_role=CanMedsRole.MEDICAL_EXPERT),
        m.RubricCriterion(id=2, rubric_id=1, position=2, name="Communicatie",
                          canmeds_role=CanMedsRole.COMMUNICATOR),
        m.RubricCriterion(id=3, rubric_id=2, position=1, name="Medische kennis",
                          canmeds_role=CanMedsRole.MEDICAL_EXPERT),
        m.RubricCriterion(id=4, rubric_id=2, position=2, name="Communicatie",
                          canmeds_role=CanMedsRole.COMMUNICATOR),
        m.RubricCriterion(id=5, rubric_id=2, position=3, name="Samenwerking",
                          canmeds_role=CanMedsRole.COLLABORATOR),
    ])
    s.flush()
    bid = 0
    for rubric_id, table, criteria in ((1, R1_SCORES, (1, 2)), (2, R2_SCORES, (3, 4, 5))):
        for (stage, moment, kind, rater), scores in table.items():
            bid += 1
            s.add(m.Beoordeling(id=bid, stage_id=stage, rubric_id=rubric_id, moment=moment,
                                rater_kind=kind, rater_id=uid(rater), date=STAGES[stage][4]))
            s.flush()
            for cid, score in zip(criteria, scores, strict=True):
                s.add(m.RubricScore(beoordeling_id=bid, criterion_id=cid, score=score))


# --- a second begeleider at S1 (only for the tests that ask for it) ------------------------
# bg4 also works at GGD Noord (S1), where a5 runs stage 9 with bg4 only. bg1 and bg4 share the
# site, not the aios: each sees the stages placed with them, never the site's other stages.
SECOND_BEGELEIDER = {"bg4": 12, "a5": 13}
STAGE_9 = (D(2026, 2, 2), D(2026, 5, 3))
STAGE_9_DRAFT_GESPREK, STAGE_9_CONCEPT_KPB = 15, 5


def add_second_begeleider(engine: Engine) -> None:
    """Add bg4 (user 12) at S1 and a5 (user 13, MG 2025) placed with bg4 in stage 9: one
    vastgesteld startgesprek, a draft begeleidingsgesprek by a5, one feedback moment, one
    vastgesteld KPB and one concept KPB entered by a5. Ids follow the fixture's."""
    from data_access.db import reset_id_sequences

    with Session(engine) as s, s.begin():
        s.add_all([m.UserAccount(id=12, username="bg4", display_name="Bart Begeleider", email="bg4@voorbeeld.nl"),
                   m.UserAccount(id=13, username="a5", display_name="Eva Aios", email="a5@voorbeeld.nl")])
        s.flush()
        s.add_all([m.UserRole(user_id=12, role=Role.STAGEBEGELEIDER), m.UserRole(user_id=13, role=Role.AIOS),
                   m.Stagebegeleider(id=4, user_id=12),
                   m.Aios(id=5, user_id=13, aios_number="A5", opleiding_id=1, cohort_id=2)])
        s.flush()
        s.add_all([m.BegeleiderStageplaats(begeleider_id=4, stageplaats_id=1),
                   m.Stage(id=9, aios_id=5, stageplaats_id=1, start_date=STAGE_9[0], end_date=STAGE_9[1], fte=1.0,
                           status=StageStatus.LOPEND)])
        s.flush()
        s.add_all([
            m.StageBegeleider(stage_id=9, begeleider_id=4, is_primary=True),
            m.Stageplan(id=9, stage_id=9, kpb_target=6, approved_at=D(2026, 2, 3), approved_by=12,
                        verslag_due=STAGE_9[1] - dt.timedelta(days=7)),
            m.Gesprek(id=14, stage_id=9, type=GesprekType.STARTGESPREK, date=D(2026, 2, 3), author_id=12,
                      verslag="Verslag.", status=GesprekStatus.VASTGESTELD, confirmed_by=12, version=1),
            m.Gesprek(id=STAGE_9_DRAFT_GESPREK, stage_id=9, type=GesprekType.BEGELEIDINGSGESPREK, date=D(2026, 2, 24),
                      author_id=13, verslag="Concept.", status=GesprekStatus.CONCEPT, version=1),
            m.FeedbackMoment(id=8, stage_id=9, date=D(2026, 2, 3), giver_id=12, kind=FeedbackKind.INFORMEEL,
                             asked_by_aios=False, topic="rapportage"),
            m.Kpb(id=4, stage_id=9, epa_id=1, date=D(2026, 2, 17), observer_id=12, initiated_by=KpbInitiator.BEGELEIDER,
                  supervision_level=2, feedback="Goed.", entered_by=12, confirmed_by=12),
            m.Kpb(id=STAGE_9_CONCEPT_KPB, stage_id=9, epa_id=1, date=D(2026, 2, 24), observer_id=None,
                  initiated_by=KpbInitiator.AIOS, proposed_level=4, feedback="Graag observatie.",
                  status=GesprekStatus.CONCEPT, entered_by=13),
        ])
    reset_id_sequences(engine)


# --- an eindgesprek five weeks early (only for the tests that ask for it) ---------------------
# Stage 20: a2 at S1 with bg1, 2026-01-05 .. 2026-04-05 (like stage 1), on schedule until its
# eindgesprek on 2026-03-01, 35 days (5 weeks) before its last day: startgesprek 06-01, seven
# weekly begeleidingsgesprekken 13-01 .. 24-02, evaluatiegesprek 24-02, feedback 24-02, three
# KPB's (13-01, 03-02, 24-02), stageverslag handed in 27-02. By 01-03 the cycle expected the
# startgesprek, 6 begeleidingsgesprekken, the evaluatiegesprek and floor(6 × 55/90) = 3 KPB's.
EARLY_STAGE = 20
EARLY_EIND = D(2026, 3, 1)
EARLY_WEEKLY = [D(2026, 1, 13) + dt.timedelta(days=7 * k) for k in range(7)]


def add_early_eindgesprek(engine: Engine, status: GesprekStatus = GesprekStatus.VASTGESTELD) -> None:
    """Add stage 20 (see above); its eindgesprek has `status` (a concept counts as held too)."""
    from data_access.db import reset_id_sequences

    start, end = D(2026, 1, 5), D(2026, 4, 5)
    held = ([(GesprekType.STARTGESPREK, D(2026, 1, 6))] + [(GesprekType.BEGELEIDINGSGESPREK, d) for d in EARLY_WEEKLY]
            + [(GesprekType.EVALUATIEGESPREK, D(2026, 2, 24)), (GesprekType.EINDGESPREK, EARLY_EIND)])
    with Session(engine) as s, s.begin():
        s.add(m.Stage(id=EARLY_STAGE, aios_id=AIOS_ID["a2"], stageplaats_id=1, start_date=start, end_date=end,
                      fte=1.0, status=StageStatus.LOPEND))
        s.flush()
        s.add_all([
            m.StageBegeleider(stage_id=EARLY_STAGE, begeleider_id=BEGELEIDER_ID["bg1"], is_primary=True),
            m.Stageplan(id=EARLY_STAGE, stage_id=EARLY_STAGE, kpb_target=6, approved_at=D(2026, 1, 4),
                        approved_by=uid("bg1"), verslag_due=end - dt.timedelta(days=7), verslag_handed_in=D(2026, 2, 27)),
            m.FeedbackMoment(id=20, stage_id=EARLY_STAGE, date=D(2026, 2, 24), giver_id=uid("bg1"),
                             kind=FeedbackKind.INFORMEEL, asked_by_aios=True, topic="rapportage"),
        ])
        for n, (gtype, when) in enumerate(held, 60):
            eind = gtype is GesprekType.EINDGESPREK
            s.add(m.Gesprek(id=n, stage_id=EARLY_STAGE, type=gtype, date=when, author_id=uid("bg1"),
                            verslag="Verslag.", status=status if eind else GesprekStatus.VASTGESTELD, version=1))
        for n, when in enumerate((D(2026, 1, 13), D(2026, 2, 3), D(2026, 2, 24)), 20):
            s.add(m.Kpb(id=n, stage_id=EARLY_STAGE, epa_id=1, date=when, observer_id=uid("bg1"),
                        initiated_by=KpbInitiator.AIOS, supervision_level=3, feedback="Goed."))
    reset_id_sequences(engine)
