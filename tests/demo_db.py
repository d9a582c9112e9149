"""The demo data set for tests that start the app: made once per test process, copied per use."""

from __future__ import annotations

import shutil
from pathlib import Path

from data_access import clock
from data_access.db import make_engine, migrate
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
