"""Values in an import file: Dutch dates, decimal commas, e-mail addresses, and how numbers and
counts are written back to the user in Dutch."""

from __future__ import annotations

import datetime as dt
import re

from email_validator import EmailNotValidError, validate_email

DAY_MONTH_YEAR = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")
ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def dutch_number(value: float) -> str:
    """0.1 → '0,1'; 1.0 → '1'."""
    return f"{value:g}".replace(".", ",")


def dutch_int(value: int) -> str:
    """100000 → '100.000'."""
    return f"{value:,}".replace(",", ".")


def dutch_date(value: dt.date) -> str:
    return f"{value:%d-%m-%Y}"


def rows_text(n: int) -> str:
    return f"{dutch_int(n)} rij" if n == 1 else f"{dutch_int(n)} rijen"


def parse_date(value: str) -> dt.date:
    """dd-mm-jjjj, d-m-jjjj (also with '/' or '.') or ISO jjjj-mm-dd, with or without a time.
    Raises ValueError with the Dutch message."""
    v = re.sub(r"[/.]", "-", value.split(" ")[0].split("T")[0])
    if m := DAY_MONTH_YEAR.fullmatch(v):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    elif m := ISO.fullmatch(v):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    else:
        raise ValueError(f"'{value}' is geen datum (gebruik dd-mm-jjjj).")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"{value} bestaat niet.") from None


def parse_number(value: str) -> float:
    """A decimal comma or point; thousands separators are not expected in these files."""
    return float(value.replace(",", "."))


def parse_email(value: str) -> str:
    """The address as email-validator normalises it (syntax only: no DNS look-up on import).
    Raises ValueError with the Dutch message."""
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        raise ValueError(f"'{value}' is geen geldig e-mailadres.") from None
