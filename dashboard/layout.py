"""The shell's layout where Streamlit has no setting: one stylesheet, kept in this module.

- No empty band above the page title: Streamlit pads the page 6rem from the top. On a desktop
  the header is empty (the sidebar holds the menu), so the title starts near the top and the
  header is see-through; on a phone the header holds the menu button and the title starts
  right under it.
- On a phone the menu button says "Menu" (Streamlit draws only an arrow icon; its accessible
  name stays "Menu openen", see dashboard/dutch.py, so the visible word is part of the name),
  and the menu closes once a page is chosen (Streamlit leaves it over the page).
- On a phone a tab with a table starts lower: a tap on a table shows Streamlit's toolbar above
  it, which would otherwise lie over the right end of the tab strip (the tabs there scroll
  sideways and reach the phone's edge).
- A horizontal radio keeps its options on one line (a 1–5 scale at 390 px).
- `wide_only` / `phone_only`: a chart that cannot be read at 390 px is drawn on a wide screen,
  and a table (or a narrow variant) instead on a phone; the server does not know the width.
- `lazy_tabs`: tabs of which only the chosen one runs (see there).
- The login on a phone keyboard: Enter ("Volgende"/"Ga") in the username field goes on to the
  password field; Streamlit would submit the form there with no password. Enter in the password
  field logs in, so logging in needs one tap (the first field) besides the typing.

Streamlit's mobile breakpoint is 768 px (the sidebar overlays the page below it).
Upgrading Streamlit: run tests/test_browser_phone.py, which measures the title's place and the
menu button's text at 390 px.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

PHONE_MAX_PX = 767
TOOLBAR_REM = 2.75  # Streamlit's table toolbar: 44 px above the table's top edge

_STYLE = f"""<style>
[data-testid="stElementContainer"]:has(script[data-stage-keys]) {{ display: none; }}
[data-testid="stMainBlockContainer"] {{ padding-top: 1.5rem; }}
[data-testid="stHeader"] {{ background: transparent; pointer-events: none; }}
[data-testid="stHeader"] button {{ pointer-events: auto; }}
[data-testid="stRadio"] [role="radiogroup"][aria-orientation="horizontal"],
[data-testid="stRadio"] div[role="radiogroup"].stRadio-horizontal {{ flex-wrap: nowrap; column-gap: 0.75rem; }}
[class*="st-key-telefoon-"] {{ display: none; }}
@media (max-width: {PHONE_MAX_PX}px) {{
  [class*="st-key-breed-"] {{ display: none; }}
  [class*="st-key-telefoon-"] {{ display: block; }}
  [data-testid="stMainBlockContainer"] {{ padding-top: 3.25rem; padding-left: 0.75rem; padding-right: 0.75rem; }}
  [data-testid="stHeader"] {{ background: var(--st-background-color, #fff); }}
  h1 {{ font-size: 2rem; }}
  [data-testid="stTabPanel"]:has([data-testid="stDataFrame"]) {{ padding-top: {TOOLBAR_REM}rem; }}
  [data-testid="stExpandSidebarButton"] {{ width: auto; padding: 0.25rem 0.75rem;
    border: 1px solid rgba(49, 51, 63, 0.3); border-radius: 0.5rem; }}
  [data-testid="stExpandSidebarButton"] > * {{ display: none; }}
  [data-testid="stExpandSidebarButton"]::after {{ content: "☰ Menu"; font-size: 1rem; color: rgb(49, 51, 63); }}
}}
</style>"""


_KEYS = """<script data-stage-keys>
(() => {
  if (window.__stageKeys) return;
  window.__stageKeys = true;
  window.addEventListener("click", (event) => {
    if (window.innerWidth > %(phone)d || !event.target.closest('[data-testid="stSidebarNavLink"]')) return;
    const close = document.querySelector('[data-testid="stSidebar"] [data-testid="stSidebarCollapseButton"] button, '
                                         + '[data-testid="stSidebar"] button[aria-expanded="true"]');
    if (close) setTimeout(() => close.click(), 0);
  });
  window.addEventListener("keydown", (event) => {
    const field = event.target;
    if (event.key !== "Enter" || !(field instanceof HTMLInputElement) || field.autocomplete !== "username") return;
    const password = document.querySelector('input[autocomplete="current-password"]');
    if (!password) return;
    event.preventDefault();
    event.stopPropagation();
    password.focus();
  }, true);
})();
</script>"""


def install() -> None:
    """Once per script run, before anything is drawn (it takes no space on the page)."""
    st.html(_STYLE)
    st.html(_KEYS % {"phone": PHONE_MAX_PX}, unsafe_allow_javascript=True)


def wide_only(name: str) -> DeltaGenerator:
    """A container shown on a wide screen only (`with wide_only("heatmap"): ...`)."""
    return st.container(key=f"breed-{name}")


def phone_only(name: str) -> DeltaGenerator:
    """A container shown on a phone only (below 768 px)."""
    return st.container(key=f"telefoon-{name}")


TAB_PARAM = "tabblad"


def lazy_tabs(names: list[str]) -> list:
    """A page's tabs, of which only the chosen one runs: draw each tab's content under
    `if tab.open:`. Streamlit otherwise runs every tab on every run, so a page cost all its tabs
    while the user reads one. The chosen tab is in the address (?tabblad=Trend): Back, reload
    and a shared link open the same tab. One set of these tabs per page."""
    return st.tabs(names, key=TAB_PARAM, bind="query-params")
