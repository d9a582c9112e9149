"""Streamlit's own English, in Dutch: one small mechanism, kept in this module.

Streamlit has no setting for its interface language: its toolbars ("Show data", "Download as
CSV", "Fullscreen"), form hints ("Press Enter to submit form"), widget placeholders ("Choose an
option", "yyyy"), aria labels ("Show password", "Link to heading", "Expand sidebar") and the page's
`<html lang="en">` are fixed English strings in its frontend. `install()` adds one script (run
once per browser tab) that sets `lang="nl"` and translates exactly those strings wherever they
appear, in text, placeholders, titles and aria labels, also when Streamlit draws them later
(a tooltip, a menu, a dialog). Only whole strings from the table below are replaced, so nothing
a user typed is ever touched.

Upgrading Streamlit: run tests/test_browser_dutch.py; it visits every page of every role and fails
on any English word it finds, which names the string to add here.
"""

from __future__ import annotations

import json

import streamlit as st

# Whole strings, exactly as Streamlit's frontend writes them.
EXACT: dict[str, str] = {
    # Forms and inputs
    "Press Enter to submit form": "Druk op Enter om te verzenden",
    "Press Ctrl+Enter to submit form": "Druk op Ctrl+Enter om te verzenden",
    "Press ⌘+Enter to submit form": "Druk op ⌘+Enter om te verzenden",
    "Press Enter to apply": "Druk op Enter om toe te passen",
    "Choose an option": "Maak een keuze",
    "Choose options": "Maak een keuze",
    "Select all": "Alles kiezen",
    "Clear all": "Alles wissen",
    "Clear value": "Wissen",
    "Clear entry": "Wissen",
    "Clear selection": "Keuze wissen",
    "Selected values": "Gekozen waarden",
    "No results": "Geen resultaten",
    "No options to select": "Geen opties",
    "Open": "Openen",
    "Close": "Sluiten",
    "Show password": "Wachtwoord tonen",
    "Hide password": "Wachtwoord verbergen",
    "Increment": "Verhogen",
    "Decrement": "Verlagen",
    # Dates
    "Choose date": "Kies een datum",
    "Choose date range": "Kies een periode",
    "Choose date and time": "Kies datum en tijd",
    "Quick select a date range": "Snel een periode kiezen",
    "Clear date": "Datum wissen",
    "Clear dates": "Datums wissen",
    "Clear time": "Tijd wissen",
    "Clear date and time": "Datum en tijd wissen",
    "Previous month": "Vorige maand",
    "Next month": "Volgende maand",
    "yyyy": "jjjj",
    "YYYY": "JJJJ",
    # Files
    "Upload": "Bestand kiezen",
    "Browse files": "Bestand kiezen",
    "Add files": "Bestanden toevoegen",
    "Drag and drop file here": "Sleep een bestand hierheen",
    "Drag and drop a file here": "Sleep een bestand hierheen",
    "Drag and drop files here": "Sleep bestanden hierheen",
    # A download button's message when its file could not be made or fetched (shown 5 s)
    "Failed to generate file for download": "Het bestand kon niet worden gemaakt. Probeer het opnieuw.",
    "Download failed": "Downloaden is mislukt. Probeer het opnieuw.",
    "Request timed out": "De server gaf geen antwoord. Probeer het opnieuw.",
    "Connection closed": "De verbinding is verbroken. Laad de pagina opnieuw.",
    "Deferred download not properly configured": "Dit bestand kan niet worden gedownload.",
    # Toolbars of charts and tables
    "Show data": "Gegevens tonen",
    "Download as CSV": "Downloaden als CSV",
    "Download as PNG": "Downloaden als PNG",
    "Download as SVG": "Downloaden als SVG",
    "Copy Vega-Lite spec": "Grafiekdefinitie kopiëren",
    "Copy to clipboard": "Naar klembord kopiëren",
    "Copy column name": "Kolomnaam kopiëren",
    "Fullscreen": "Volledig scherm",
    "Exit fullscreen": "Volledig scherm sluiten",
    "Close fullscreen": "Volledig scherm sluiten",
    "Search": "Zoeken",
    "Close Search": "Zoeken sluiten",
    "Previous Result": "Vorig resultaat",
    "Next Result": "Volgend resultaat",
    "Show/hide columns": "Kolommen tonen/verbergen",
    "Dataframe column menu": "Kolommenu",
    "Sort ascending": "Oplopend sorteren",
    "Sort descending": "Aflopend sorteren",
    "Format": "Opmaak",
    "Autosize": "Automatische breedte",
    "Pin column": "Kolom vastzetten",
    "Unpin column": "Kolom losmaken",
    "Hide column": "Kolom verbergen",
    "Previous page": "Vorige pagina",
    "Next page": "Volgende pagina",
    "Pagination": "Paginering",
    "Button action menu": "Actiemenu",
    "Scroll tabs left": "Tabbladen naar links",
    "Scroll tabs right": "Tabbladen naar rechts",
    # The shell
    "Skip to main content": "Naar de inhoud",
    "Link to heading": "Link naar deze kop",
    "Expand sidebar": "Menu openen",
    "Collapse sidebar": "Menu sluiten",
    "Sidebar": "Menu",
    "App pages": "Pagina's",
    "Main menu": "Hoofdmenu",
    "Navigate to home page": "Naar de startpagina",
    "Notifications": "Meldingen",
    "Running...": "Bezig…",
    "Stop script": "Stoppen",
    "Markdown content": "Tekst",
    "View less": "Minder tonen",
    "View more": "Meer tonen",
    "Page not found": "Pagina niet gevonden",
    "Connecting": "Verbinden",
    "Connection error": "Verbindingsfout",
    "Please wait...": "Even geduld…",
}

# Strings Streamlit builds from parts: (regular expression, Dutch template with $1, $2 …).
PATTERNS: list[tuple[str, str]] = [
    # The live region of an opened list (a screen reader hears it).
    (r"^1 option available\.$", "1 keuze beschikbaar."),
    (r"^(\d+) options available\.$", "$1 keuzes beschikbaar."),
    (r"^(\S+) per file$", "hoogstens $1 per bestand"),
    (r"^Limit (\S+) per file(.*)$", "Hoogstens $1 per bestand$2"),
    (r"^File must be (\S+) or smaller\.$", "Het bestand is te groot: hoogstens $1."),
    (r"^Download as (\w+)$", "Downloaden als $1"),
    (r"^Help for (.+)$", "Uitleg bij $1"),  # a metric's help button, for a screen reader
    (r"^day, (.+)$", "dag, $1"),
    (r"^month, (.+)$", "maand, $1"),
    (r"^year, (.+)$", "jaar, $1"),
    (r"^(.+) start date$", "$1, begindatum"),
    (r"^(.+) end date$", "$1, einddatum"),
    (r"^Selected Date: (.+)$", "Gekozen datum: $1"),
    (r"^Selected date range: (.+)$", "Gekozen periode: $1"),
    (r"^Selected Dates?: (.+)$", "Gekozen datums: $1"),
    (r"^The page that you have requested does not seem to exist\..*$",
     "De gevraagde pagina bestaat niet (of u heeft er geen toegang toe). De startpagina wordt geopend."),
]

# English month and weekday names in the calendar and in the date announcements above.
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
MAANDEN = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december"]
WEEKDAYS = {"Mo": "ma", "Tu": "di", "We": "wo", "Th": "do", "Fr": "vr", "Sa": "za", "Su": "zo",
            "Monday": "maandag", "Tuesday": "dinsdag", "Wednesday": "woensdag", "Thursday": "donderdag",
            "Friday": "vrijdag", "Saturday": "zaterdag", "Sunday": "zondag"}

ATTRIBUTES = ["aria-label", "placeholder", "title", "alt", "aria-description", "aria-roledescription"]

_SCRIPT = """
<script data-nl-shell>
(() => {
  if (window.__stageDutch) return;
  window.__stageDutch = true;
  const EXACT = %(exact)s, PATTERNS = %(patterns)s.map(([re, to]) => [new RegExp(re), to]);
  const MONTHS = %(months)s, MAANDEN = %(maanden)s, WEEKDAYS = %(weekdays)s, ATTRS = %(attrs)s;
  const monthRe = new RegExp("\\\\b(" + MONTHS.join("|") + ")\\\\b", "g");
  const dates = (s) => s.replace(monthRe, (m) => MAANDEN[MONTHS.indexOf(m)]);
  const inCalendar = (node) => {
    const el = node.nodeType === 1 ? node : node.parentElement;
    return !!(el && el.closest('[data-baseweb="calendar"], [data-baseweb="datepicker"]'));
  };
  const translate = (value, node) => {
    const text = value.trim();
    if (!text) return null;
    let out = EXACT[text];
    if (out === undefined) {
      for (const [re, to] of PATTERNS) {
        if (re.test(text)) { out = dates(text.replace(re, to)); break; }
      }
    }
    if (out === undefined && inCalendar(node)) {
      if (WEEKDAYS[text] !== undefined) out = WEEKDAYS[text];
      else if (monthRe.test(text)) { monthRe.lastIndex = 0; out = dates(text); }
      monthRe.lastIndex = 0;
    }
    return out === undefined || out === text ? null : value.replace(text, out);
  };
  const fixElement = (el) => {
    for (const name of ATTRS) {
      const value = el.getAttribute(name);
      if (value) { const out = translate(value, el); if (out !== null) el.setAttribute(name, out); }
    }
  };
  const fixText = (node) => {
    const out = translate(node.nodeValue, node);
    if (out !== null) node.nodeValue = out;
  };
  const walk = (root) => {
    if (root.nodeType === 3) return fixText(root);
    if (root.nodeType !== 1) return;
    fixElement(root);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (node.nodeType === 3) fixText(node); else fixElement(node);
    }
  };
  const html = document.documentElement;
  const setLang = () => { if (html.lang !== "nl") html.lang = "nl"; };
  setLang();
  walk(document.body);
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === "childList") m.addedNodes.forEach(walk);
      else if (m.type === "characterData") fixText(m.target);
      else if (m.target === html) setLang();
      else fixElement(m.target);
    }
  }).observe(html, {subtree: true, childList: true, characterData: true, attributes: true,
                    attributeFilter: ATTRS.concat(["lang"])});
})();
</script>
"""

# The script's own element would leave an empty band in the page: hidden (the style-only part
# goes to Streamlit's event container and takes no space itself).
_HIDE_SCRIPT_ELEMENT = """<style>
[data-testid="stElementContainer"]:has(script[data-nl-shell]) { display: none; }
</style>"""


def _script() -> str:
    return _SCRIPT % {
        "exact": json.dumps(EXACT, ensure_ascii=False),
        "patterns": json.dumps(PATTERNS),
        "months": json.dumps(MONTHS),
        "maanden": json.dumps(MAANDEN),
        "weekdays": json.dumps(WEEKDAYS),
        "attrs": json.dumps(ATTRIBUTES),
    }


def install() -> None:
    """Once per script run, before anything is drawn: Dutch for Streamlit's own interface."""
    st.html(_HIDE_SCRIPT_ELEMENT)
    st.html(_script(), unsafe_allow_javascript=True)
