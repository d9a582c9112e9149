"""Who may do what is one declared table (data_access/permissions.py): the README's table is that
table, every row is enforced by a command, no role set lives anywhere else, and a command does
what its row says for every role."""

import re
from pathlib import Path

import pytest

from data_access.errors import AccessDenied
from data_access.models import LeerdoelStatus, Role
from data_access.permissions import Action, may, readme_table
from data_access.stageplan import confirm_leerdoel, set_leerdoel_status
from data_access.stageverslag import load_stageverslag
from data_access.viewer import viewer_for

ROOT = Path(__file__).resolve().parent.parent
CODE = [p for d in ("data_access", "dashboard", "pages") for p in (ROOT / d).rglob("*.py")
        if p.name != "permissions.py"]
# One user per role in the fixture; stage 1 is a1's, with bg1, in a cohort of opl1.
BY_ROLE = {Role.AIOS: "a1", Role.STAGEBEGELEIDER: "bg1", Role.INSTITUUTSOPLEIDER: "opl1",
           Role.STAGECOMMISSIE: "com1", Role.BEHEERDER: "admin"}


def test_the_readme_table_is_the_declared_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Who may do what", 1)[1].split("\n## ", 1)[0]
    table = "\n".join(line for line in section.splitlines() if line.startswith("|"))
    assert table == readme_table()


def test_every_row_is_enforced_by_a_command_in_data_access():
    used = set()
    for path in (ROOT / "data_access").rglob("*.py"):
        used |= set(re.findall(r"Action\.([A-Z_]+)", path.read_text(encoding="utf-8")))
    assert sorted(a.name for a in Action if a.name not in used) == []


def test_no_role_set_lives_outside_the_table():
    """A check "is the viewer's role one of these" is `may(viewer, Action.…)`; a role named on its
    own (`viewer.role is Role.AIOS`) only chooses how an allowed action goes (an aios proposes)."""
    found = []
    for path in CODE:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"viewer\.role (not )?in\b|\{Role\.\w+, Role\.|\(Role\.\w+, Role\.", line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert found == []


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_only_the_roles_in_the_row_confirm_a_proposed_leerdoel_status(fresh_db, role):
    """Leerdoel 2 (stage 1) has a proposal of a1; each role tries to confirm it."""
    set_leerdoel_status(fresh_db, viewer_for(fresh_db, "a1"), 2, LeerdoelStatus.BEHAALD)
    viewer = viewer_for(fresh_db, BY_ROLE[role])
    if may(viewer, Action.LEERDOEL_CONFIRM):
        confirm_leerdoel(fresh_db, viewer, 2)
    else:
        with pytest.raises(AccessDenied):
            confirm_leerdoel(fresh_db, viewer, 2)
    assert sorted(r.value for r in Action.LEERDOEL_CONFIRM.roles) == ["instituutsopleider", "stagebegeleider"]


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_only_the_roles_in_the_row_read_a_stageverslag(fixture_db, role):
    state = load_stageverslag(fixture_db, viewer_for(fixture_db, BY_ROLE[role]), 1)
    assert (state is not None) == may(role, Action.VERSLAG_READ) == (role is not Role.STAGECOMMISSIE)
