"""Process-wide resources: settings, the one engine, and the first-start database."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import InterfaceError, OperationalError

from data_access import clock
from data_access.accounts import is_demo_database
from data_access.db import is_empty, make_engine, migrate
from data_access.disclosure import installation_threshold
from data_access.logs import configure_logging
from data_access.settings import Settings, load_settings
from sample_data import generate


# The database unreachable (a restart, a network fault): Dutch, without host, port or paths; the
# traceback goes to the log, and the next click tries again (nothing caches the failure).
DATABASE_DOWN = ("De database is even niet bereikbaar. Probeer het over een minuut opnieuw; blijft dit zo, meld het "
                 "dan bij de beheerder (die vindt de oorzaak in het log).")
UNREACHABLE = (OperationalError, InterfaceError)


@st.cache_resource
def get_settings() -> Settings:
    return load_settings()


@st.cache_data(ttl=300, show_spinner=False)
def anonymity_threshold() -> int:
    """The installation's anonymity threshold (data_access.disclosure.installation_threshold):
    every figure and every release of ratings in the app applies this one."""
    return installation_threshold(get_engine(get_settings().db_url))


@st.cache_resource
def setup_logging(level: str, fmt: str) -> None:
    """The operators' log, configured once per server process."""
    configure_logging(level, fmt)


@st.cache_resource
def get_engine(db_url: str) -> Engine:
    return make_engine(db_url)


@st.cache_resource(show_spinner=False)
def prepare_database(db_url: str, fill_with_demo: bool = True) -> bool:
    """Migrate to head; fill an empty database with the demo data set when this installation
    is a demo (never a configured production database). True when it filled it.

    Cached per process, so it runs once per server start, not per page run.
    """
    engine = get_engine(db_url)
    migrate(engine)
    if not fill_with_demo or not is_empty(engine):
        return False
    generate(engine, "demo", seed=1, today=clock.today(get_settings()), progress=False)
    return True


@st.cache_data(ttl=300, show_spinner=False)
def demo_database(db_url: str) -> bool:
    """Whether the database holds the demo logins (cached: it changes only with those accounts)."""
    return is_demo_database(get_engine(db_url))
