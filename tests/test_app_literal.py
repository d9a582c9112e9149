"""User text is text, in every page of every role (AppTest).

Every free-text and name field of a demo database starts with a formula and a payload of
markdown, a Streamlit colour, a link, an external image and HTML. In every element that
Streamlit renders as markdown the payload may only appear in its literal() form; in every
element shown as plain text (st.text, multiselect options, charts) only as typed. The browser
test (tests/test_browser_literal.py) checks what Chromium shows and that nothing loads."""

from __future__ import annotations


from urllib.parse import quote

import pytest
import streamlit as st
from google.protobuf.json_format import MessageToDict

from dashboard.navigation import PAGES_DIR, specs_for
from dashboard.testing import lazy_tab_labels, login_through_form, open_tab
from dashboard.text import literal
from data_access.models import Role
from sample_data import DEMO_PASSWORD, DEMO_USERNAMES
from tests.payload import MARK, PAYLOAD, poisoned_demo_database

TIMEOUT = 60
# Elements whose strings the browser shows as plain text (never markdown).
PLAIN_ELEMENTS = {"text", "code", "arrow_data_frame", "dataframe", "json", "arrow_vega_lite_chart",
                  "vega_lite_chart", "exception", "html"}
# Fields of markdown-rendering widgets that are shown as plain text (checked in Chromium).
PLAIN_FIELDS = {("multiselect", "options"), ("multiselect", "default"), ("multiselect", "rawValues"),
                ("text_area", "value"), ("text_area", "default"), ("text_input", "value"), ("text_input", "default"),
                ("text_area", "placeholder"), ("text_input", "placeholder"), ("selectbox", "placeholder"),
                ("multiselect", "placeholder")}
# Fields that are addresses: user text may be in them only percent-encoded (a mailto: subject).
URL_FIELDS = {("link_button", "url")}


@pytest.fixture(scope="module")
def poisoned_url(tmp_path_factory, demo_template):
    return poisoned_demo_database(demo_template, tmp_path_factory.mktemp("literal"))


@pytest.fixture
def poisoned_app(poisoned_url, monkeypatch):
    monkeypatch.setenv("STAGE_DB_URL", poisoned_url)
    monkeypatch.setenv("STAGE_DEMO_MODE", "true")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def _strings(value, path=()):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, (*path, k))
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, path)


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def shown_strings(at) -> tuple[list[str], list[str], list[str]]:
    """(strings Streamlit renders as markdown, strings it shows as plain text, addresses) on
    this page."""
    markdown, plain, urls = [], [], []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "DESCRIPTOR"):
            continue
        kind = getattr(node, "type", "")
        if kind == "table":  # st.table cells render markdown
            markdown += [str(v) for v in node.value.to_numpy().ravel() if isinstance(v, str)]
            continue
        for path, text in _strings(MessageToDict(proto, preserving_proto_field_name=False)):
            field = (kind, path[-1] if path else "")
            is_plain = kind in PLAIN_ELEMENTS or field in PLAIN_FIELDS
            (urls if field in URL_FIELDS else plain if is_plain else markdown).append(text)
    return markdown, plain, urls


@pytest.mark.parametrize("role", list(Role))
def test_user_text_shows_literally_in_every_page(poisoned_app, role):
    escaped = literal(PAYLOAD)
    at = login_through_form(DEMO_USERNAMES[role], DEMO_PASSWORD, TIMEOUT)
    assert not at.exception
    for spec in specs_for(role):
        at.switch_page(str(PAGES_DIR / spec.file))
        at.run()
        # The page as it opens, then each of its other tabs (a tab runs only when chosen).
        for tab in ["", *lazy_tab_labels(at)[1:]]:
            if tab:
                open_tab(at, tab)
            where = (spec.file, tab)
            assert not at.exception, (where, at.exception)
            markdown, plain, urls = shown_strings(at)
            assert [u for u in urls if u.count(MARK) != u.count(quote(PAYLOAD, safe=""))] == [], where
            assert [s for s in markdown if s.count(MARK) != s.count(escaped)] == [], where
            assert [s for s in plain if s.count(MARK) != s.count(PAYLOAD)] == [], where
            assert any(escaped in s for s in markdown), where  # at least the user's own name
