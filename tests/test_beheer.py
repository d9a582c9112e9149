"""Beheer: users and roles, the last beheerder, password resets, exports and the audit log."""

import json

import bcrypt
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data_access.accounts import must_change_password
from data_access.beheer import (
    aios_export_json,
    create_user,
    export_aios,
    export_database,
    link,
    load_audit,
    load_users,
    reset_password,
    set_active,
    set_roles,
)
from data_access.errors import AccessDenied, ValidationError
from data_access.models import BegeleiderStageplaats, Role, Stagebegeleider, UserAccount
from data_access.viewer import viewer_for


def test_a_new_user_needs_an_address_no_other_account_has(fresh_db):
    """Single sign-on finds a person by e-mail: a second account with bg1's address would lock bg1
    out (two accounts, nobody logs in) or let the new one in as bg1's double."""
    admin = viewer_for(fresh_db, "admin")
    with pytest.raises(ValidationError) as err:
        create_user(fresh_db, admin, "nieuw", "Nina Nieuw", " BG1@Voorbeeld.nl ", [Role.AIOS])
    assert err.value.fields == {"email": "Het e-mailadres BG1@voorbeeld.nl is al in gebruik bij gebruiker 'bg1'."}
    with pytest.raises(ValidationError) as err:
        create_user(fresh_db, admin, "nieuw", "Nina Nieuw", "geen-adres", [Role.AIOS])
    assert err.value.fields == {"email": "'geen-adres' is geen geldig e-mailadres."}
    with Session(fresh_db) as s:
        assert s.execute(select(UserAccount.id).where(UserAccount.username == "nieuw")).first() is None
    create_user(fresh_db, admin, "nieuw", "Nina Nieuw", "nina@voorbeeld.nl", [Role.AIOS])


def test_a_new_user_gets_roles_links_and_must_change_the_temporary_password(fresh_db):
    admin = viewer_for(fresh_db, "admin")
    with pytest.raises(ValidationError) as err:
        create_user(fresh_db, admin, "bg1", "", None, [])
    assert err.value.fields == {"display_name": "Vul de naam in.", "roles": "Kies minstens één rol.",
                                "username": "De gebruikersnaam 'bg1' is al in gebruik."}
    user_id, password = create_user(fresh_db, admin, "Nieuw.Lid", "Nina Nieuw", "nina@voorbeeld.nl", [Role.STAGEBEGELEIDER])
    assert len(password) == 12
    with Session(fresh_db) as s:
        user = s.get(UserAccount, user_id)
        assert user.username == "nieuw.lid" and bcrypt.checkpw(password.encode(), user.password_hash.encode())
    assert must_change_password(fresh_db, "nieuw.lid")
    link(fresh_db, admin, user_id, stageplaats_ids=[1, 2])
    with Session(fresh_db) as s:
        bid = s.execute(select(Stagebegeleider.id).where(Stagebegeleider.user_id == user_id)).scalar_one()
        assert sorted(s.execute(select(BegeleiderStageplaats.stageplaats_id).where(BegeleiderStageplaats.begeleider_id == bid)).scalars()) == [1, 2]
    users = load_users(fresh_db, admin).set_index("username")
    assert users.loc["nieuw.lid", "roles"] == "stagebegeleider"
    actions = load_audit(fresh_db, admin, entity="user_account")["action"].tolist()
    assert actions == ["gekoppeld", "aangemaakt"]  # newest first


def test_the_last_active_beheerder_cannot_be_removed_or_demoted(fresh_db):
    admin = viewer_for(fresh_db, "admin")
    message = ("Dit is de laatste actieve beheerder: die kan niet worden gedeactiveerd of zijn beheerdersrol "
               "verliezen. Maak eerst een andere beheerder aan.")
    for action in (lambda: set_active(fresh_db, admin, admin.user_id, False),
                   lambda: set_roles(fresh_db, admin, admin.user_id, [Role.INSTITUUTSOPLEIDER])):
        with pytest.raises(ValidationError) as err:
            action()
        assert err.value.fields == {"roles": message}
    create_user(fresh_db, admin, "beheer2", "Tweede Beheer", None, [Role.BEHEERDER])
    set_roles(fresh_db, admin, admin.user_id, [Role.INSTITUUTSOPLEIDER])  # now allowed


def test_a_password_reset_forces_a_change_and_lifts_a_lockout(fresh_db):
    admin = viewer_for(fresh_db, "admin")
    temp = reset_password(fresh_db, admin, 9)
    with Session(fresh_db) as s:
        user = s.get(UserAccount, 9)
        assert bcrypt.checkpw(temp.encode(), user.password_hash.encode())
        assert (user.must_change_password, user.failed_attempts, user.locked_until) == (True, 0, None)
    assert load_audit(fresh_db, admin)["action"].tolist() == ["wachtwoord hersteld"]


@pytest.mark.parametrize("username", ["opl1", "com1", "bg1", "a1"])
def test_only_the_beheerder_manages_users(fresh_db, username):
    with pytest.raises(AccessDenied):
        reset_password(fresh_db, viewer_for(fresh_db, username), 9)


def test_the_full_export_never_contains_a_password_hash(fresh_db):
    admin = viewer_for(fresh_db, "admin")
    reset_password(fresh_db, admin, 9)  # make sure a hash exists
    sheets = export_database(fresh_db, admin)
    assert "password_hash" not in sheets["user_account"].columns
    assert len(sheets["stage"]) == 8 and len(sheets) >= 34  # all tables but the two rating tables, plus Toelichting
    text = json.dumps({k: v.astype(str).values.tolist() for k, v in sheets.items()})
    assert "$2b$" not in text


def test_the_personal_export_holds_everything_about_one_aios(fresh_db):
    sheets = export_aios(fresh_db, viewer_for(fresh_db, "admin"), 1)
    assert sheets["stages"]["id"].tolist() == [1, 5, 8]
    assert len(sheets["gesprekken"]) == 7 and len(sheets["kpb"]) == 2
    assert sheets["account"]["username"].tolist() == ["a1"] and "password_hash" not in sheets["account"].columns
    assert json.loads(aios_export_json(sheets))["stageplaatsbeoordelingen"][0]["stage_id"] in (5, 8)



def test_the_personal_export_finds_every_table_about_the_aios_from_the_schema(fresh_db):
    """A table added later (here the reminder choices) is in the inzage without being listed;
    tables without rows about the aios, and other people's records, are not."""
    from data_access.reminders.preferences import set_reminder_preference

    set_reminder_preference(fresh_db, viewer_for(fresh_db, "a1"), "stageverslag", "uit")
    sheets = export_aios(fresh_db, viewer_for(fresh_db, "admin"), 1)
    assert sheets["reminder_preference"][["kind", "frequency"]].values.tolist() == [["stageverslag", "uit"]]
    assert len(sheets["leerdoel_history"]) == 2 and len(sheets["stageplan"]) == 3 and len(sheets["rubricscores"]) == 10
    assert "commissie_lid" not in sheets and "login_throttle" not in sheets and "stageplaats_rating" not in sheets
    audit = sheets["audit"]
    assert audit[audit["entity"] == "herinnering"]["user_id"].tolist() == [viewer_for(fresh_db, "a1").user_id]

BEHEER_COMMANDS = {
    "create_user": lambda e, v: create_user(e, v, "nieuw", "Nina Nieuw", None, [Role.AIOS]),
    "set_roles": lambda e, v: set_roles(e, v, 9, [Role.BEHEERDER]),
    "set_active": lambda e, v: set_active(e, v, 9, False),
    "reset_password": lambda e, v: reset_password(e, v, 9),
    "link": lambda e, v: link(e, v, 9, stageplaats_ids=[1]),
}


@pytest.mark.parametrize("username", ["opl1", "com1", "bg1", "a1"])
@pytest.mark.parametrize("command", list(BEHEER_COMMANDS))
def test_every_beheer_command_refused_for_another_role_writes_a_geweigerd_audit_row(fresh_db, command, username):
    from sqlalchemy import func

    from data_access.models import AuditLog, UserRole

    viewer = viewer_for(fresh_db, username)
    with pytest.raises(AccessDenied) as err:
        BEHEER_COMMANDS[command](fresh_db, viewer)
    assert str(err.value) == "Alleen de beheerder mag dit."
    with Session(fresh_db) as s:
        audit = s.execute(select(AuditLog.action, AuditLog.entity, AuditLog.entity_id, AuditLog.user_id)).all()
        assert audit == [("geweigerd", "user_account", None if command == "create_user" else 9, viewer.user_id)]
        # nothing else changed: user 9 (a2) is still an active aios with no password
        assert s.execute(select(func.count()).select_from(UserAccount)).scalar_one() == 11
        user = s.get(UserAccount, 9)
        assert (user.active, user.password_hash) == (True, None)
        assert s.execute(select(UserRole.role).where(UserRole.user_id == 9)).scalars().all() == [Role.AIOS]


@pytest.mark.parametrize("command", ["set_roles", "set_active", "reset_password", "link"])
def test_a_beheer_command_on_an_unknown_user_id_says_so_in_dutch(fresh_db, command):
    admin = viewer_for(fresh_db, "admin")
    calls = {
        "set_roles": lambda: set_roles(fresh_db, admin, 999, [Role.AIOS]),
        "set_active": lambda: set_active(fresh_db, admin, 999, False),
        "reset_password": lambda: reset_password(fresh_db, admin, 999),
        "link": lambda: link(fresh_db, admin, 999, cohort_ids=[1]),
    }
    with pytest.raises(ValidationError) as err:
        calls[command]()
    assert err.value.fields == {"_": "Deze gebruiker bestaat niet (meer). Vernieuw de lijst en kies opnieuw."}
    assert load_audit(fresh_db, admin).empty


def test_linking_to_unknown_sites_cohorts_or_aios_records_says_which(fresh_db):
    admin = viewer_for(fresh_db, "admin")
    user_id, _ = create_user(fresh_db, admin, "dubbel", "Dubbel Rol", None, [Role.STAGEBEGELEIDER, Role.INSTITUUTSOPLEIDER])
    with pytest.raises(ValidationError) as err:
        link(fresh_db, admin, user_id, stageplaats_ids=[1, 77], cohort_ids=[88], aios_id=99)
    assert err.value.fields == {"stageplaatsen": "Onbekende stageplaats (id 77).", "cohorten": "Onbekend cohort (id 88).",
                                "aios": "Onbekend aiosdossier (id 99)."}
    assert load_audit(fresh_db, admin)["action"].tolist() == ["aangemaakt"]
