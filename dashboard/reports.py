"""Printable reports: pure functions from query frames to PDF bytes, charts included.

Charts are the same altair builders the pages use, rendered to PNG by vl-convert (no browser);
the PDF is laid out with fpdf2. A report is one page by construction: lists are cut to what
fits and say how many more there are, rather than spilling onto a second page.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert
from fpdf import FPDF

from dashboard.charts import (
    DIMENSION_LABELS,
    epa_levels_chart,
    rating_distribution_chart,
    rating_trend_chart,
    stage_timeline_chart,
)
from dashboard.tables import self_vs_begeleider_table, summative_text
from data_access.queries.dossier import StageDossier

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
PAGE_WIDTH = 190  # mm inside the margins of A4


def _png(chart: alt.TopLevelMixin, width: int) -> bytes:
    spec = chart.properties(width=width).to_dict()
    return vl_convert.vegalite_to_png(spec, scale=2)


class _Page(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        self.set_margins(10, 10, 10)
        self.set_auto_page_break(False)
        self.add_page()
        # DejaVu covers every character a user may type; the core fonts are Latin-1 only.
        if (FONT_DIR / "DejaVuSans.ttf").exists():
            self.add_font("body", "", str(FONT_DIR / "DejaVuSans.ttf"))
            self.add_font("body", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
            self.family = "body"
        else:
            self.family = "helvetica"

    def text_line(self, text: str, size: float = 9, style: str = "", height: float = 4.6) -> None:
        self.set_font(self.family, style, size)
        if self.family == "helvetica":
            text = text.encode("latin-1", "replace").decode("latin-1")
        self.multi_cell(0, height, text, align="L", new_x="LMARGIN", new_y="NEXT")

    def heading(self, text: str) -> None:
        self.ln(1.5)
        self.text_line(text, size=11, style="B", height=6)

    def picture(self, png: bytes, height: float) -> None:
        self.image(io.BytesIO(png), x=self.l_margin, y=self.get_y(), w=PAGE_WIDTH, h=height, keep_aspect_ratio=True)
        self.set_y(self.get_y() + height + 1)


def _first(items: list[str], limit: int, more: str) -> list[str]:
    if len(items) <= limit:
        return items
    return [*items[:limit], f"… en nog {len(items) - limit} {more}"]


def aios_summary_pdf(stage: pd.Series, dossier: StageDossier, today: dt.date) -> bytes:
    """One A4 page on one aios' stage for a voortgangsgesprek or the committee.

    `stage` is the stage's row of load_aios_stages (header), `dossier` its StageDossier with
    flags added to the progress row.
    """
    row = dossier.progress.iloc[0]
    pdf = _Page()
    pdf.text_line(f"Voortgangsoverzicht — {stage['aios_name']}", size=16, style="B", height=8)
    pdf.text_line(f"{stage['opleiding']} · {stage['cohort']} · aiosnummer {stage['aios_number']}")
    pdf.text_line(
        f"Stage: {stage['stageplaats']} ({stage['begeleiders'] or 'geen begeleider'}), "
        f"{row['start_date']:%d-%m-%Y} t/m {row['end_date']:%d-%m-%Y}, week {row['week']} van {row['weeks_total']}. "
        f"Peildatum {today:%d-%m-%Y}."
    )
    approved = f"goedgekeurd op {row['approved_at']:%d-%m-%Y}" if pd.notna(row["approved_at"]) else "niet goedgekeurd"
    handed_in = (f"ingeleverd op {row['verslag_handed_in']:%d-%m-%Y}" if pd.notna(row["verslag_handed_in"])
                 else f"inleveren uiterlijk {row['verslag_due']:%d-%m-%Y}")
    pdf.heading("Stand van zaken")
    pdf.text_line(
        f"Begeleidingsgesprekken {row['n_begeleidingsgesprek']} van verwacht {row['expected_begeleidingsgesprek']} · "
        f"evaluatiegesprek {row['n_evaluatiegesprek']} van {row['expected_evaluatiegesprek']} · "
        f"KPB's {row['kpb_done']} van verwacht {row['expected_kpb']} (doel {row['kpb_target']}) · "
        f"leerdoelen behaald {row['leerdoelen_behaald']} van {row['leerdoelen_total']} · "
        f"stageplan {approved} · stageverslag {handed_in}."
    )
    flags = list(row["flags"].values())
    pdf.text_line("Signalen: " + ("; ".join(flags) if flags else "geen") + ".", style="B" if flags else "")

    pdf.heading("Tijdlijn")
    timeline = stage_timeline_chart(dossier.slots, dossier.kpbs, dossier.feedback,
                                    row["start_date"], row["end_date"], today)
    pdf.picture(_png(timeline, 720), height=62)

    if not dossier.kpbs.empty or not dossier.epa_targets.empty:
        pdf.heading("EPA's")
        pdf.picture(_png(epa_levels_chart(dossier.kpbs, dossier.epa_targets), 720), height=62)

    pdf.heading("Leerdoelen")
    goals = [f"[{r.status}] {r.text}" for r in dossier.leerdoelen.itertuples()]
    for line in _first(goals, 5, "leerdoelen") or ["Geen leerdoelen vastgelegd."]:
        pdf.text_line(f"• {line[:150]}")

    pdf.heading("Beoordeling: zelf en begeleider (laatste per moment)")
    compared = self_vs_begeleider_table(dossier.scores)
    lines = [f"{r.Moment} — {r.Criterium}: zelf {r.Zelf}, begeleider {r.Begeleider} (verschil {r.Verschil})"
             for r in compared.itertuples()]
    for line in _first(lines, 8, "criteria") or ["Nog geen rubricbeoordeling."]:
        pdf.text_line(f"• {line}")

    pdf.set_y(-14)
    pdf.text_line(f"Vertrouwelijk. Gemaakt op {today:%d-%m-%Y} met Stagebegeleiding.", size=7)
    return bytes(pdf.output())


def meeting_pack_pdf(
    sites: pd.DataFrame,
    trend: pd.DataFrame,
    distribution: pd.DataFrame,
    comments: dict[int, list[str]],
    history: pd.DataFrame,
    threshold: int,
    today: dt.date,
) -> bytes:
    """The stagecommissie's meeting pack: one page per stageplaats, in the order given.

    Everything comes from the guarded queries: below the threshold there is no mean, no
    distribution, no trend point and no comment to print, only n and the words that say so.
    """
    pdf = _Page()
    for i, site in enumerate(sites.itertuples()):
        if i:
            pdf.add_page()
        pdf.text_line(f"{site.stageplaats}", size=16, style="B", height=8)
        pdf.text_line(f"{site.discipline} · {site.region} · status: {site.status} · vergaderstuk {today:%d-%m-%Y}")
        pdf.heading("Beoordeling door aios (1–5)")
        if site.enough:
            for d, label in DIMENSION_LABELS.items():
                mean, low, high = getattr(site, d), getattr(site, f"{d}_low"), getattr(site, f"{d}_high")
                pdf.text_line(f"{label}: {mean:.1f} (95%-interval {low:.1f}–{high:.1f}), n={site.n}".replace(".", ","))
            pdf.picture(_png(rating_distribution_chart(distribution[distribution["stageplaats_id"] == site.stageplaats_id]), 620), height=38)
            years = trend[trend["stageplaats_id"] == site.stageplaats_id]
            if years["enough"].any():
                pdf.picture(_png(rating_trend_chart(years), 620), height=48)
        else:
            pdf.text_line(f"Te weinig beoordelingen (n={site.n}; drempel {threshold}): geen gemiddelden, "
                          "verdeling, trend of opmerkingen.")
        if getattr(site, "pending", 0):
            pdf.text_line(f"{site.pending} nieuwe beoordeling(en) wachten op vrijgave (tellen mee vanaf "
                          f"{threshold} nieuwe); zonder cijfers.")
        pdf.heading("Context")
        rate = "—" if pd.isna(site.per_aios_week) else f"{site.per_aios_week:.2f}".replace(".", ",")
        level = summative_text({"summative": site.summative, "summative_n": site.summative_n})
        pdf.text_line(f"Feedback per aios-week: {rate} · eindniveau van haar aios (summatief, context): {level}")
        pdf.text_line("Signalen: " + ("; ".join(site.flags) if site.flags else "geen") + ".", style="B" if site.flags else "")
        pdf.heading("Opmerkingen van aios")
        notes = comments.get(int(site.stageplaats_id), [])
        for line in _first([c.replace("\n", " ")[:220] for c in notes], 6, "opmerkingen") or ["Geen (of te weinig beoordelingen)."]:
            pdf.text_line(f"• {line}")
        pdf.heading("Eerdere besluiten")
        past = history[history["stageplaats_id"] == site.stageplaats_id]
        lines = [f"{r.date:%d-%m-%Y} {r.decision}: {r.rationale[:160]}" for r in past.itertuples()]
        for line in _first(lines, 4, "besluiten") or ["Nog geen besluiten."]:
            pdf.text_line(f"• {line}")
        pdf.set_y(-14)
        pdf.text_line(f"Vertrouwelijk. Stagecommissie, {today:%d-%m-%Y}. Pagina {i + 1} van {len(sites)}.", size=7)
    return bytes(pdf.output())
