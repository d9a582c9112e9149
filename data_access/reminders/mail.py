"""The mail: per kind a count and a link, never a name, a score or a text; and the SMTP client."""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
from collections import defaultdict
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from data_access.flags import FLAG_KINDS
from data_access.models import ReminderKind
from data_access.reminders.kinds import PAGES, SUBJECTS, K, DueItem
from data_access.settings import Settings

def _date_nl(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d-%m-%Y")


def _sentence(kind: ReminderKind, items: list[DueItem], settings: Settings) -> str:
    n = len(items)
    match kind:
        case K.GESPREK_ACHTER:
            return (f"Bij {n} aios die u begeleidt is het wekelijkse gesprek achter "
                    f"(langer dan {settings.flags.days_without_gesprek} dagen geen gesprek).")
        case K.VERSLAG_VASTSTELLEN:
            return "1 verslag wacht op uw vaststelling." if n == 1 else f"{n} verslagen wachten op uw vaststelling."
        case K.VERSLAG_TERUGGESTUURD:
            return ("1 verslag is met een opmerking aan u teruggestuurd." if n == 1
                    else f"{n} verslagen zijn met een opmerking aan u teruggestuurd.")
        case K.STAGEVERSLAG:
            first = _date_nl(min(item.detail for item in items))
            return (f"Uw stageverslag is nog niet ingeleverd (uiterlijk {first})." if n == 1
                    else f"{n} stageverslagen zijn nog niet ingeleverd (het eerste uiterlijk {first}).")
        case K.STAGEPLAATS_BEOORDELEN:
            return ("1 afgeronde stage wacht op uw beoordeling van de stageplaats." if n == 1
                    else f"{n} afgeronde stages wachten op uw beoordeling van de stageplaats.")
        case K.SIGNALEN:
            counts = {flag: sum(1 for item in items if item.detail == flag) for flag in FLAG_KINDS}
            parts = ", ".join(f"{c} × {FLAG_KINDS[flag]}" for flag, c in counts.items() if c)
            head = "1 nieuw signaal" if n == 1 else f"{n} nieuwe signalen"
            return f"{head} bij aios die u volgt: {parts}."
        case K.FEEDBACKVRAGEN:
            return ("1 feedbackvraag van een aios wacht op uw antwoord." if n == 1
                    else f"{n} feedbackvragen van aios wachten op uw antwoord.")
    raise AssertionError(kind)


def compose_mail(to: str, items: list[DueItem], settings: Settings) -> EmailMessage:
    """The mail for one user's claimed items: per kind a count and a link; no names, no scores."""
    by_kind: dict[ReminderKind, list[DueItem]] = defaultdict(list)
    for item in items:
        by_kind[item.kind].append(item)
    kinds = [k for k in K if k in by_kind]
    base = settings.app_url.rstrip("/")
    lines = ["Goedendag,", "", "In het stagebegeleidingsdashboard staat iets voor u klaar:", ""]
    for kind in kinds:
        lines += [f"- {_sentence(kind, by_kind[kind], settings)}", f"  {base}/{PAGES[kind]}", ""]
    lines += [
        "Deze e-mail noemt bewust geen namen en geen beoordelingen; na inloggen ziet u alles.",
        f"Hoe vaak u herinneringen krijgt, kiest u onder Mijn account: {base}/account",
    ]
    msg = EmailMessage()
    msg["Subject"] = ("Stagebegeleiding: " + SUBJECTS[kinds[0]] if len(kinds) == 1
                      else f"Stagebegeleiding: {len(kinds)} herinneringen")
    msg["From"] = settings.mail_from
    msg["To"] = to
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2] or None)
    msg.set_content("\n".join(lines) + "\n")
    return msg


class SmtpUnavailable(Exception):
    """Connecting, STARTTLS or logging in failed: every further mail of this run would fail too."""


class Mailer:
    """One SMTP connection per run, opened on first use and again after a failed mail."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        try:
            smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout)
        except (smtplib.SMTPException, OSError) as exc:
            raise SmtpUnavailable(f"{s.smtp_host}:{s.smtp_port}: {exc}") from exc
        try:
            if s.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password)
        except (smtplib.SMTPException, OSError) as exc:
            smtp.close()
            raise SmtpUnavailable(f"{s.smtp_host}:{s.smtp_port}: {exc}") from exc
        return smtp

    def send(self, msg: EmailMessage) -> None:
        if self.smtp is None:
            self.smtp = self._connect()
        try:
            self.smtp.send_message(msg)
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None
