"""Aios: a user account with the aios role, the programme's registration number (aiosnummer,
the natural key; also the username, lowered), programme and cohort."""

from __future__ import annotations

from sqlalchemy import select, update

from data_access.importer.people import check_email, email_owners
from data_access.importer.plan import CREATE, SAME, UPDATE, Context, Plan, diff, find_by_keys, mentioned
from data_access.models import Aios, Cohort, Opleiding, Role, UserAccount, UserRole

COLUMNS = ["aiosnummer*", "naam*", "e-mail", "opleiding*", "cohort*"]
EXAMPLE = ["A2026001", "Sanne de Vries", "sanne@voorbeeld.nl", "MG", "2026"]
NOTES = {"aiosnummer": "Het registratienummer; wordt ook de gebruikersnaam (in kleine letters).",
         "cohort": "Het startjaar van het cohort, bijvoorbeeld 2026."}


def plan_aios(session, plan: Plan, frame, ctx: Context) -> None:
    rows = list(plan.read_rows(frame, COLUMNS))
    programmes = find_by_keys(session, select(Opleiding.code, Opleiding.id), Opleiding.code, mentioned(rows, "opleiding"))
    cohorts = {(c.opleiding_id, str(c.start_year)): c.id for c in session.execute(
        select(Cohort.id, Cohort.opleiding_id, Cohort.start_year)
        .where(Cohort.opleiding_id.in_([p.id for p in programmes.values()])))}
    numbers = mentioned(rows, "aiosnummer")
    existing = find_by_keys(session, select(Aios.aios_number, Aios.id, Aios.user_id, UserAccount.display_name,
                                            UserAccount.email, Opleiding.code, Cohort.start_year)
                            .join(UserAccount, UserAccount.id == Aios.user_id)
                            .join(Opleiding, Opleiding.id == Aios.opleiding_id)
                            .join(Cohort, Cohort.id == Aios.cohort_id), Aios.aios_number, numbers)
    taken = find_by_keys(session, select(UserAccount.username, UserAccount.id), UserAccount.username, numbers)
    owners = email_owners(session, rows)
    seen: dict = {}
    for row in rows:
        number, name = row.text("aiosnummer", limit=32), row.text("naam")
        email = row.email("e-mail")
        programme = row.lookup("opleiding", programmes, "Opleiding")
        year = row.text("cohort")
        cohort = cohorts.get((programme.id, year)) if programme else None
        if programme and year and cohort is None:
            row.problem("cohort", f"Cohort {year} bestaat niet voor opleiding {programme.code}.")
        current = existing.get(number.lower())
        username = number.lower()
        if current is None and username in taken:
            row.problem("aiosnummer", f"De gebruikersnaam '{username}' is al in gebruik.")
        check_email(row, email, owners, seen, current.user_id if current else None)
        if not row.ok or not row.first(seen, number.lower()):
            continue
        values = {"naam": name, "e-mail": email, "opleiding_id": programme.id, "cohort_id": cohort}
        if current is None:
            plan.add(row, number, CREATE, values | {"aiosnummer": number, "gebruikersnaam": username})
            continue
        old = {"naam": current.display_name, "e-mail": current.email, "opleiding": current.code,
               "cohort": str(current.start_year)}
        changed = diff(old, {"naam": name, "e-mail": email, "opleiding": programme.code, "cohort": year},
                       ("e-mail", "opleiding"))
        plan.add(row, current.aios_number, UPDATE if changed else SAME, values | {"user_id": current.user_id},
                 current.id, changed)


def write_aios(session, changes, tick) -> None:
    for c in changes:
        v = c.values
        if c.action == CREATE:
            user = UserAccount(username=v["gebruikersnaam"], display_name=v["naam"], email=v["e-mail"])
            session.add(user)
            session.flush()
            session.add_all([UserRole(user_id=user.id, role=Role.AIOS),
                             Aios(user_id=user.id, aios_number=v["aiosnummer"], opleiding_id=v["opleiding_id"],
                                  cohort_id=v["cohort_id"])])
        elif c.action == UPDATE:
            session.execute(update(UserAccount).where(UserAccount.id == v["user_id"])
                            .values(display_name=v["naam"], email=v["e-mail"]))
            session.execute(update(Aios).where(Aios.id == c.target_id)
                            .values(opleiding_id=v["opleiding_id"], cohort_id=v["cohort_id"]))
        tick(1)
