"""Logging for operators: one line per page run, per write and per error, as text or JSON.

Level and format come from the settings (`log_level`, `log_format` = text | json); lines go to
standard error, where systemd's journal, docker or a log shipper pick them up. A line names
users by id and records by kind and id, never their content: no names, no verslagen, no scores.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys

LOGGER = "stagebegeleiding"
# Silent until configured (the app configures it; a command-line tool may): no stray lines.
logging.getLogger(LOGGER).addHandler(logging.NullHandler())
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the record's extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "tijd": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "niveau": record.levelname,
            "logger": record.name,
            "bericht": record.getMessage(),
        }
        line.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """`time level logger message key=value …`, with the traceback below an error."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        extra = " ".join(f"{k}={v}" for k, v in vars(record).items() if k not in _STANDARD)
        base = super().format(record)
        if not extra:
            return base
        head, _, tail = base.partition("\n")
        return f"{head} {extra}" + (f"\n{tail}" if tail else "")


def configure_logging(level: str = "INFO", fmt: str = "text", stream=None) -> logging.Logger:
    """Set up the app's logger once per process (calling again replaces its handler)."""
    logger = logging.getLogger(LOGGER)
    logger.setLevel(level.upper())
    logger.propagate = False
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt.lower() == "json" else TextFormatter())
    logger.handlers[:] = [handler]
    return logger


def get_logger(part: str) -> logging.Logger:
    return logging.getLogger(f"{LOGGER}.{part}")


def raise_errors() -> bool:
    """Under the test suite (STAGE_RAISE_ERRORS=1) an error is raised after it is logged and
    shown, so that a test sees it; never set this in production."""
    return os.environ.get("STAGE_RAISE_ERRORS", "") == "1"
