"""What aios and begeleiders share: an e-mail address belongs to one user, matched trimmed and
case-insensitively, in the database and within the file."""

from __future__ import annotations

from sqlalchemy import select

from data_access.importer.fields import parse_email
from data_access.importer.plan import Row, find_by_keys
from data_access.models import UserAccount


def email_owners(session, rows: list[Row]) -> dict:
    """Lowered e-mail address → (email, id, username) of the users who have one the file names."""
    emails = set()
    for row in rows:
        try:
            emails.add(parse_email(str(row.values.get("e-mail") or "").strip()).lower())
        except ValueError:
            continue
    return find_by_keys(session, select(UserAccount.email, UserAccount.id, UserAccount.username), UserAccount.email,
                        emails)


def check_email(row: Row, email: str | None, owners: dict, seen: dict, own_user_id: int | None) -> None:
    if not email:
        return
    owner = owners.get(email.lower())
    if owner is not None and owner.id != own_user_id:
        row.problem("e-mail", f"Het e-mailadres {email} is al in gebruik bij gebruiker '{owner.username}'.")
    first = seen.setdefault(("e-mail", email.lower()), row.line)
    if first != row.line:
        row.problem("e-mail", f"Dit e-mailadres staat ook in rij {first}.")
