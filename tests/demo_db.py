"""The demo data set for tests that start the app: made once per test process, copied per use."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data_access import clock
from data_access.db import make_engine, migrate
from data_access.feedback_requests import RequestInput, ask_feedback
from data_access.models import (
    Aios,
    Epa,
    FeedbackRequestKind,
    Stage,
    StageBegeleider,
    Stagebegeleider,
    StageStatus,
    UserAccount,
)
from data_access.viewer import viewer_for
from sample_data import generate


def make_demo(path: Path) -> Path:
    """The demo database the app makes on a first start (seed 1, the run's day), at `path`."""
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    generate(engine, "demo", seed=1, today=clock.today(), progress=False)
    engine.dispose()  # the last connection folds the WAL into the file, so a file copy is whole
    return path


def demo_copy(template: Path, folder: Path, name: str = "demo.sqlite") -> str:
    """A private copy of the demo database in `folder`; its URL."""
    target = folder / name
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


@dataclasses.dataclass(frozen=True)
class AnsweredLate:
    """What `request_of_an_ended_stage` made: the stage, its aios and the open request."""

    stage_id: int
    aios_name: str
    request_id: int
    epa_id: int


def request_of_an_ended_stage(url: str, today: dt.date, ended_days_ago: int, topic: str) -> AnsweredLate:
    """In a demo database: one stage of the demo begeleider ends `ended_days_ago` days before
    `today` (after 90 days), its aios has no running stage with them, and during that stage the
    aios asked them for a KPB on an EPA (as on Mijn stage; the request is still open). Relative to
    `today`, so it holds on every day a run is made for. The stage is not the demo aios' (who has a
    running stage with the demo begeleider on every day): that one stays, so the begeleider's
    list of running stages always has another aios in it."""
    engine = make_engine(url)
    end = today - dt.timedelta(days=ended_days_ago)
    with Session(engine) as session, session.begin():
        begeleider_id = session.execute(
            select(Stagebegeleider.id).join(UserAccount, UserAccount.id == Stagebegeleider.user_id)
            .where(UserAccount.username == "begeleider")).scalar_one()
        stages = session.execute(
            select(Stage.id, Stage.aios_id, Stage.start_date, Stage.end_date)
            .join(StageBegeleider, StageBegeleider.stage_id == Stage.id)
            .join(Aios, Aios.id == Stage.aios_id).join(UserAccount, UserAccount.id == Aios.user_id)
            .where(StageBegeleider.begeleider_id == begeleider_id, UserAccount.username != "aios")
            .order_by(Stage.end_date.desc(), Stage.id)).all()
        running = {(s.aios_id, s.id) for s in stages if s.start_date <= today <= s.end_date}
        # The newest stage whose aios has no other running stage with the begeleider: once it
        # has ended, that aios is nowhere in the form's list of running stages.
        stage_id, aios_id = next((s.id, s.aios_id) for s in stages
                                 if not {i for a, i in running if a == s.aios_id} - {s.id})
        session.execute(update(Stage).where(Stage.id == stage_id).values(
            start_date=end - dt.timedelta(days=90), end_date=end, status=StageStatus.AFGEROND))
        aios_user, aios_name, opleiding_id = session.execute(
            select(UserAccount.username, UserAccount.display_name, Aios.opleiding_id)
            .join(Aios, Aios.user_id == UserAccount.id).where(Aios.id == aios_id)).one()
        epa_id = session.execute(
            select(Epa.id).where(Epa.opleiding_id == opleiding_id).order_by(Epa.id).limit(1)).scalar_one()
    # Asked on the stage's second day, while it ran (ask_feedback refuses an ended stage).
    request_id = ask_feedback(engine, viewer_for(engine, aios_user), RequestInput(
        stage_id=stage_id, begeleider_id=begeleider_id, kind=FeedbackRequestKind.KPB, epa_id=epa_id, topic=topic,
        wished_date=None, submit_token=f"afgelopen-stage-{stage_id}"), end - dt.timedelta(days=89))
    engine.dispose()
    return AnsweredLate(stage_id, aios_name, request_id, epa_id)
