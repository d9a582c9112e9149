"""AppTest: the "E-mailherinneringen" section of Mijn account, per role, saves the user's own choice."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dashboard.navigation import PAGES_DIR
from dashboard.testing import login_through_form
from data_access.db import make_engine
from data_access.models import ReminderFrequency, ReminderKind, ReminderPreference, UserAccount
from sample_data import DEMO_PASSWORD
from tests.test_app import app_env, demo_url  # noqa: F401 - fixtures (a demo database of this module's own)

TIMEOUT = 60


def _account(username: str):
    at = login_through_form(username, DEMO_PASSWORD, TIMEOUT)
    at.switch_page(str(PAGES_DIR / "account.py"))
    at.run()
    assert not at.exception
    return at


def test_begeleider_chooses_per_kind_and_the_choice_is_saved(app_env):
    at = _account("begeleider")
    radios = {r.label: r for r in at.main.radio}
    assert list(radios) == ["Een aios die u begeleidt heeft te lang geen gesprek gehad",
                            "Verslagen die op uw vaststelling wachten",
                            "Feedbackvragen van uw aios die op uw antwoord wachten"]
    assert [r.value for r in radios.values()] == ["direct", "direct", "direct"]
    radios["Verslagen die op uw vaststelling wachten"].set_value("wekelijks")
    radios["Feedbackvragen van uw aios die op uw antwoord wachten"].set_value("uit")
    next(b for b in at.button if b.label == "Herinneringen opslaan").click()
    at.run()
    assert [s.value for s in at.success] == ["Uw keuzes voor e-mailherinneringen zijn opgeslagen."]
    engine = make_engine(app_env)
    with engine.connect() as conn:
        rows = conn.execute(
            select(ReminderPreference.kind, ReminderPreference.frequency)
            .join(UserAccount, UserAccount.id == ReminderPreference.user_id).where(UserAccount.username == "begeleider")
        ).all()
    engine.dispose()
    assert sorted(rows, key=lambda r: r.kind.value) == [
        (ReminderKind.FEEDBACKVRAGEN, ReminderFrequency.UIT), (ReminderKind.VERSLAG_VASTSTELLEN, ReminderFrequency.WEKELIJKS)]


@pytest.mark.parametrize(("username", "labels"), [
    ("aios", ["Uw verslag is teruggestuurd", "Uw stageverslag moet binnenkort ingeleverd worden",
              "Een afgeronde stage wacht op uw beoordeling van de stageplaats"]),
    ("opleider", ["Nieuwe signalen in uw cohorten (weekoverzicht)"]),
    ("commissie", []),
])
def test_each_role_sees_only_its_own_kinds(app_env, username, labels):
    at = _account(username)
    assert [r.label for r in at.main.radio] == labels
    if not labels:
        assert "Voor uw rol zijn er geen e-mailherinneringen." in [c.value for c in at.caption]
