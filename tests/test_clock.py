""""Vandaag" is the date in the installation's time zone, or the fixed date a test run sets."""

import datetime as dt

from data_access.clock import clock_problem, today
from data_access.settings import Settings, load_settings

UTC = dt.UTC


def test_today_is_the_date_in_amsterdam_not_on_the_server():
    amsterdam = Settings()  # the default time zone
    # 23:30 UTC in winter is 00:30 in Utrecht: already the next day there.
    assert today(amsterdam, dt.datetime(2026, 11, 30, 23, 30, tzinfo=UTC)) == dt.date(2026, 12, 1)
    assert today(amsterdam, dt.datetime(2026, 11, 30, 22, 59, tzinfo=UTC)) == dt.date(2026, 11, 30)
    # Summer time: two hours ahead.
    assert today(amsterdam, dt.datetime(2026, 7, 1, 22, 0, tzinfo=UTC)) == dt.date(2026, 7, 2)
    assert today(amsterdam, dt.datetime(2026, 7, 1, 21, 59, tzinfo=UTC)) == dt.date(2026, 7, 1)
    assert today(Settings(timezone="UTC"), dt.datetime(2026, 11, 30, 23, 30, tzinfo=UTC)) == dt.date(2026, 11, 30)


def test_a_fixed_date_wins_and_both_are_read_from_the_environment(tmp_path):
    settings = load_settings(environ={"STAGE_TODAY": "2026-03-15", "STAGE_TIMEZONE": "Europe/Brussels"},
                             secrets_path=tmp_path / "missing.toml")
    assert (settings.today, settings.timezone) == ("2026-03-15", "Europe/Brussels")
    assert today(settings, dt.datetime(2026, 11, 30, 23, 30, tzinfo=UTC)) == dt.date(2026, 3, 15)


def test_a_wrong_time_zone_or_date_stops_the_app_with_a_dutch_message():
    assert clock_problem(Settings()) is None
    assert clock_problem(Settings(today="2026-11-30")) is None
    assert clock_problem(Settings(timezone="Europe/Utrecht")) == (
        "De app start niet: de tijdzone 'Europe/Utrecht' bestaat niet. Zet in `STAGE_TIMEZONE` een naam als "
        "`Europe/Amsterdam` of `Europe/Brussels`.")
    assert clock_problem(Settings(timezone="../etc/passwd")).startswith("De app start niet: de tijdzone")
    assert clock_problem(Settings(today="30-11-2026")) == (
        "De app start niet: '30-11-2026' in `STAGE_TODAY` is geen datum. Schrijf JJJJ-MM-DD (bijvoorbeeld "
        "2026-11-30), of laat het leeg voor de echte datum.")
