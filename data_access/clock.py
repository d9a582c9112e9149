"""What "vandaag" is: the one source of today's date for the app, its commands and its jobs.

The date in the installation's time zone (Europe/Amsterdam by default), never the server's: a
server on UTC would otherwise date a verslag handed in at 00:30 in Utrecht as yesterday. A
training installation or a test run can fix the date (`STAGE_TODAY`), so that a run that crosses
midnight keeps the day its data was made for. Timestamps (`created_at` and the like) stay in UTC.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from data_access.settings import Settings, load_settings


def today(settings: Settings | None = None, now: dt.datetime | None = None) -> dt.date:
    """The fixed date when one is set, else the date in the installation's time zone at `now`
    (an aware moment; default the current one)."""
    settings = settings or load_settings()
    if settings.today:
        return dt.date.fromisoformat(settings.today)
    return (now or dt.datetime.now(dt.UTC)).astimezone(ZoneInfo(settings.timezone)).date()


def clock_problem(settings: Settings) -> str | None:
    """Why the app must not start with these date settings (Dutch), or None when it may."""
    try:
        ZoneInfo(settings.timezone)
    except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError; a malformed key a ValueError
        return (f"De app start niet: de tijdzone {settings.timezone!r} bestaat niet. Zet in `STAGE_TIMEZONE` "
                "een naam als `Europe/Amsterdam` of `Europe/Brussels`.")
    try:
        if settings.today:
            dt.date.fromisoformat(settings.today)
    except ValueError:
        return (f"De app start niet: {settings.today!r} in `STAGE_TODAY` is geen datum. Schrijf JJJJ-MM-DD "
                "(bijvoorbeeld 2026-11-30), of laat het leeg voor de echte datum.")
    return None
