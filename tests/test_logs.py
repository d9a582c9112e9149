"""The operators' log: one line per page run and per write, errors with their traceback, in text
or JSON, naming users by id and never what they wrote."""

from __future__ import annotations

import io
import json
import logging

import pytest

from data_access.audit import record_write
from data_access.db import write_session
from data_access.logs import LOGGER, configure_logging
from data_access.models import Role
from sample_data import DEMO_USERNAMES
from tests.test_app import app_env, demo_url, login  # noqa: F401 - fixtures


@pytest.fixture
def log_stream():
    stream = io.StringIO()
    yield stream
    logging.getLogger(LOGGER).handlers[:] = [logging.NullHandler()]


def test_a_committed_write_is_one_json_line_with_action_kind_and_user(fresh_db, log_stream):
    configure_logging("INFO", "json", log_stream)
    with write_session(fresh_db) as session, session.begin():
        record_write(session, 7, action="aangemaakt", entity="gesprek", entity_id=12, after={"verslag": "geheim"})
    line = json.loads(log_stream.getvalue())
    assert {k: line[k] for k in ("niveau", "logger", "bericht", "actie", "entiteit", "gebruiker", "uitkomst")} == {
        "niveau": "INFO", "logger": "stagebegeleiding.schrijven", "bericht": "opgeslagen", "actie": "aangemaakt",
        "entiteit": "gesprek", "gebruiker": 7, "uitkomst": "opgeslagen"}
    assert "geheim" not in log_stream.getvalue()


def test_a_rolled_back_write_is_logged_as_such_in_text(fresh_db, log_stream):
    configure_logging("INFO", "text", log_stream)
    with pytest.raises(RuntimeError), write_session(fresh_db) as session, session.begin():
        record_write(session, 7, action="aangemaakt", entity="gesprek", entity_id=12)
        raise RuntimeError("halverwege mis")
    assert log_stream.getvalue().rstrip().endswith(
        "WARNING stagebegeleiding.schrijven teruggedraaid actie=aangemaakt entiteit=gesprek gebruiker=7 uitkomst=teruggedraaid")


def test_the_level_setting_silences_info(fresh_db, log_stream):
    configure_logging("WARNING", "text", log_stream)
    with write_session(fresh_db) as session, session.begin():
        record_write(session, 7, action="aangemaakt", entity="gesprek", entity_id=12)
    assert log_stream.getvalue() == ""


def _records(at_run) -> list[logging.LogRecord]:
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logging.getLogger(LOGGER).addHandler(handler)
    try:
        at_run()
    finally:
        logging.getLogger(LOGGER).removeHandler(handler)
    return records


def test_every_page_run_is_one_line_with_user_page_and_duration(app_env):
    at = login(DEMO_USERNAMES[Role.INSTITUUTSOPLEIDER])
    records = _records(at.run)
    pages = [r for r in records if r.name == "stagebegeleiding.pagina"]
    assert [(r.getMessage(), r.pagina, r.gebruiker) for r in pages] == [("pagina", "Cohorten", at.session_state["viewer"].user_id)]
    assert isinstance(pages[0].duur_ms, int)


@pytest.mark.parametrize("raising", [True, False])
def test_a_page_error_goes_to_the_log_with_traceback_and_the_user_reads_dutch(app_env, monkeypatch, raising):
    at = login(DEMO_USERNAMES[Role.INSTITUUTSOPLEIDER])

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("kapot")

    monkeypatch.setattr("dashboard.data.stage_progress", broken)
    if not raising:
        monkeypatch.delenv("STAGE_RAISE_ERRORS")
    records = _records(at.run)
    errors = [r for r in records if r.getMessage() == "paginafout"]
    assert len(errors) == 1 and errors[0].exc_info[0] is ZeroDivisionError
    assert [e.value for e in at.error] == [
        "Deze pagina kon niet worden getoond door een fout in de toepassing. Probeer het later opnieuw; "
        "de beheerder vindt de fout in het log."]
    assert bool(at.exception) is raising  # only the test suite sees the exception itself
