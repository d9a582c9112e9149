"""Settings: environment over secrets.toml over defaults; a missing file is no error."""

from data_access.db import describe_database
from data_access.settings import Settings, load_settings


def test_defaults_without_secrets_file(tmp_path):
    settings = load_settings(environ={}, secrets_path=tmp_path / "missing.toml")
    assert settings == Settings()
    assert settings.db_url.startswith("sqlite:///") and settings.db_url.endswith("data/stagebegeleiding.sqlite")
    assert settings.anonymity_threshold == 3


def test_secrets_file_then_environment(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('db_url = "sqlite:///x.db"\nanonymity_threshold = 5\ndemo_mode = false\n'
                       '[flags]\ndays_without_feedback = 14\n', encoding="utf-8")
    settings = load_settings(environ={}, secrets_path=secrets)
    assert (settings.db_url, settings.anonymity_threshold, settings.demo_mode) == ("sqlite:///x.db", 5, False)
    assert settings.flags.days_without_feedback == 14
    env = {"STAGE_DB_URL": "postgresql+psycopg://u:geheim@db.example:5433/stage",
           "STAGE_ANONYMITY_THRESHOLD": "4", "STAGE_DEMO_MODE": "true", "STAGE_FLAG_DAYS_WITHOUT_FEEDBACK": "7"}
    settings = load_settings(environ=env, secrets_path=secrets)
    assert settings.anonymity_threshold == 4 and settings.demo_mode is True
    assert settings.flags.days_without_feedback == 7
    assert describe_database(settings.db_url) == "PostgreSQL op db.example:5433/stage"
    assert "geheim" not in describe_database(settings.db_url)


def test_demo_mode_is_on_only_for_the_default_embedded_database_unless_asked(tmp_path):
    from data_access.settings import demo_enabled, demo_requested

    default = load_settings(environ={}, secrets_path=tmp_path / "missing.toml")
    assert default.demo_mode is None and demo_requested(default)
    assert demo_enabled(default, demo_database=True)
    assert not demo_enabled(default, demo_database=False)
    configured = load_settings(environ={"STAGE_DB_URL": "postgresql+psycopg://h/stage"}, secrets_path=tmp_path / "x")
    assert not demo_requested(configured) and not demo_enabled(configured, demo_database=True)
    asked = load_settings(environ={"STAGE_DB_URL": "sqlite:///x.db", "STAGE_DEMO_MODE": "true"},
                          secrets_path=tmp_path / "x")
    assert demo_requested(asked) and demo_enabled(asked, demo_database=True)
    assert not demo_enabled(asked, demo_database=False)  # never the committed key on real data
    off = load_settings(environ={"STAGE_DEMO_MODE": "false"}, secrets_path=tmp_path / "x")
    assert not demo_requested(off) and not demo_enabled(off, demo_database=True)


def test_cookie_key_rules_outside_demo_mode():
    from data_access.settings import DEFAULT_COOKIE_KEY, cookie_key_problem

    assert "STAGE_COOKIE_KEY" in cookie_key_problem(Settings(cookie_key=DEFAULT_COOKIE_KEY), demo=False)
    assert "STAGE_COOKIE_KEY" in cookie_key_problem(Settings(cookie_key=""), demo=False)
    assert "korter dan 32 bytes" in cookie_key_problem(Settings(cookie_key="x" * 31), demo=False)
    assert cookie_key_problem(Settings(cookie_key="x" * 32), demo=False) is None
    assert cookie_key_problem(Settings(cookie_key=DEFAULT_COOKIE_KEY), demo=True) is None
