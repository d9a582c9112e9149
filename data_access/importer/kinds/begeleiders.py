"""Begeleiders: a user account with the stagebegeleider role, by gebruikersnaam (the natural
key, lowered), and the stageplaatsen they are linked to. Links are only added here, never
removed: a missing code in the file does not take a begeleider's access away.

A role is never granted as a side effect: a row that would make an existing account (an aios,
an opleider, an account whose begeleider role was taken away) a stagebegeleider is refused,
unless the file says so in the column 'extra_rol'; then the plan shows it as a grant of access."""

from __future__ import annotations

import re

from sqlalchemy import insert, select, update

from data_access.importer.people import check_email, email_owners
from data_access.importer.plan import (
    CREATE,
    SAME,
    UPDATE,
    Context,
    Plan,
    Row,
    diff,
    find_all_by_keys,
    find_by_keys,
    mentioned,
)
from data_access.models import BegeleiderStageplaats, Role, Stagebegeleider, Stageplaats, UserAccount, UserRole

EXTRA_ROLE = "extra_rol"
COLUMNS = ["gebruikersnaam*", "naam*", "e-mail", "functie", "stageplaatsen", EXTRA_ROLE]
EXAMPLE = ["jbakker", "Jan Bakker", "jan@voorbeeld.nl", "jeugdarts", "SP001; SP002", ""]
NOTES = {"stageplaatsen": "Codes van de stageplaatsen waaraan de begeleider gekoppeld wordt, gescheiden door ; of ,. "
                          "Bestaande koppelingen blijven staan.",
         EXTRA_ROLE: "Leeg laten, behalve om een bestaand account met een andere rol (bijvoorbeeld een aios) bewust "
                     "ook stagebegeleider te maken: vul dan 'stagebegeleider' in. Zo'n account krijgt toegang tot de "
                     "aios van zijn stageplaatsen; zonder deze kolom weigert de import de rij."}


def _codes(row) -> list[str]:
    return [c.strip() for c in re.split(r"[;,]", str(row.values.get("stageplaatsen") or "")) if c.strip()]


def _and(items: list[str]) -> str:
    """'a', 'a en b', 'a, b en c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def _sites_text(sites: list[tuple[str, str]]) -> str:
    """(code, name) pairs as a user reads them: 'GGD Noord (S1) en Arbodienst Zuid (S2)'."""
    return _and([f"{name} ({code})" for code, name in sorted(sites)])


def _extra_role(row: Row) -> bool:
    """Whether the row states that the stagebegeleider role may be added to an existing account."""
    value = row.text(EXTRA_ROLE, required=False, limit=40).lower()
    if value and value != Role.STAGEBEGELEIDER.value:
        row.problem(EXTRA_ROLE, f"'{value}' kan hier niet staan: dit bestand geeft alleen de rol stagebegeleider "
                                "(vul 'stagebegeleider' in of laat de kolom leeg).")
    return value == Role.STAGEBEGELEIDER.value


def _refusal(username: str, roles: list[str], sites: list[tuple[str, str]]) -> str:
    has = f"heeft al de rol {_and(roles)}" if roles else "heeft geen rol"
    where = f" bij {_sites_text(sites)}, met toegang tot de aios daar" if sites else ""
    return (f"Gebruiker '{username}' {has}; {'een tweede rol' if roles else 'een rol'} geeft dit bestand alleen met "
            f"een kolom '{EXTRA_ROLE}' waarin 'stagebegeleider' staat. Zonder die kolom zou deze rij '{username}' "
            f"stagebegeleider maken{where}.")


def plan_begeleiders(session, plan: Plan, frame, ctx: Context) -> None:
    rows = list(plan.read_rows(frame, COLUMNS))
    sites = find_by_keys(session, select(Stageplaats.code, Stageplaats.id, Stageplaats.name), Stageplaats.code,
                         {c.lower() for row in rows for c in _codes(row)})
    users = find_by_keys(session, select(UserAccount.username, UserAccount.id, UserAccount.display_name,
                                         UserAccount.email, Stagebegeleider.id.label("begeleider_id"),
                                         Stagebegeleider.function)
                         .outerjoin(Stagebegeleider, Stagebegeleider.user_id == UserAccount.id),
                         UserAccount.username, mentioned(rows, "gebruikersnaam"))
    roles: dict[int, list[str]] = {}
    for user_id, role in find_all_by_keys(session, select(UserRole.user_id, UserRole.role), UserRole.user_id,
                                          {u.id for u in users.values()}):
        roles.setdefault(user_id, []).append(role.value)
    linked = find_all_by_keys(
        session, select(BegeleiderStageplaats.begeleider_id, Stageplaats.id, Stageplaats.code, Stageplaats.name)
        .join(Stageplaats, Stageplaats.id == BegeleiderStageplaats.stageplaats_id),
        BegeleiderStageplaats.begeleider_id, {u.begeleider_id for u in users.values() if u.begeleider_id})
    links = {(r.begeleider_id, r.id) for r in linked}
    owners = email_owners(session, rows)
    seen: dict = {}
    for row in rows:
        username, name = row.text("gebruikersnaam", limit=64), row.text("naam")
        email, function = row.email("e-mail"), row.text("functie", False, 100) or None
        for code in _codes(row):
            if code.lower() not in sites:
                row.problem("stageplaatsen", f"Stageplaats '{code}' bestaat niet.")
        extra_role = _extra_role(row)
        user = users.get(username.lower())
        check_email(row, email, owners, seen, user.id if user else None)
        begeleider_id = user.begeleider_id if user else None
        wanted = {sites[c.lower()] for c in _codes(row) if c.lower() in sites}
        # The role is the file's to give only for a new account, or when 'extra_rol' says so.
        grant = user is not None and Role.STAGEBEGELEIDER.value not in roles.get(user.id, [])
        if grant:
            # The role opens every site the account is linked to: the file's and any kept from before.
            kept = {(r.code, r.name) for r in linked if begeleider_id is not None and r.begeleider_id == begeleider_id}
            reached = {(s.code, s.name) for s in wanted} | kept
            if not extra_role:
                row.problem("gebruikersnaam", _refusal(user.username, sorted(roles.get(user.id, [])), sorted(reached)))
        if not row.ok or not row.first(seen, username.lower()):
            continue
        added = sorted(s.code for s in wanted if (begeleider_id, s.id) not in links)
        values = {"gebruikersnaam": username.lower(), "naam": name, "e-mail": email, "functie": function,
                  "user_id": user.id if user else None, "begeleider_id": begeleider_id,
                  "grant_role": user is None or grant,
                  "stageplaatsen": sorted(s.id for s in wanted if (begeleider_id, s.id) not in links)}
        if user is None:
            plan.add(row, username, CREATE, values)
            continue
        old = {"naam": user.display_name, "e-mail": user.email, "functie": user.function}
        changed = diff(old, {"naam": name, "e-mail": email, "functie": function}, ("e-mail",))
        if added:
            changed["stageplaatsen"] = ("", "+ " + ", ".join(added))
        access = []
        if grant:
            where = f"bij {_sites_text(sorted(reached))}" if reached else "(nog zonder stageplaats)"
            access.append(f"{user.username} krijgt de rol stagebegeleider {where}")
        plan.add(row, user.username, UPDATE if changed or access else SAME, values, user.id, changed, access)


def write_begeleiders(session, changes, tick) -> None:
    for c in changes:
        if c.action == SAME:
            continue
        v = c.values
        user_id, begeleider_id = v["user_id"], v["begeleider_id"]
        if user_id is None:
            user = UserAccount(username=v["gebruikersnaam"], display_name=v["naam"], email=v["e-mail"])
            session.add(user)
            session.flush()
            user_id = user.id
        else:
            session.execute(update(UserAccount).where(UserAccount.id == user_id)
                            .values(display_name=v["naam"], email=v["e-mail"]))
        if v["grant_role"]:  # a new account, or a grant the file states in 'extra_rol' (the plan shows it)
            session.add(UserRole(user_id=user_id, role=Role.STAGEBEGELEIDER))
        if begeleider_id is None:
            begeleider = Stagebegeleider(user_id=user_id, function=v["functie"])
            session.add(begeleider)
            session.flush()
            begeleider_id = begeleider.id
        else:
            session.execute(update(Stagebegeleider).where(Stagebegeleider.id == begeleider_id)
                            .values(function=v["functie"]))
        if v["stageplaatsen"]:
            session.execute(insert(BegeleiderStageplaats), [
                {"begeleider_id": begeleider_id, "stageplaats_id": s} for s in v["stageplaatsen"]])
        tick(1)
