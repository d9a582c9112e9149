"""Configuration in one place: environment first, then `.streamlit/secrets.toml`, then defaults.

The secrets file is read with tomllib rather than `st.secrets` so that this package imports
without Streamlit and a missing file is simply "no secrets" (st.secrets raises instead).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "stagebegeleiding.sqlite"
DEFAULT_COOKIE_KEY = "demo-cookie-key-change-me-it-is-not-secret"
# HS256 wants a key at least as long as its hash (RFC 7518 §3.2); a shorter one is guessable offline
# from any cookie, and whoever guesses it can sign a cookie for any username.
MIN_COOKIE_KEY_BYTES = 32


@dataclass(frozen=True)
class FlagThresholds:
    """When the cohort overview raises a flag; guidelines, configurable per installation."""

    days_without_gesprek: int = 10  # weekly begeleidingsgesprek, with a few days' grace
    days_without_feedback: int = 21
    # Weekly begeleidingsgesprekken a stage may miss before it is flagged (one slipped week is
    # ordinary; a pattern is not).
    begeleidingsgesprekken_tolerance: int = 1
    stageplan_approval_weeks: int = 1


@dataclass(frozen=True)
class Settings:
    db_url: str = f"sqlite:///{DEFAULT_DB_PATH}"
    cookie_name: str = "stagebegeleiding_auth"
    cookie_key: str = DEFAULT_COOKIE_KEY
    # Short on purpose: the cookie is readable by the page's JavaScript (see dashboard/auth.py).
    cookie_expiry_days: float = 0.5
    # Secure flag on the login cookie: None (default) sets it whenever the page is served over
    # HTTPS (decided in the browser); true always; false never.
    cookie_secure: bool | None = None
    # Behind a trusted reverse proxy, the header with the client's address (e.g.
    # "X-Forwarded-For"; its last entry is the one the proxy saw). Empty: the connection's address.
    client_ip_header: str = ""
    # Site ratings and their comments appear only from this many ratings on (DOMAIN.md).
    anonymity_threshold: int = 3
    # A rubric criterion with fewer scores shows "te weinig gegevens" instead of a distribution.
    rubric_min_n: int = 5
    # A rater is called lenient or strict only from this many scores on a criterion (both sides).
    calibration_min_n: int = 10
    # A site or begeleider is ranked among the lowest feedback only from this many aios-weeks.
    feedback_min_aios_weeks: int = 8
    # A feedback request not answered (nor declined) within this many days counts as "verlopen".
    feedback_request_expiry_days: int = 14
    # Each feedback request mails the begeleider. An aios may have at most this many open requests
    # (neither answered nor declined, "verlopen" ones too) with one begeleider in one stage; another
    # is refused until the begeleider answers or declines one.
    feedback_request_open_limit: int = 3
    # ... and may ask at most this many feedback requests per day, all begeleiders together.
    feedback_request_day_limit: int = 10
    # A stageplaats whose mean on any dimension (1–5) is below this is flagged.
    site_min_mean: float = 3.0
    # Longest free text a user may type in one field (a verslag, a motivering); longer is refused.
    text_limit: int = 4000
    # How far before the start or after the end of a stage a gesprek may be dated.
    gesprek_date_margin_days: int = 14
    # An import file larger than this, or with a longer line, is refused before it is parsed.
    import_max_bytes: int = 50_000_000
    import_max_line_chars: int = 100_000
    # An uploaded stageverslag (PDF or Word) larger than this is refused with a message.
    stageverslag_max_bytes: int = 10_000_000
    # Operators' log on standard error: level (DEBUG, INFO, WARNING, ERROR) and format (text, json).
    log_level: str = "INFO"
    log_format: str = "text"
    # Demo mode allows the committed cookie key, on a database with the demo accounts only.
    # None (default): on only for the default embedded SQLite file (the README's demo command);
    # any configured database needs STAGE_DEMO_MODE=true to be a demo.
    demo_mode: bool | None = None
    # How people log in: "password" (our own form), "sso" (the institution's OpenID Connect
    # provider through Streamlit's st.login, configured in secrets.toml [auth]) or "both".
    login_methods: str = "password"
    # Which claim of the provider's identity token names the account: "email" (matched with the
    # account's e-mail, case-insensitive) or "sub" (matched with the username).
    sso_claim: str = "email"
    # E-mail reminders (python -m data_access.reminders): SMTP server, sender, and the app's
    # public address for the links in a mail (no content is ever mailed, only a link).
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_timeout: float = 30.0  # seconds per SMTP command before a run gives up
    mail_from: str = "stagebegeleiding@localhost"
    app_url: str = "http://localhost:8501"
    # A stageverslag is reminded from this many days before its due date.
    reminder_verslag_days_before: int = 7
    # Nothing older than this is reminded (no mails about last year's stages after an import).
    reminder_window_days: int = 60
    # "Vandaag" is the date in this time zone (deadlines, due ratings, the date of a hand-in).
    timezone: str = "Europe/Amsterdam"
    # A fixed date for "vandaag" (YYYY-MM-DD) for a training installation or a test run that must
    # not cross midnight; empty: the real date in `timezone`. Never set it on a live installation.
    today: str = ""
    flags: FlagThresholds = field(default_factory=FlagThresholds)


def _read_secrets(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}


def _coerce(raw: object, like: object) -> object:
    if isinstance(like, bool) or like is None:  # None: an optional switch, "auto" by default
        return str(raw).strip().lower() in {"1", "true", "ja", "yes", "on"}
    return type(like)(raw)


def load_settings(
    environ: dict[str, str] | None = None, secrets_path: Path | None = None
) -> Settings:
    """Settings from STAGE_* environment variables, else secrets.toml keys, else defaults.

    Environment `STAGE_DB_URL` or secrets `db_url` (likewise for every field, upper-cased with the
    STAGE_ prefix in the environment); flag thresholds as `STAGE_FLAG_<NAME>` or a `[flags]` table.
    """
    environ = os.environ if environ is None else environ
    secrets = _read_secrets(secrets_path or PROJECT_ROOT / ".streamlit" / "secrets.toml")
    defaults = Settings()

    def pick(name: str, default: object, env_prefix: str, table: dict) -> object:
        env_key = f"{env_prefix}{name.upper()}"
        if env_key in environ and environ[env_key] != "":
            return _coerce(environ[env_key], default)
        if name in table:
            return _coerce(table[name], default)
        return default

    flag_table = secrets.get("flags", {}) if isinstance(secrets.get("flags"), dict) else {}
    flags = FlagThresholds(
        **{
            name: pick(name, getattr(FlagThresholds(), name), "STAGE_FLAG_", flag_table)
            for name in FlagThresholds.__dataclass_fields__
        }
    )
    values = {
        name: pick(name, getattr(defaults, name), "STAGE_", secrets)
        for name in Settings.__dataclass_fields__
        if name != "flags"
    }
    return Settings(**values, flags=flags)


def demo_enabled(settings: Settings, demo_database: bool) -> bool:
    """Whether this installation runs as a demo: asked for (or the untouched default embedded
    database) and the database really holds the demo accounts."""
    if settings.demo_mode is False:
        return False
    if settings.demo_mode is None and settings.db_url != Settings().db_url:
        return False
    return demo_database


def demo_requested(settings: Settings) -> bool:
    """Whether an empty database may be filled with the demo data set at start."""
    return settings.demo_mode is True or (settings.demo_mode is None and settings.db_url == Settings().db_url)


def cookie_key_problem(settings: Settings, demo: bool) -> str | None:
    """Why the app must not start with this cookie key (Dutch), or None when it may."""
    how = (
        "Zet een lange, geheime waarde in de omgevingsvariabele `STAGE_COOKIE_KEY` of als "
        "`cookie_key` in `.streamlit/secrets.toml` (bijvoorbeeld: `python -c \"import secrets; "
        "print(secrets.token_urlsafe(48))\"`)."
    )
    if demo:
        return None
    if settings.cookie_key in ("", DEFAULT_COOKIE_KEY):
        return (
            "De app start niet: er is geen eigen cookiesleutel ingesteld (de meegeleverde sleutel "
            "is alleen voor de demo-database). " + how
        )
    if len(settings.cookie_key.encode("utf-8")) < MIN_COOKIE_KEY_BYTES:
        return f"De app start niet: de cookiesleutel is korter dan {MIN_COOKIE_KEY_BYTES} bytes. " + how
    return None
