"""E-mail reminders to the people who still have to act, sent by a command (cron, systemd timer);
kinds.py names them, due.py reads what is due, preferences.py keeps each user's choice, mail.py
writes and sends, run.py claims once and sends.

    python -m data_access.reminders [--db-url URL] [--today YYYY-MM-DD] [--dry-run]

What is due is read from the database at run time, so someone who already acted gets nothing.
A mail names no aios, no score and no rating content: per kind a count and a link to the page.

Once per thing: before a mail goes, its items are claimed in `reminder_sent` with
INSERT … ON CONFLICT DO NOTHING in a committed transaction; only what this run claimed goes in
the mail, so two runs (or two servers) at once mail each item once. A failed mail deletes its
claims (the next run retries); a run that crashed between claim and send leaves claims without
`sent_at`, which a run after STALE_CLAIM frees again. A weekly kind also claims a marker for the
ISO week, so it is mailed at most once per user, kind and week.
"""

from data_access.reminders.due import due_items
from data_access.reminders.kinds import DEFAULTS, DESCRIPTIONS, FREQUENCY_LABELS, KINDS_BY_ROLE, DueItem
from data_access.reminders.mail import compose_mail
from data_access.reminders.preferences import kinds_for_roles, load_reminder_preferences, set_reminder_preference
from data_access.reminders.run import RunResult, main, plan_mails, send_reminders

__all__ = [
    "DEFAULTS", "DESCRIPTIONS", "FREQUENCY_LABELS", "KINDS_BY_ROLE", "DueItem", "RunResult", "compose_mail",
    "due_items", "kinds_for_roles", "load_reminder_preferences", "main", "plan_mails", "send_reminders",
    "set_reminder_preference",
]
