"""Hostile text for every free-text and name field: markdown, a Streamlit colour, a link, an
external image (a tracking pixel at 127.0.0.1:9), HTML, and a spreadsheet formula in front."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import Engine, update

from data_access.db import make_engine
from data_access.models import Base
from tests.demo_db import demo_copy

PAYLOAD = "**x** :red[y] [l](https://example.invalid) ![p](http://127.0.0.1:9/p.png) <b>z</b>"
FORMULA = '=HYPERLINK("http://127.0.0.1:9/f","klik")'
MARK = "example.invalid"  # once in PAYLOAD: counts where the payload went

# Identifiers and bookkeeping, not text a person reads as typed (or validated on input).
NOT_TEXT = {
    ("user_account", "username"), ("user_account", "password_hash"), ("user_account", "email"),
    ("aios", "aios_number"), ("stageplaats", "code"), ("opleiding", "code"), ("epa", "code"),
    ("instrument_item", "instrument"),
}


def poison(value: str) -> str:
    return f"{FORMULA} {PAYLOAD} {value}"


def text_columns() -> list[sa.Column]:
    return [c for t in Base.metadata.sorted_tables if t.name not in {"audit_log", "alembic_version"}
            for c in t.columns
            if isinstance(c.type, sa.String) and not isinstance(c.type, sa.Enum)
            and (t.name, c.name) not in NOT_TEXT and not c.name.endswith("token")]


def poison_database(engine: Engine) -> None:
    """Every free-text and name field gets the payload in front of what it held."""
    with engine.begin() as conn:
        for col in text_columns():
            conn.execute(update(col.table).where(col.isnot(None)).values({col.name: FORMULA + " " + PAYLOAD + " " + col}))


def poisoned_demo_database(template: Path, folder: Path) -> str:
    """A copy of the demo database (`template`) in `folder` with the payload in every text
    field; its URL."""
    url = demo_copy(template, folder)
    engine = make_engine(url)
    poison_database(engine)
    engine.dispose()
    return url
