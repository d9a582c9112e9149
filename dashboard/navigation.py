"""Which pages each role gets. A page not listed for a role is neither shown nor reachable:
st.navigation only routes to the pages it is given, by URL and by switch_page alike."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from data_access.models import Role

PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"
R = Role


@dataclass(frozen=True)
class PageSpec:
    file: str
    title: str
    icon: str
    section: str
    roles: frozenset[Role]


# The dossier is one page for every role that may open one; it sits in each role's own section.
DOSSIER_PAGE = "aios.py"

PAGES = [
    PageSpec("cohorten.py", "Cohorten", ":material/groups:", "Monitoring", frozenset({R.INSTITUUTSOPLEIDER, R.BEHEERDER})),
    PageSpec(DOSSIER_PAGE, "Aiosdossier", ":material/person_search:", "Monitoring", frozenset({R.INSTITUUTSOPLEIDER, R.BEHEERDER})),
    PageSpec("gesprek_vastleggen.py", "Gesprek vastleggen", ":material/edit_note:", "Monitoring", frozenset({R.INSTITUUTSOPLEIDER})),
    PageSpec("beoordelingen.py", "Beoordelingen", ":material/bar_chart:", "Analyse", frozenset({R.INSTITUUTSOPLEIDER, R.STAGECOMMISSIE, R.BEHEERDER})),
    PageSpec("feedback.py", "Feedback", ":material/forum:", "Analyse", frozenset({R.INSTITUUTSOPLEIDER, R.STAGECOMMISSIE, R.BEHEERDER})),
    PageSpec("stageplaatsen.py", "Stageplaatsen", ":material/apartment:", "Stageplaatsen", frozenset({R.INSTITUUTSOPLEIDER, R.STAGECOMMISSIE, R.BEHEERDER})),
    PageSpec("vergadering.py", "Vergadering", ":material/gavel:", "Stageplaatsen", frozenset({R.STAGECOMMISSIE, R.BEHEERDER})),
    PageSpec("mijn_aios.py", "Mijn aios", ":material/supervisor_account:", "Begeleiding", frozenset({R.STAGEBEGELEIDER})),
    PageSpec(DOSSIER_PAGE, "Aiosdossier", ":material/person_search:", "Begeleiding", frozenset({R.STAGEBEGELEIDER})),
    PageSpec("gesprek_vastleggen.py", "Gesprek vastleggen", ":material/edit_note:", "Begeleiding", frozenset({R.STAGEBEGELEIDER})),
    PageSpec("beoordelingen.py", "Beoordelingen", ":material/bar_chart:", "Begeleiding", frozenset({R.STAGEBEGELEIDER})),
    PageSpec("feedback.py", "Feedback", ":material/forum:", "Begeleiding", frozenset({R.STAGEBEGELEIDER})),
    PageSpec("stageplaatsen.py", "Stageplaatsen", ":material/apartment:", "Begeleiding", frozenset({R.STAGEBEGELEIDER})),
    PageSpec("mijn_stage.py", "Mijn stage", ":material/school:", "Mijn stage", frozenset({R.AIOS})),
    PageSpec(DOSSIER_PAGE, "Aiosdossier", ":material/person_search:", "Mijn stage", frozenset({R.AIOS})),
    PageSpec("gesprek_vastleggen.py", "Gesprek vastleggen", ":material/edit_note:", "Mijn stage", frozenset({R.AIOS})),
    PageSpec("stageplaats_beoordelen.py", "Stageplaats beoordelen", ":material/star_rate:", "Mijn stage", frozenset({R.AIOS})),
    PageSpec("gebruikers.py", "Gebruikers", ":material/manage_accounts:", "Beheer", frozenset({R.BEHEERDER})),
    PageSpec("importeren.py", "Importeren", ":material/upload_file:", "Beheer", frozenset({R.BEHEERDER})),
    PageSpec("exporteren.py", "Exporteren", ":material/download:", "Beheer", frozenset({R.BEHEERDER})),
    PageSpec("auditlog.py", "Auditlog", ":material/history:", "Beheer", frozenset({R.BEHEERDER})),
    PageSpec("account.py", "Mijn account", ":material/key:", "Account", frozenset(Role)),
]
ACCOUNT_PAGE = "account.py"


def specs_for(role: Role, *, must_change_password: bool = False) -> list[PageSpec]:
    """The pages of a role, in menu order; only the account page while a new password is due."""
    if must_change_password:
        return [p for p in PAGES if p.file == ACCOUNT_PAGE]
    return [p for p in PAGES if role in p.roles]


def pages_for(role: Role, *, must_change_password: bool = False) -> dict[str, list[st.Page]]:
    specs = specs_for(role, must_change_password=must_change_password)
    sections: dict[str, list[st.Page]] = {specs[0].section: [_start_page(specs[0])]}
    for spec in specs:
        page = st.Page(str(PAGES_DIR / spec.file), title=spec.title, icon=spec.icon)
        sections.setdefault(spec.section, []).append(page)
    return sections


def _start_page(first: PageSpec) -> st.Page:
    """The default page, hidden, which only passes on to the role's first page. Streamlit serves
    the default page at "/" and not at its own path, so if the first page were the default, a
    bookmark of it (/cohorten) would open with "page not found"."""

    def start() -> None:
        st.switch_page(str(PAGES_DIR / first.file))

    return st.Page(start, title="Start", default=True, visibility="hidden")


def all_pages() -> list[st.Page]:
    """Every page once (for routing before login; nothing is shown or run from it)."""
    files = dict.fromkeys(spec.file for spec in PAGES)
    return [st.Page(str(PAGES_DIR / file)) for file in files]


def open_dossier(aios_id: int, stage_id: int | None = None) -> None:
    """Go to the aiosdossier of one aios (and stage); the ids go in the URL, so it can be shared
    and bookmarked, and access is checked again by the page's queries."""
    params = {"aios": str(aios_id)} | ({"stage": str(stage_id)} if stage_id is not None else {})
    st.switch_page(str(PAGES_DIR / DOSSIER_PAGE), query_params=params)


def open_gesprek_form() -> None:
    open_page("gesprek_vastleggen.py")


def open_page(file: str) -> None:
    st.switch_page(str(PAGES_DIR / file))
