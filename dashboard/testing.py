"""The documented seam for driving the app server-side (AppTest), for tests and benchmarks:
log in through the real login form, exactly as a user does."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent / "app.py")


def login_through_form(username: str, password: str, timeout: float = 60) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.run()
    fields = {t.label: t for t in at.text_input}
    fields["Gebruikersnaam"].input(username)
    fields["Wachtwoord"].input(password)
    next(b for b in at.button if b.label == "Inloggen").click()
    at.run()
    return at
