"""The documented seam for driving the app server-side (AppTest), for tests and benchmarks:
log in through the real login form, exactly as a user does."""

from __future__ import annotations

from pathlib import Path

from streamlit.proto.Block_pb2 import Block as BlockProto
from streamlit.testing.v1 import AppTest

from dashboard.layout import TAB_PARAM

APP = str(Path(__file__).resolve().parent / "app.py")


def login_through_form(username: str, password: str, timeout: float = 60) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.run()
    fields = {t.label: t for t in at.text_input}
    fields["Gebruikersnaam"].input(username)
    fields["Wachtwoord"].input(password)
    next(b for b in at.button if b.label == "Inloggen").click()
    at.run()
    return at



def lazy_tab_labels(at: AppTest) -> list[str]:
    """The labels of the page's lazy tabs (dashboard.layout.lazy_tabs), the open one first; []
    for a page without them."""
    nodes = [at._tree]
    while nodes:
        node = nodes.pop()
        proto = getattr(node, "proto", None)
        if isinstance(proto, BlockProto) and proto.WhichOneof("type") == "tab_container" \
                and proto.tab_container.query_param_key == TAB_PARAM:
            labels = [child.label for child in node.children.values() if getattr(child, "type", "") == "tab"]
            # The session may still hold the tab of another page: only this page's labels count.
            chosen = at.session_state[TAB_PARAM] if TAB_PARAM in at.session_state else None
            opened = chosen if chosen in labels else labels[0]
            return [opened, *[label for label in labels if label != opened]]
        nodes.extend(getattr(node, "children", {}).values())
    return []


def open_tab(at: AppTest, label: str) -> AppTest:
    """Choose one of the page's lazy tabs, as a click on it does: only the chosen tab runs."""
    at.session_state[TAB_PARAM] = label
    return at.run()
