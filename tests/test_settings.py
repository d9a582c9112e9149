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
