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


def _print_size(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Type large enough to read on paper (the page's charts are sized for a screen)."""
    return chart.configure_axis(labelFontSize=15, titleFontSize=15).configure_legend(
        labelFontSize=15, titleFontSize=15).configure_title(fontSize=18, subtitleFontSize=14)


def _outcome(item) -> str:
    """What the meeting did with one agenda item, in words."""
    if item.status == "besluit":
        follow = f", opvolgen op {item.follow_up_date:%d-%m-%Y}" if item.follow_up_date is not None else ""
        return f"besluit: {item.decision}{follow}. {item.rationale}"
    if item.status == "besproken":
        return "besproken zonder besluit."
    return "niet besproken."


def _cover(pdf: _Page, meeting, today: dt.date) -> None:
    closed = meeting.status == "gesloten"
    pdf.text_line(f"{'Notulen' if closed else 'Vergaderstuk'} stagecommissie {meeting.opleiding}", size=18,
                  style="B", height=9)
    pdf.text_line(f"Vergadering van {meeting.date:%d-%m-%Y} · status: {meeting.status}", size=12, height=6)
    pdf.heading("Voorzitter")
    pdf.text_line(meeting.chair, size=11, height=5.5)
    pdf.heading("Aanwezig")
    for name in _first(list(meeting.attendees), 12, "aanwezigen"):
        pdf.text_line(f"• {name}", size=11, height=5.5)
    pdf.heading("Agenda")
    for item in meeting.items.itertuples():
        pdf.text_line(f"{item.position}. {item.stageplaats} — {item.reason}", size=11, height=5.5)
    pdf.set_y(-14)
    pdf.text_line(f"Vertrouwelijk. Stagecommissie, gemaakt op {today:%d-%m-%Y}.", size=7)


def _closing(pdf: _Page, meeting, today: dt.date) -> None:
    pdf.add_page()
    pdf.text_line("Besluiten en uitkomsten", size=18, style="B", height=9)
    pdf.text_line(f"Vergadering van {meeting.date:%d-%m-%Y} · status: {meeting.status}", size=12, height=6)
    if meeting.status == "voorbereid":
        pdf.text_line("De vergadering is nog niet gehouden: hier komen de besluiten in de notulen.", size=11, height=5.5)
    for item in meeting.items.itertuples():
        pdf.heading(f"{item.position}. {item.stageplaats}")
        pdf.text_line(_outcome(item)[:600], size=11, height=5.5)
        if item.notes:
            pdf.text_line(f"Aantekening: {item.notes[:400]}", size=10, height=5)
    if meeting.notes:
        pdf.heading("Notities bij de vergadering")
        pdf.text_line(meeting.notes[:1200], size=10, height=5)
    pdf.set_y(-14)
    pdf.text_line(f"Vertrouwelijk. Stagecommissie, gemaakt op {today:%d-%m-%Y}.", size=7)


def meeting_pack_pdf(
    sites: pd.DataFrame,
    trend: pd.DataFrame,
    distribution: pd.DataFrame,
    comments: dict[int, list[str]],
    history: pd.DataFrame,
    threshold: int,
    today: dt.date,
    *,
    meeting=None,
    rates: pd.DataFrame | None = None,
) -> bytes:
    """The stagecommissie's meeting pack: one page per stageplaats, in the order given.

    With a `meeting` (data_access.meetings.MeetingView) it starts with a cover page (date,
    chair, attendees, the agenda with the reason per site) and ends with the decisions taken and
    the other outcomes: before the meeting that is the vergaderstuk, after it the notulen (the
    same document). `rates` (load_response_rate per stageplaats) adds the response per site.

    Everything comes from the guarded queries: below the threshold there is no mean, no
    distribution, no trend point and no comment to print, only n and the words that say so.
    """
    pdf = _Page()
    items = {}
    if meeting is not None:
        _cover(pdf, meeting, today)
        items = {int(i.stageplaats_id): i for i in meeting.items.itertuples()}
    rate_of = {} if rates is None else {int(r.group_id): r for r in rates.itertuples()}
    for i, site in enumerate(sites.itertuples()):
        if i or meeting is not None:
            pdf.add_page()
        pdf.text_line(f"{site.stageplaats}", size=16, style="B", height=8)
        item = items.get(int(site.stageplaats_id))
        agenda = f"agendapunt {item.position} ({item.reason}) · " if item is not None else ""
        pdf.text_line(f"{agenda}{site.discipline} · {site.region} · status: {site.status} · vergaderstuk {today:%d-%m-%Y}")
        pdf.heading("Beoordeling door aios (1–5)")
        if site.enough:
            for d, label in DIMENSION_LABELS.items():
                mean, low, high = getattr(site, d), getattr(site, f"{d}_low"), getattr(site, f"{d}_high")
                pdf.text_line(f"{label}: {mean:.1f} (95%-interval {low:.1f}–{high:.1f}), n={site.n}".replace(".", ","))
            chart = rating_distribution_chart(distribution[distribution["stageplaats_id"] == site.stageplaats_id])
            pdf.picture(_png(_print_size(chart.properties(height=150)), 620), height=52)
            years = trend[trend["stageplaats_id"] == site.stageplaats_id]
            if years["enough"].any():
                pdf.picture(_png(_print_size(rating_trend_chart(years).properties(height=170)), 620), height=58)
        else:
            pdf.text_line(f"Te weinig beoordelingen (n={site.n}; drempel {threshold}): geen gemiddelden, "
                          "verdeling, trend of opmerkingen.")
        if getattr(site, "pending", 0):
            pdf.text_line(f"{site.pending} nieuwe beoordeling(en) wachten op vrijgave (tellen mee vanaf "
                          f"{threshold} nieuwe); zonder cijfers.")
        rate = rate_of.get(int(site.stageplaats_id))
        if rate is not None:
            pdf.text_line(f"Respons: {rate.rated} van {rate.ended} afgeronde stages beoordeeld (vrijgegeven).")
        pdf.heading("Context")
        per_week = "—" if pd.isna(site.per_aios_week) else f"{site.per_aios_week:.2f}".replace(".", ",")
        level = summative_text({"summative": site.summative, "summative_n": site.summative_n})
        pdf.text_line(f"Feedback per aios-week: {per_week} · eindniveau van haar aios (summatief, context): {level}")
        pdf.text_line("Signalen: " + ("; ".join(site.flags) if site.flags else "geen") + ".", style="B" if site.flags else "")
        pdf.heading("Opmerkingen van aios")
        notes = comments.get(int(site.stageplaats_id), [])
        for line in _first([c.replace("\n", " ")[:220] for c in notes], 6, "opmerkingen") or ["Geen (of te weinig beoordelingen)."]:
            pdf.text_line(f"• {line}")
        pdf.heading("Eerdere besluiten")
        past = history[history["stageplaats_id"] == site.stageplaats_id]
        if item is not None and item.decision_id is not None:
            past = past[past["id"] != item.decision_id]  # this meeting's own decision is below
        lines = [f"{r.date:%d-%m-%Y} {r.decision}: {r.rationale[:160]}" for r in past.itertuples()]
        for line in _first(lines, 4, "besluiten") or ["Nog geen besluiten."]:
            pdf.text_line(f"• {line}")
        if item is not None and meeting.status != "voorbereid":
            pdf.heading("In deze vergadering")
            pdf.text_line(_outcome(item)[:400], style="B")
        pdf.set_y(-14)
        pdf.text_line(f"Vertrouwelijk. Stagecommissie, {today:%d-%m-%Y}. Pagina {i + 1} van {len(sites)}.", size=7)
    if meeting is not None:
        _closing(pdf, meeting, today)
    return bytes(pdf.output())
