"""dashboard.text.literal: what Streamlit's markdown shows as typed (checked in Chromium by
tests/test_browser_literal.py; here the exact markdown it produces)."""

from dashboard.text import JOINER, literal, literal_table, shown
from tests.payload import PAYLOAD

J = JOINER


def test_the_payload_becomes_escaped_markdown_with_joiners_in_autolinks():
    assert literal(PAYLOAD) == (
        r"\*\*x\*\* \:" + J + r"red\[y\] \[l\](https\:" + J + r"//example.invalid) !\[p\](http\:" + J
        + r"//127.0.0.1\:9/p.png) \<b\>z\</b\>"
    )
    assert shown(literal("www.x.nl a@b.nl")) == "www.x.nl a@b.nl"


def test_emoji_icons_latex_and_block_markers_are_escaped_and_names_stay_clean():
    assert literal(":smile: :material/flag: $a$") == "\\:" + J + "smile\\: \\:" + J + "material/flag\\: \\$a\\$"
    assert literal("# kop\n- punt\n12. item\n> citaat") == "\\# kop  \n\\- punt  \n12\\. item  \n\\> citaat"
    assert literal("Anna de Vries-Jansen (MG 2024)") == "Anna de Vries-Jansen (MG 2024)"
    assert literal("Arts M&G, jan_de_vries") == "Arts M&G, jan_de_vries"  # no emphasis, no entity
    assert literal("&amp; _u_ a*b*") == "\\&amp; \\_u\\_ a\\*b\\*"
    assert literal(None) == ""


def test_a_table_for_st_table_has_its_text_cells_escaped():
    import pandas as pd

    frame = literal_table(pd.DataFrame({"Leerdoel": ["**vet**"], "Aantal": [2]}))
    assert frame.to_dict("records") == [{"Leerdoel": "\\*\\*vet\\*\\*", "Aantal": 2}]
