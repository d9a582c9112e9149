"""Demo stageverslagen: the versions behind the generator's hand-in dates.

Every stageverslag the generator hands in (on time or late) gets its version in the app: most
as text, a sample as a tiny real PDF made with fpdf2 (a few variants, made once: a PDF costs
about 20 ms, and a national database must not hold megabytes per stage); some were re-written
before the hand-in; most of those of ended stages, and some of running ones, are gelezen by the
begeleider. A running stage near its due date sometimes has a concept that is not handed in yet.

Its own random stream, so the rest of the generated data is the same with or without it.
"""

from __future__ import annotations

import datetime as dt
import random

from fpdf import FPDF

from data_access.models import VerslagKind

MAX_PDFS = 300  # a sample of PDF versions; every other version is text
PDF_VARIANTS = 4
TEXTS = 60

OPENINGS = [
    "In deze stage heb ik vooral gewerkt aan mijn leerdoelen rond communicatie en samenwerking.",
    "Deze stage stond in het teken van zelfstandig werken onder indirecte supervisie.",
    "Terugkijkend op de afgelopen maanden ben ik tevreden over mijn ontwikkeling.",
    "Ik begon deze stage met drie leerdoelen uit mijn stageplan.",
]
MIDDLES = [
    "De wekelijkse begeleidingsgesprekken hielpen om steeds concrete afspraken te maken.",
    "De KPB's gaven mij gerichte feedback op gespreksvoering en klinisch redeneren.",
    "Het leerklimaat op de afdeling was open; vragen stellen werd gewaardeerd.",
    "De praktijkopdracht over samenwerking in de keten heb ik afgerond en besproken.",
    "Bij drukte schoot de feedback er soms bij in; ik heb daar zelf vaker om gevraagd.",
    "Mijn presentatie in de refereerbijeenkomst leverde bruikbare feedback op.",
]
CLOSINGS = [
    "Voor de volgende stage neem ik het leerdoel over prioriteren mee.",
    "Ik wil in de volgende stage meer zelf de regie nemen over feedbackmomenten.",
    "Mijn begeleider en ik bespreken dit verslag in het eindgesprek.",
]


def _pdf(title: str, paragraphs: list[str]) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))  # the same bytes every run
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    return bytes(pdf.output())


class Verslagen:
    def __init__(self, buf, seed: int, today: dt.date):
        self.buf, self.today = buf, today
        self.rng = random.Random(f"stageverslagen-{seed}")
        self.pdfs: dict[int, bytes] = {}
        self.n_pdfs = 0
        # A pool of texts made once: composing one per stage cost seconds at national scale.
        r = self.rng
        self.texts = [" ".join([r.choice(OPENINGS), *r.sample(MIDDLES, r.randint(2, 3)), r.choice(CLOSINGS)])
                      for _ in range(TEXTS)]

    def _text(self) -> str:
        return self.texts[self.rng.randrange(TEXTS)]

    def _pdf_variant(self) -> bytes:
        i = self.rng.randrange(PDF_VARIANTS)
        if i not in self.pdfs:
            self.pdfs[i] = _pdf("Stageverslag", [OPENINGS[i], " ".join(MIDDLES[i:i + 3]), CLOSINGS[i % len(CLOSINGS)]])
        return self.pdfs[i]

    def _version(self, stage_id: int, number: int, author: int, written: dt.date, *, pdf: bool,
                 handed_in: dt.date | None = None, read: tuple[dt.date, int] | None = None) -> None:
        if pdf:
            content, text = self._pdf_variant(), None
            self.n_pdfs += 1
        else:
            content, text = None, self._text()
        self.buf.add("stageverslag_versie", {
            "stage_id": stage_id, "version": number,
            "kind": (VerslagKind.PDF if pdf else VerslagKind.TEKST).value, "text": text, "content": content,
            "file_name": "stageverslag.pdf" if pdf else None,
            "size": len(content) if pdf else len(text.encode("utf-8")), "author_id": author,
            "created_at": dt.datetime.combine(written, dt.time(20, 15)), "submit_token": None,
            "handed_in_on": handed_in, "read_on": read[0] if read else None, "read_by": read[1] if read else None,
        })

    def add(self, stage_id: int, start: dt.date, end: dt.date, due: dt.date, handed_in: dt.date | None,
            aios_user: int, begeleider_user: int) -> None:
        """The versions of one stage's stageverslag, consistent with its hand-in date."""
        r, today = self.rng, self.today
        if handed_in is not None:
            pdf = self.n_pdfs < MAX_PDFS and r.random() < 0.4
            number = 1
            if r.random() < 0.15:  # a first draft, rewritten before the hand-in
                self._version(stage_id, 1, aios_user, max(start, handed_in - dt.timedelta(days=r.randint(5, 12))), pdf=False)
                number = 2
            read = None
            if r.random() < (0.85 if end < today else 0.5):
                read_on = min(today, handed_in + dt.timedelta(days=r.randint(1, 6)))
                read = (read_on, begeleider_user)
            self._version(stage_id, number, aios_user, handed_in - dt.timedelta(days=r.randint(0, 2)), pdf=pdf,
                          handed_in=handed_in, read=read)
        elif start <= today <= end and (due - today).days <= 21 and r.random() < 0.5:
            self._version(stage_id, 1, aios_user, max(start, today - dt.timedelta(days=r.randint(0, 10))), pdf=False)
