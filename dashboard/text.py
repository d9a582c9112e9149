"""User text is text: everything a user or an import typed is shown as typed.

Streamlit renders markdown, with its own additions (`:red[..]` colours, `:smile:` emoji,
`:material/..:` icons, `$..$` LaTeX, GitHub autolinks of bare addresses), in st.markdown,
captions, titles, alerts, metric labels and values, widget labels, radio options, the chosen
value of a selectbox, tab and expander labels, progress texts and st.table cells (checked in
Chromium with Streamlit 1.67). Multiselect chips and the open list of a selectbox show plain
text. `literal` turns a string into markdown that every one of these shows as typed, and that
loads nothing and links nowhere:

- a backslash before each character that starts inline markup (CommonMark lets any ASCII
  punctuation be escaped): `\\ * ~ ` [ ] < > $ |`, `_` at a word's edge, `&` before an
  entity, a colon next to a word (Streamlit's directives, emoji and icons), and the block
  markers at the start of a line (`#`, `-`, `+`, `=`, `>`, `1.`);
- a WORD JOINER (U+2060, invisible and zero-width) after `www`, in `://`, after `@` and
  between a colon and a letter (`:material/flag:` icons are found in the text, too):
  GitHub autolinks are found in the text after escapes are resolved, so no escape stops them.

Everything else (letters, digits, `.`, `-`, `(`, `)`, `&` and `_` inside a line or word) is left
alone, so a name such as "Anna de Vries-Jansen (MG 2024)" or "Arts M&G" also reads cleanly in
the open selectbox list, which shows the string as it is. Our own markdown goes around it: `st.markdown(f"**{literal(name)}**")`.
"""

from __future__ import annotations

import re

import pandas as pd

JOINER = "\u2060"
# `_` only where it can open or close emphasis (not inside a word: "jan_de_vries" stays), `&`
# only before an entity ("M&G" stays, "&amp;" is escaped).
_INLINE = re.compile(r"[\\*~`\[\]<>$|]|(?<![^\W_])_|_(?![^\W_])|&(?=#?\w+;)|:(?=[\w+\-/])|(?<=[\w+\-]):")
_LINE_START = re.compile(r"^(\s*)([#\-+=]|\d+(?=[.)]))", re.MULTILINE)
_AUTOLINK = re.compile(r"(?i)(?<=www)(?=\.)|(?<=:)(?=//|[a-z])|(?<=@)")


def literal(value: object) -> str:
    """`value` as markdown that renders exactly as the characters it holds (plus invisible
    word joiners that stop autolinks)."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INLINE.sub(lambda m: "\\" + m.group(0), text)
    text = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2) if not m.group(2)[0].isdigit()
                           else m.group(1) + m.group(2) + "\\", text)
    text = _AUTOLINK.sub(JOINER, text)
    return text.replace("\n", "  \n")


def shown(text: str) -> str:
    """What a reader sees of `literal(text)`: the text without the invisible joiners (for tests)."""
    return text.replace(JOINER, "")


def literal_labels(labels: dict) -> dict:
    """A format_func mapping (id → label) with every label made literal."""
    return {key: literal(label) for key, label in labels.items()}


def literal_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame for st.table (whose cells render markdown), its text cells made literal."""
    return frame.apply(lambda col: col.map(lambda v: literal(v) if isinstance(v, str) else v))
