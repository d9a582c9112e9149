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
    PageSpec("stages.py", "Stages", ":material/event_available:", "Monitoring", frozenset({R.INSTITUUTSOPLEIDER, R.BEHEERDER})),
    PageSpec("stageplansjablonen.py", "Stageplansjablonen", ":material/assignment:", "Monitoring", frozenset({R.INSTITUUTSOPLEIDER, R.BEHEERDER})),
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
# The committee comes for its sites and meetings: that section is its first (and landing) page.
FIRST_SECTION = {R.STAGECOMMISSIE: "Stageplaatsen"}
MEETING_PAGE = "vergadering.py"


def specs_for(role: Role, *, must_change_password: bool = False) -> list[PageSpec]:
    """The pages of a role, in menu order; only the account page while a new password is due."""
    if must_change_password:
        return [p for p in PAGES if p.file == ACCOUNT_PAGE]
    specs = [p for p in PAGES if role in p.roles]
    first = FIRST_SECTION.get(role)
    return sorted(specs, key=lambda p: p.section != first) if first else specs


def pages_for(role: Role, *, must_change_password: bool = False) -> dict[str, list[st.Page]]:
    specs = specs_for(role, must_change_password=must_change_password)
    sections: dict[str, list[st.Page]] = {specs[0].section: [_start_page(specs[0], role)]}
    for spec in specs:
        page = st.Page(str(PAGES_DIR / spec.file), title=spec.title, icon=spec.icon)
        sections.setdefault(spec.section, []).append(page)
    return sections


def _start_page(first: PageSpec, role: Role) -> st.Page:
    """The default page, hidden, which only passes on to the role's first page (the committee:
    to the meeting being held, when one is). Streamlit serves the default page at "/" and not
    at its own path, so if the first page were the default, a bookmark of it (/cohorten) would
    open with "page not found"."""

    def start() -> None:
        if role in FIRST_SECTION:
            from dashboard.meetings import current_meeting_id  # the page modules import this one

            held = current_meeting_id(st.session_state["viewer"])
            if held is not None:
                st.switch_page(str(PAGES_DIR / MEETING_PAGE), query_params={"vergadering": str(held)})
        open_page(first.file)

    return st.Page(start, title="Start", default=True, visibility="hidden")


def all_pages() -> list[st.Page]:
    """Every page once (for routing before login; nothing is shown or run from it)."""
    files = dict.fromkeys(spec.file for spec in PAGES)
    return [st.Page(str(PAGES_DIR / file)) for file in files]


def open_dossier(aios_id: int, stage_id: int | None = None, carry: dict[str, str] | None = None) -> None:
    """Go to the aiosdossier of one aios (and stage); the ids go in the URL, so it can be shared
    and bookmarked, and access is checked again by the page's queries. `carry`: the calling
    page's own URL parameters, which the browser's Back must find again (Streamlit's Back returns
    to the calling page with the parameters of this switch)."""
    params = {"aios": str(aios_id)} | ({"stage": str(stage_id)} if stage_id is not None else {}) | (carry or {})
    st.switch_page(str(PAGES_DIR / DOSSIER_PAGE), query_params=params)


def open_gesprek_form() -> None:
    open_page("gesprek_vastleggen.py")


def open_page(file: str) -> None:
    """Go to another page with an address of its own. Given no parameters, st.switch_page clears
    the address and refuses while a widget is bound to it (a chosen tab, ?tabblad=…, from
    dashboard.layout.lazy_tabs): "Corrigeren" on the dossier's Verslagen tab crashed. An empty
    set of parameters replaces them instead, and the tab's binding ends with its page."""
    st.switch_page(str(PAGES_DIR / file), query_params={})
