"""Begeleiders: a user account with the stagebegeleider role, by gebruikersnaam (the natural
key, lowered), and the stageplaatsen they are linked to. Links are only added here, never
removed: a missing code in the file does not take a begeleider's access away."""

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
    diff,
    find_all_by_keys,
    find_by_keys,
    mentioned,
)
from data_access.models import BegeleiderStageplaats, Role, Stagebegeleider, Stageplaats, UserAccount, UserRole

COLUMNS = ["gebruikersnaam*", "naam*", "e-mail", "functie", "stageplaatsen"]
EXAMPLE = ["jbakker", "Jan Bakker", "jan@voorbeeld.nl", "jeugdarts", "SP001; SP002"]
NOTES = {"stageplaatsen": "Codes van de stageplaatsen waaraan de begeleider gekoppeld wordt, gescheiden door ; of ,. "
                          "Bestaande koppelingen blijven staan."}


def _codes(row) -> list[str]:
    return [c.strip() for c in re.split(r"[;,]", str(row.values.get("stageplaatsen") or "")) if c.strip()]


def plan_begeleiders(session, plan: Plan, frame, ctx: Context) -> None:
    rows = list(plan.read_rows(frame, COLUMNS))
    sites = find_by_keys(session, select(Stageplaats.code, Stageplaats.id), Stageplaats.code,
                         {c.lower() for row in rows for c in _codes(row)})
    users = find_by_keys(session, select(UserAccount.username, UserAccount.id, UserAccount.display_name,
                                         UserAccount.email, Stagebegeleider.id.label("begeleider_id"),
                                         Stagebegeleider.function)
                         .outerjoin(Stagebegeleider, Stagebegeleider.user_id == UserAccount.id),
                         UserAccount.username, mentioned(rows, "gebruikersnaam"))
    links = set(map(tuple, find_all_by_keys(
        session, select(BegeleiderStageplaats.begeleider_id, BegeleiderStageplaats.stageplaats_id),
        BegeleiderStageplaats.begeleider_id, {u.begeleider_id for u in users.values() if u.begeleider_id})))
    owners = email_owners(session, rows)
    seen: dict = {}
    for row in rows:
        username, name = row.text("gebruikersnaam", limit=64), row.text("naam")
        email, function = row.email("e-mail"), row.text("functie", False, 100) or None
        for code in _codes(row):
            if code.lower() not in sites:
                row.problem("stageplaatsen", f"Stageplaats '{code}' bestaat niet.")
        user = users.get(username.lower())
        check_email(row, email, owners, seen, user.id if user else None)
        if not row.ok or not row.first(seen, username.lower()):
            continue
        begeleider_id = user.begeleider_id if user else None
        wanted = {sites[c.lower()] for c in _codes(row)}
        added = sorted(s.code for s in wanted if (begeleider_id, s.id) not in links)
        values = {"gebruikersnaam": username.lower(), "naam": name, "e-mail": email, "functie": function,
                  "user_id": user.id if user else None, "begeleider_id": begeleider_id,
                  "stageplaatsen": sorted(s.id for s in wanted if (begeleider_id, s.id) not in links)}
        if user is None:
            plan.add(row, username, CREATE, values)
            continue
        old = {"naam": user.display_name, "e-mail": user.email, "functie": user.function}
        changed = diff(old, {"naam": name, "e-mail": email, "functie": function}, ("e-mail",))
        if begeleider_id is None:
            changed["rol"] = ("", "stagebegeleider")
        if added:
            changed["stageplaatsen"] = ("", "+ " + ", ".join(added))
        plan.add(row, user.username, UPDATE if changed else SAME, values, user.id, changed)


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
        if begeleider_id is None:
            session.add(UserRole(user_id=user_id, role=Role.STAGEBEGELEIDER))
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
