"""E-mail reminders against a real SMTP server on loopback (aiosmtpd): the right people get the
right mails, each thing once (also with two runs at once), a failing server loses nothing.

The fixture on REMIND_DAY (Monday 23-03-2026, ISO week 13) plus three rows added here:
  - gesprek 50: a1's draft on stage 1 (bg1 must confirm it);
  - gesprek 51: a3's draft on stage 3, sent back with a remark (a3 must rewrite it);
  - stage 9: a2 at S2 with bg2, ended 01-03-2026, not rated (a2 must rate the stageplaats).
Due by the flag rules on that day: no gesprek for 10+ days in stages 1, 3 and 4 (bg1, bg2, bg3);
the stageverslag of stages 1 and 4 (due 29-03-2026; a1, a4); five signals each in stage 1
(opl1, cohort MG 2024) and stage 4 (opl2, who follows a4).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import socket
import subprocess
import sys
import threading
from email.policy import default as default_policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from data_access import models as m
from data_access.errors import ValidationError
from data_access.flags import add_flags
from data_access.gesprekken import confirm_gesprek
from data_access.models import AuditLog, GesprekStatus, GesprekType, ReminderSent, StageStatus
from data_access.reminders import run as reminder_run
from data_access.reminders import (
    main,
    load_reminder_preferences,
    send_reminders,
    set_reminder_preference,
)
from data_access.queries.filters import StageSelection
from data_access.queries.progress import load_stage_progress
from data_access.settings import Settings, load_settings
from data_access.viewer import viewer_for
from tests.fixture_data import NAMES, RATINGS, uid

ROOT = Path(__file__).resolve().parent.parent
REMIND_DAY = dt.date(2026, 3, 23)
APP = "https://stage.example.nl"
VERSLAG = "Geheim verslag over de patiënt"
REMARK = "Graag de afspraken concreter maken."

SIGNALS = ("5 nieuwe signalen bij aios die u volgt: 1 × Geen recent gesprek, 1 × Geen recente feedback, "
           "1 × Evaluatiegesprek te laat, 1 × Begeleidingsgesprekken achter, 1 × KPB's achter.")
EXPECTED = {
    # recipient: (subject, the reminder lines between the greeting and the footer)
    "opl1@voorbeeld.nl": ("Stagebegeleiding: nieuwe signalen", [SIGNALS, f"{APP}/cohorten"]),
    "opl2@voorbeeld.nl": ("Stagebegeleiding: nieuwe signalen", [SIGNALS, f"{APP}/cohorten"]),
    "bg1@voorbeeld.nl": ("Stagebegeleiding: 2 herinneringen", [
        "Bij 1 aios die u begeleidt is het wekelijkse gesprek achter (langer dan 10 dagen geen gesprek).",
        f"{APP}/mijn_aios",
        "1 verslag wacht op uw vaststelling.",
        f"{APP}/gesprek_vastleggen",
    ]),
    "bg2@voorbeeld.nl": ("Stagebegeleiding: gesprek achter", [
        "Bij 1 aios die u begeleidt is het wekelijkse gesprek achter (langer dan 10 dagen geen gesprek).",
        f"{APP}/mijn_aios",
    ]),
    "bg3@voorbeeld.nl": ("Stagebegeleiding: gesprek achter", [
        "Bij 1 aios die u begeleidt is het wekelijkse gesprek achter (langer dan 10 dagen geen gesprek).",
        f"{APP}/mijn_aios",
    ]),
    "a1@voorbeeld.nl": ("Stagebegeleiding: stageverslag inleveren", [
        "Uw stageverslag is nog niet ingeleverd (uiterlijk 29-03-2026).", f"{APP}/mijn_stage"]),
    "a2@voorbeeld.nl": ("Stagebegeleiding: stageplaats beoordelen", [
        "1 afgeronde stage wacht op uw beoordeling van de stageplaats.", f"{APP}/stageplaats_beoordelen"]),
    "a3@voorbeeld.nl": ("Stagebegeleiding: verslag teruggestuurd", [
        "1 verslag is met een opmerking aan u teruggestuurd.", f"{APP}/gesprek_vastleggen"]),
    "a4@voorbeeld.nl": ("Stagebegeleiding: stageverslag inleveren", [
        "Uw stageverslag is nog niet ingeleverd (uiterlijk 29-03-2026).", f"{APP}/mijn_stage"]),
}
ITEMS = 5 + 5 + 2 + 1 + 1 + 1 + 1 + 1 + 1


class Inbox:
    """An aiosmtpd handler that keeps what it received, or refuses every mail with 451."""

    def __init__(self, refuse: bool = False, delay: float = 0.0):
        self.refuse = refuse
        self.delay = delay
        self.on_message = None  # called (in the server's thread) after a mail is received
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.refuse:
            return "451 4.3.0 Tijdelijk niet beschikbaar"
        await asyncio.sleep(self.delay)
        msg = email.message_from_bytes(envelope.content, policy=default_policy)
        with self.lock:
            self.messages.append(msg)
        if self.on_message is not None:
            self.on_message(msg)
        return "250 OK"

    def by_recipient(self) -> dict[str, list]:
        out: dict[str, list] = {}
        for msg in self.messages:
            out.setdefault(msg["To"], []).append(msg)
        return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    """A started SMTP server on loopback; yields (inbox, port)."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


def _settings(port: int, **kw) -> Settings:
    return Settings(smtp_host="127.0.0.1", smtp_port=port, mail_from="dashboard@stage.example.nl",
                    app_url=APP + "/", smtp_timeout=5.0, **kw)


@pytest.fixture
def remind_db(fresh_db):
    """The fixture plus a draft to confirm, a returned draft and an ended stage not yet rated."""
    with Session(fresh_db) as s, s.begin():
        s.add(m.Gesprek(id=50, stage_id=1, type=GesprekType.BEGELEIDINGSGESPREK, date=dt.date(2026, 2, 3),
                        author_id=uid("a1"), verslag=VERSLAG, status=GesprekStatus.CONCEPT, version=1,
                        submit_token="concept-50"))
        s.add(m.Gesprek(id=51, stage_id=3, type=GesprekType.BEGELEIDINGSGESPREK, date=dt.date(2026, 2, 24),
                        author_id=uid("a3"), verslag=VERSLAG, status=GesprekStatus.CONCEPT, version=1,
                        submit_token="concept-51", return_remark=REMARK))
        s.add(m.Stage(id=9, aios_id=2, stageplaats_id=2, start_date=dt.date(2025, 12, 1),
                      end_date=dt.date(2026, 3, 1), fte=1.0, status=StageStatus.AFGEROND))
        s.flush()
        s.add(m.StageBegeleider(stage_id=9, begeleider_id=2, is_primary=True))
        s.add(m.Stageplan(id=9, stage_id=9, kpb_target=6, approved_at=dt.date(2025, 12, 1),
                          verslag_due=dt.date(2026, 2, 22), verslag_handed_in=dt.date(2026, 2, 20)))
    return fresh_db


def _body(msg) -> str:
    return msg.get_content().replace("\r\n", "\n")  # SMTP sends CRLF


def _reminder_lines(msg) -> list[str]:
    body = _body(msg).splitlines()
    start = body.index("In het stagebegeleidingsdashboard staat iets voor u klaar:") + 2
    end = next(i for i, line in enumerate(body) if line.startswith("Deze e-mail noemt"))
    return [line.removeprefix("- ").strip() for line in body[start:end] if line.strip()]


def _sent_rows(engine) -> int:
    with Session(engine) as s:
        return s.execute(select(func.count()).select_from(ReminderSent).where(ReminderSent.sent_at.is_not(None))
                         ).scalar_one()


def test_each_person_who_must_act_gets_one_mail_with_counts_and_links(remind_db, smtp):
    inbox, port = smtp
    result = send_reminders(remind_db, REMIND_DAY, _settings(port))
    assert (result.mails, result.items, result.failed_mails) == (len(EXPECTED), ITEMS, 0)
    got = inbox.by_recipient()
    assert sorted(got) == sorted(EXPECTED)  # not admin, not com1
    for to, (subject, lines) in EXPECTED.items():
        (msg,) = got[to]
        assert msg["Subject"] == subject
        assert msg["From"] == "dashboard@stage.example.nl"
        assert _reminder_lines(msg) == lines
        assert _body(msg).startswith("Goedendag,\n")
        assert _body(msg).endswith(f"Mijn account: {APP}/account\n")


def test_no_mail_names_an_aios_or_carries_a_score_or_text(remind_db, smtp):
    inbox, port = smtp
    send_reminders(remind_db, REMIND_DAY, _settings(port))
    forbidden = [*NAMES.values(), VERSLAG, REMARK, "GGD Noord", "Arbodienst Zuid", "Praktijk West",
                 "onvoldoende", "voldoende", "excellent", "Medische kennis",
                 *(comment for *_, comment, _ in RATINGS.values() if comment)]
    assert inbox.messages
    for msg in inbox.messages:
        text = msg.as_string()
        assert [word for word in forbidden if word in text] == []


@pytest.mark.parametrize(("username", "kind"), [("opl1", "flags"), ("opl2", "flags"), ("bg1", "gesprek"),
                                               ("bg2", "gesprek"), ("bg3", "gesprek")])
def test_each_count_is_what_the_recipient_sees_in_their_own_scope(remind_db, smtp, username, kind):
    """The command reads all stages; what it counts for a person is exactly what their own role
    shows them (Cohorten for an opleider, Mijn aios for a begeleider)."""
    inbox, port = smtp
    send_reminders(remind_db, REMIND_DAY, _settings(port))
    own = add_flags(load_stage_progress(remind_db, viewer_for(remind_db, username), StageSelection(today=REMIND_DAY)),
                    REMIND_DAY, Settings().flags)
    expected = int(own["flag_count"].sum()) if kind == "flags" else int(own["flags"].map(lambda f: "gesprek" in f).sum())
    (msg,) = inbox.by_recipient()[f"{username}@voorbeeld.nl"]
    first = _reminder_lines(msg)[0]
    assert first.startswith(f"{expected} nieuwe signalen" if kind == "flags" else f"Bij {expected} aios")


def test_a_second_run_sends_nothing(remind_db, smtp):
    inbox, port = smtp
    send_reminders(remind_db, REMIND_DAY, _settings(port))
    again = send_reminders(remind_db, REMIND_DAY, _settings(port))
    assert (again.mails, again.items) == (0, 0)
    assert len(inbox.messages) == len(EXPECTED)
    assert _sent_rows(remind_db) == ITEMS + 2  # the items and the week markers of opl1 and opl2


def test_who_already_acted_gets_no_reminder(remind_db, smtp):
    inbox, port = smtp
    confirm_gesprek(remind_db, viewer_for(remind_db, "bg1"), 50)
    send_reminders(remind_db, REMIND_DAY, _settings(port))
    (msg,) = inbox.by_recipient()["bg1@voorbeeld.nl"]
    assert msg["Subject"] == "Stagebegeleiding: gesprek achter"
    assert "vaststelling" not in _body(msg)


def test_what_is_done_while_a_run_is_under_way_is_not_mailed(remind_db, smtp, monkeypatch):
    inbox, port = smtp
    monkeypatch.setattr(reminder_run, "REPLAN_AFTER", -1.0)  # re-read what is due before every mail
    confirmed = []

    def confirm_after_the_first_mail(msg) -> None:  # opl1 (user 2) is mailed before bg1 (user 5)
        if not confirmed:
            confirm_gesprek(remind_db, viewer_for(remind_db, "bg1"), 50)
            confirmed.append(msg["To"])

    inbox.on_message = confirm_after_the_first_mail
    send_reminders(remind_db, REMIND_DAY, _settings(port))
    assert confirmed == ["opl1@voorbeeld.nl"]
    (msg,) = inbox.by_recipient()["bg1@voorbeeld.nl"]
    assert msg["Subject"] == "Stagebegeleiding: gesprek achter"
    assert sorted(inbox.by_recipient()) == sorted(EXPECTED)


def test_a_new_thing_later_is_mailed_and_the_old_one_not_again(remind_db, smtp):
    inbox, port = smtp
    send_reminders(remind_db, REMIND_DAY, _settings(port))
    with Session(remind_db) as s, s.begin():  # the aios rewrites: a new draft to confirm
        s.execute(update(m.Gesprek).where(m.Gesprek.id == 50).values(submit_token="concept-50-b"))
    inbox.messages.clear()
    result = send_reminders(remind_db, REMIND_DAY + dt.timedelta(days=1), _settings(port))
    assert (result.mails, result.items) == (1, 1)
    (msg,) = inbox.messages
    assert (msg["To"], _reminder_lines(msg)) == (
        "bg1@voorbeeld.nl", ["1 verslag wacht op uw vaststelling.", f"{APP}/gesprek_vastleggen"])


def test_only_active_accounts_with_an_address_get_mail(remind_db, smtp):
    inbox, port = smtp
    with Session(remind_db) as s, s.begin():
        s.execute(update(m.UserAccount).where(m.UserAccount.id == uid("a4")).values(email=None))
        s.execute(update(m.UserAccount).where(m.UserAccount.id == uid("bg3")).values(active=False))
    send_reminders(remind_db, REMIND_DAY, _settings(port))
    assert sorted(inbox.by_recipient()) == sorted(set(EXPECTED) - {"a4@voorbeeld.nl", "bg3@voorbeeld.nl"})


def test_off_is_off_and_weekly_is_once_a_week(remind_db, smtp):
    inbox, port = smtp
    set_reminder_preference(remind_db, viewer_for(remind_db, "bg1"), "verslag vaststellen", "uit")
    set_reminder_preference(remind_db, viewer_for(remind_db, "bg2"), "gesprek achter", "wekelijks")
    send_reminders(remind_db, REMIND_DAY, _settings(port))
    got = inbox.by_recipient()
    assert got["bg1@voorbeeld.nl"][0]["Subject"] == "Stagebegeleiding: gesprek achter"
    assert "bg2@voorbeeld.nl" in got
    # Later that week a new overdue stage for bg2 waits for next week's mail.
    with Session(remind_db) as s, s.begin():
        s.execute(update(m.Gesprek).where(m.Gesprek.stage_id == 3, m.Gesprek.date > dt.date(2026, 2, 17))
                  .values(date=dt.date(2026, 2, 17)))
    inbox.messages.clear()
    assert send_reminders(remind_db, REMIND_DAY + dt.timedelta(days=2), _settings(port)).mails == 0
    send_reminders(remind_db, REMIND_DAY + dt.timedelta(days=7), _settings(port))
    (msg,) = inbox.by_recipient()["bg2@voorbeeld.nl"]
    assert _reminder_lines(msg)[0].startswith("Bij 1 aios die u begeleidt")


def test_a_refusing_smtp_server_loses_nothing(remind_db, smtp):
    inbox, port = smtp
    inbox.refuse = True
    failed = send_reminders(remind_db, REMIND_DAY, _settings(port))
    assert (failed.mails, failed.failed_mails) == (0, len(EXPECTED))
    with Session(remind_db) as s:
        assert s.execute(select(func.count()).select_from(ReminderSent)).scalar_one() == 0
    inbox.refuse = False
    retried = send_reminders(remind_db, REMIND_DAY, _settings(port))
    assert (retried.mails, retried.items, retried.failed_mails) == (len(EXPECTED), ITEMS, 0)
    assert sorted(inbox.by_recipient()) == sorted(EXPECTED)


def test_a_closed_port_loses_nothing_and_the_command_exits_1(remind_db, smtp, monkeypatch, capsys):
    inbox, port = smtp
    url = remind_db.url.render_as_string(hide_password=False)
    monkeypatch.setenv("STAGE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("STAGE_SMTP_PORT", str(_free_port()))  # nobody listens there
    assert main(["--db-url", url, "--today", REMIND_DAY.isoformat()]) == 1
    assert capsys.readouterr().out.strip() == (
        f"Herinneringen 23-03-2026: 0 e-mails verstuurd met 0 herinneringen. SMTP-server niet bereikbaar: "
        f"{len(EXPECTED)} e-mails niet verstuurd; die volgen bij de volgende run.")
    with Session(remind_db) as s:
        assert s.execute(select(func.count()).select_from(ReminderSent)).scalar_one() == 0
    monkeypatch.setenv("STAGE_SMTP_PORT", str(port))
    assert main(["--db-url", url, "--today", REMIND_DAY.isoformat()]) == 0
    assert capsys.readouterr().out.strip() == (
        f"Herinneringen 23-03-2026: {len(EXPECTED)} e-mails verstuurd met {ITEMS} herinneringen.")
    assert sorted(inbox.by_recipient()) == sorted(EXPECTED)


def test_dry_run_counts_and_records_nothing(remind_db, smtp, monkeypatch, capsys):
    inbox, port = smtp
    monkeypatch.setenv("STAGE_SMTP_PORT", str(port))
    url = remind_db.url.render_as_string(hide_password=False)
    assert main(["--db-url", url, "--today", REMIND_DAY.isoformat(), "--dry-run"]) == 0
    assert capsys.readouterr().out.strip() == (
        f"Proefdraai 23-03-2026: {len(EXPECTED)} e-mails met {ITEMS} herinneringen zouden verstuurd "
        "worden; niets verstuurd of vastgelegd.")
    assert inbox.messages == []
    with Session(remind_db) as s:
        assert s.execute(select(func.count()).select_from(ReminderSent)).scalar_one() == 0


def test_two_runs_at_once_mail_each_item_once(remind_db, smtp):
    inbox, port = smtp
    inbox.delay = 0.05  # both runs are busy sending at the same time
    start = threading.Barrier(2)
    results = []

    def run() -> None:
        start.wait()
        results.append(send_reminders(remind_db, REMIND_DAY, _settings(port)))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.items for r in results) == ITEMS
    assert sum(r.failed_mails for r in results) == 0
    assert sorted(msg["To"] for msg in inbox.messages) == sorted(EXPECTED)
    assert _sent_rows(remind_db) == ITEMS + 2


def test_a_claim_left_by_a_crashed_run_is_retried_after_an_hour(remind_db, smtp):
    inbox, port = smtp
    stale = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(hours=2)
    with Session(remind_db) as s, s.begin():
        s.add(ReminderSent(user_id=uid("a2"), kind=m.ReminderKind.STAGEPLAATS_BEOORDELEN, thing_key="stage:9",
                           claimed_at=stale))
    send_reminders(remind_db, REMIND_DAY, _settings(port))
    assert "a2@voorbeeld.nl" in inbox.by_recipient()


def test_preferences_are_own_per_role_with_defaults_and_audited(remind_db):
    opl1 = viewer_for(remind_db, "opl1")
    assert load_reminder_preferences(remind_db, opl1).to_dict("records") == [
        {"kind": "signalen", "omschrijving": "Nieuwe signalen in uw cohorten (weekoverzicht)",
         "frequentie": "wekelijks"}]
    bg1 = viewer_for(remind_db, "bg1")
    assert load_reminder_preferences(remind_db, bg1)["frequentie"].tolist() == ["direct", "direct", "direct"]
    set_reminder_preference(remind_db, bg1, "gesprek achter", "wekelijks")
    set_reminder_preference(remind_db, bg1, "gesprek achter", "uit")
    assert load_reminder_preferences(remind_db, bg1)["frequentie"].tolist() == ["uit", "direct", "direct"]
    with pytest.raises(ValidationError, match="hoort niet bij uw rol"):
        set_reminder_preference(remind_db, bg1, "signalen", "uit")
    with pytest.raises(ValidationError):
        set_reminder_preference(remind_db, bg1, "gesprek achter", "maandelijks")
    with Session(remind_db) as s:
        audit = s.execute(select(AuditLog.user_id, AuditLog.entity, AuditLog.before, AuditLog.after)
                          .where(AuditLog.entity == "herinnering").order_by(AuditLog.id)).all()
    assert [(a.user_id, a.before["frequentie"], a.after["frequentie"]) for a in audit] == [
        (uid("bg1"), "direct", "wekelijks"), (uid("bg1"), "wekelijks", "uit")]


def test_smtp_settings_come_from_the_environment(tmp_path):
    env = {"STAGE_SMTP_HOST": "mail.example.nl", "STAGE_SMTP_PORT": "587", "STAGE_SMTP_STARTTLS": "true",
           "STAGE_SMTP_USER": "dashboard", "STAGE_SMTP_PASSWORD": "geheim", "STAGE_MAIL_FROM": "noreply@example.nl",
           "STAGE_APP_URL": "https://stage.example.nl"}
    s = load_settings(environ=env, secrets_path=tmp_path / "missing.toml")
    assert (s.smtp_host, s.smtp_port, s.smtp_starttls, s.smtp_user, s.smtp_password, s.mail_from, s.app_url) == (
        "mail.example.nl", 587, True, "dashboard", "geheim", "noreply@example.nl", "https://stage.example.nl")


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # loopback test server
def test_the_command_logs_in_with_the_configured_user_and_password(remind_db):
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=auth_data.password == b"geheim")

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(), authenticator=authenticator,
                            auth_required=True, auth_require_tls=False)  # loopback only
    controller.start()
    try:
        wrong = send_reminders(remind_db, REMIND_DAY, _settings(controller.port, smtp_user="dashboard",
                                                                 smtp_password="fout"))
        right = send_reminders(remind_db, REMIND_DAY, _settings(controller.port, smtp_user="dashboard",
                                                                 smtp_password="geheim"))
    finally:
        controller.stop()
    assert (wrong.mails, wrong.unsent) == (0, len(EXPECTED))  # the run stops at the refused login
    assert (right.mails, right.failed_mails, right.unsent) == (len(EXPECTED), 0, 0)
    assert logins[0] == ("dashboard", "fout") and logins[-1] == ("dashboard", "geheim")


def test_starttls_asked_of_a_server_without_it_sends_nothing_in_the_clear(remind_db, smtp):
    inbox, port = smtp
    result = send_reminders(remind_db, REMIND_DAY, _settings(port, smtp_starttls=True))
    assert (result.mails, result.unsent) == (0, len(EXPECTED))
    assert inbox.messages == []
    with Session(remind_db) as s:
        assert s.execute(select(func.count()).select_from(ReminderSent)).scalar_one() == 0


def test_history_older_than_the_window_is_not_reminded(remind_db, smtp):
    """Stage 8 ended in 2024: without its rating (an import of history) nobody is mailed about it."""
    inbox, port = smtp
    with Session(remind_db) as s, s.begin():
        s.execute(m.StageplaatsRating.__table__.delete().where(m.StageplaatsRating.stage_id == 8))
    send_reminders(remind_db, REMIND_DAY, _settings(port))
    assert [_reminder_lines(msg) for msg in inbox.by_recipient()["a1@voorbeeld.nl"]] == [
        ["Uw stageverslag is nog niet ingeleverd (uiterlijk 29-03-2026).", f"{APP}/mijn_stage"]]


def test_python_dash_m_runs_the_command(remind_db):
    url = remind_db.url.render_as_string(hide_password=False)
    done = subprocess.run([sys.executable, "-m", "data_access.reminders", "--db-url", url, "--today", "2026-03-23",
                           "--dry-run"], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, (
        f"Proefdraai 23-03-2026: {len(EXPECTED)} e-mails met {ITEMS} herinneringen zouden verstuurd worden; "
        "niets verstuurd of vastgelegd."))
