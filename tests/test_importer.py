"""Importing real-world spreadsheets: encodings, separators, Dutch dates and decimals, a dry run
with every error by row and column, all-or-nothing, and re-import as a no-op."""

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data_access.importer import CREATE, EXISTS, SAME, UPDATE, plan_import, read_table, run_import, template
from data_access.models import Aios, AuditLog, Role, Stage, Stageplaats, StageplaatsRating, UserAccount
from data_access.viewer import Viewer
from tests.fixture_data import TODAY

ADMIN = Viewer(1, Role.BEHEERDER, "Ada Beheer")

ROOT = Path(__file__).resolve().parent.parent


def _count(engine, model) -> int:
    with Session(engine) as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


SITES_CSV = (
    "Code;Naam;Organisatie;Opleiding;Type;Regio;;\n"
    "S4;Huisartsenpost Oost;HAP;HAG;Huisartsenpraktijk;Twente;;\n"
    "S1;GGD Noord;GGD;MG;GGD;Groningen;;\n"       # exists unchanged
    "S2;Arbodienst Zuid-Oost;Arbo;MG;Arbodienst;Limburg;;\n"  # exists, new name
    ";;;;;;;\n;;;;;;;\n"
)


def test_utf8_bom_semicolons_and_trailing_empties_import_exactly_and_again_changes_nothing(fresh_db):
    frame = read_table(SITES_CSV.encode("utf-8-sig"), "plaatsen.csv")
    assert list(frame.columns) == ["code", "naam", "organisatie", "opleiding", "type", "regio"]
    assert len(frame) == 3
    plan = run_import(fresh_db, ADMIN, "stageplaatsen", frame, "plaatsen.csv")
    assert (plan.problems, [a for _, _, a in plan.actions]) == ([], [CREATE, SAME, UPDATE])
    with Session(fresh_db) as s:
        s4 = s.execute(select(Stageplaats).where(Stageplaats.code == "S4")).scalar_one()
        assert (s4.name, s4.region, s4.opleiding_id, s4.status.value) == ("Huisartsenpost Oost", "Twente", 2, "actief")
        assert s.execute(select(Stageplaats.name).where(Stageplaats.code == "S2")).scalar_one() == "Arbodienst Zuid-Oost"
    again = run_import(fresh_db, ADMIN, "stageplaatsen", read_table(SITES_CSV.encode("utf-8-sig"), "plaatsen.csv"), "plaatsen.csv")
    assert [a for _, _, a in again.actions] == [SAME, SAME, SAME]
    # The second run changed nothing: no write, only the audit row of the plan it showed.
    assert [a for a, _, _ in _audit(fresh_db)] == ["geïmporteerd", "geëxporteerd"]


def test_windows_1252_with_commas_and_accents(fresh_db):
    raw = ("aiosnummer,naam,e-mail,opleiding,cohort\n"
           "A9,Sébastien Müller,seb@voorbeeld.nl,MG,2025\n"
           "A10,Zoë Ñúñez,,HAG,2025\n").encode("cp1252")
    plan = run_import(fresh_db, ADMIN, "aios", read_table(raw, "aios.csv"), "aios.csv")
    assert plan.problems == [] and plan.counts == {CREATE: 2, UPDATE: 0, SAME: 0}
    with Session(fresh_db) as s:
        rows = s.execute(select(UserAccount.username, UserAccount.display_name, Aios.cohort_id)
                         .join(Aios, Aios.user_id == UserAccount.id).where(Aios.aios_number.in_(["A9", "A10"]))
                         .order_by(Aios.aios_number)).all()
    assert rows == [("a10", "Zoë Ñúñez", 3), ("a9", "Sébastien Müller", 2)]


def test_dutch_dates_and_decimal_comma_in_excel(fresh_db):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["aiosnummer", "stageplaats", "begeleider", "startdatum", "einddatum", "fte", None])
    sheet.append(["A1", "S2", "bg2", "6-4-2026", "2026-07-05", "0,8", None])
    sheet.append(["A2", "S1", "bg1", "07-04-2026", "06-07-2026", "", None])
    sheet.append([None] * 7)
    buffer = io.BytesIO()
    book.save(buffer)
    frame = read_table(buffer.getvalue(), "stages.xlsx")
    plan = run_import(fresh_db, ADMIN, "stages", frame, "stages.xlsx", today=TODAY)
    assert plan.problems == [] and plan.counts[CREATE] == 2
    with Session(fresh_db) as s:
        new = s.execute(select(Stage.aios_id, Stage.start_date, Stage.end_date, Stage.fte, Stage.status)
                        .where(Stage.start_date >= dt.date(2026, 4, 6)).order_by(Stage.aios_id)).all()
    assert [(a, b, c, f, st.value) for a, b, c, f, st in new] == [
        (1, dt.date(2026, 4, 6), dt.date(2026, 7, 5), 0.8, "gepland"),
        (2, dt.date(2026, 4, 7), dt.date(2026, 7, 6), 1.0, "gepland")]


BAD_STAGES = (
    "aiosnummer;stageplaats;begeleider;startdatum;einddatum;fte\n"
    "A1;S2;bg2;31-02-2026;05-07-2026;1\n"      # row 2: no such date
    "A77;S2;bg2;06-04-2026;05-07-2026;1\n"     # row 3: unknown aios
    "A1;S9;bg2;06-04-2026;05-07-2026;1\n"      # row 4: unknown site
    "A2;S1;bg1;07-04-2026;01-04-2026;1\n"      # row 5: ends before it starts
    "A3;S1;bg1;07-04-2026;06-07-2026;1,7\n"    # row 6: fte out of range
    "A4;S3;;07-04-2026;06-07-2026;1\n"         # row 7: begeleider empty
    "A1;S2;bg2;06-04-2026;05-07-2026;1\n"      # row 8: fine
    "A1;S2;bg2;06-04-2026;05-07-2026;1\n"      # row 9: the same row again
)


def test_a_file_with_many_kinds_of_errors_reports_them_all_and_writes_nothing(fresh_db):
    frame = read_table(BAD_STAGES.encode(), "stages.csv")
    before = _count(fresh_db, Stage)
    dry = plan_import(fresh_db, ADMIN, "stages", frame, TODAY)
    problems = [(p.row, p.column, p.message) for p in dry.problems]
    assert problems == [
        (2, "startdatum", "31-02-2026 bestaat niet."),
        (3, "aiosnummer", "Aios 'A77' bestaat niet."),
        (4, "stageplaats", "Stageplaats 'S9' bestaat niet."),
        (5, "einddatum", "De einddatum moet na de startdatum liggen."),
        (6, "fte", "Moet een getal van 0,1 tot en met 1 zijn (nu 1,7)."),
        (7, "begeleider", "Verplicht veld is leeg."),
        (9, "", "Deze rij beschrijft dezelfde stage als rij 8 (dezelfde aios en stageplaats in een overlappende periode)."),
    ]
    report = dry.report()
    assert report.set_index("Rij").loc[8, "Actie"] == CREATE and report.set_index("Rij").loc[3, "Actie"] == "fout"
    done = run_import(fresh_db, ADMIN, "stages", frame, "stages.csv", today=TODAY)
    assert len(done.problems) == 7
    # Nothing written; the one audit row is the dry run's (it showed personal data).
    assert (_count(fresh_db, Stage), _audit(fresh_db)) == (before, [("geëxporteerd", "export", "proefimport stages")] * 2)


def _audit(engine) -> list[tuple[str, str, str | None]]:
    with Session(engine) as s:
        return [(r.action, r.entity, (r.after or {}).get("soort")) for r in s.scalars(select(AuditLog).order_by(AuditLog.id))]


def test_a_missing_column_is_named(fresh_db):
    plan = plan_import(fresh_db, ADMIN, "aios", pd.DataFrame({"aiosnummer": ["A1"], "naam": ["x"]}))
    assert [(x.row, x.column, x.message) for x in plan.problems] == [
        (1, "opleiding", "Deze kolom ontbreekt in de kopregel (rij 1)."),
        (1, "cohort", "Deze kolom ontbreekt in de kopregel (rij 1).")]


def test_ratings_and_rubric_scores_import_and_reimport(fresh_db):
    ratings = ("aiosnummer;stageplaats;startdatum;leermogelijkheden;leerklimaat;begeleiding;opmerking;datum\n"
               "A1;S1;05-01-2026;4;5;4;Fijne plek;10-04-2026\n"
               "A2;S1;01-09-2025;3;3;3;;05-12-2025\n")  # stage 2 has a released rating (5,4,4)
    frame = read_table(ratings.encode(), "r.csv")
    # A stored rating is never compared, shown or changed: "bestaat al", with nothing of it.
    plan = run_import(fresh_db, ADMIN, "beoordelingen", frame, "r.csv")
    assert plan.problems == [] and plan.counts == {CREATE: 1, UPDATE: 0, SAME: 0, EXISTS: 1}
    assert plan.report()[["Rij", "Actie", "Wijzigingen"]].values.tolist() == [[2, CREATE, ""], [3, EXISTS, ""]]
    again = plan_import(fresh_db, ADMIN, "beoordelingen", frame)
    assert again.counts == {CREATE: 0, UPDATE: 0, SAME: 0, EXISTS: 2}
    assert again.summary() == "2 rijen: 0 nieuw, 0 bijgewerkt, 0 ongewijzigd, 2 bestaan al: niets te importeren."
    with Session(fresh_db) as s:
        new = s.execute(select(StageplaatsRating).where(StageplaatsRating.stage_id == 1)).scalar_one()
        assert (new.leerklimaat, new.release_id) == (5, None)  # pending: one new rating is no batch
        old = s.execute(select(StageplaatsRating).where(StageplaatsRating.stage_id == 2)).scalar_one()
        assert (old.leermogelijkheden, old.leerklimaat, old.begeleiding) == (5, 4, 4)
    scores = ("aiosnummer;stageplaats;startdatum;moment;beoordelaar;soort;datum;rubricversie;criterium;score\n"
              "A1;S1;05-01-2026;eind;bg1;begeleider;05-04-2026;2;1;3\n"
              "A1;S1;05-01-2026;eind;bg1;begeleider;05-04-2026;2;2;4\n"
              "A1;S1;05-01-2026;eind;bg1;begeleider;05-04-2026;2;7;4\n")
    bad = plan_import(fresh_db, ADMIN, "rubricscores", read_table(scores.encode(), "s.csv"))
    assert [(p.row, p.column) for p in bad.problems] == [(4, "criterium")]
    good = read_table(scores.encode(), "s.csv").iloc[:2]
    assert run_import(fresh_db, ADMIN, "rubricscores", good, "s.csv").counts[CREATE] == 2
    assert run_import(fresh_db, ADMIN, "rubricscores", good, "s.csv").counts == {CREATE: 0, UPDATE: 0, SAME: 2}


def test_templates_have_dutch_columns_and_one_example_row():
    t = template("stages")
    assert list(t.columns) == ["stagecode", "aiosnummer", "stageplaats", "begeleider", "startdatum", "einddatum", "fte"]
    assert len(t) == 1


def test_two_thousand_stages_import_in_bulk_and_reimport_changes_nothing(fresh_db):
    # Stages of 13 weeks, back to back, one after the other, for the four aios at their own site
    # (the timed 50,000-row run is benchmarks/imports.py).
    starts = pd.date_range("1900-01-01", periods=500, freq="91D")
    rows = [(f"A{a}", f"S{s}", f"bg{s}", f"{d:%d-%m-%Y}", f"{d + pd.Timedelta(days=90):%d-%m-%Y}", "1")
            for d in starts for a, s in ((1, 1), (2, 1), (3, 2), (4, 3))]
    frame = pd.DataFrame(rows, columns=["aiosnummer", "stageplaats", "begeleider", "startdatum", "einddatum", "fte"])
    plan = run_import(fresh_db, ADMIN, "stages", frame, "groot.csv", today=TODAY)
    assert plan.problems == [] and plan.counts[CREATE] == 2_000
    assert _count(fresh_db, Stage) == 8 + 2_000
    assert run_import(fresh_db, ADMIN, "stages", frame, "groot.csv", today=TODAY).counts == {CREATE: 0, UPDATE: 0, SAME: 2_000}


def test_the_command_line_says_by_exit_code_whether_it_failed(fresh_db, tmp_path):
    url = fresh_db.url.render_as_string(hide_password=False)
    good, bad, broken = tmp_path / "goed.csv", tmp_path / "fout.csv", tmp_path / "kapot.xlsx"
    good.write_bytes(SITES_CSV.encode("utf-8-sig"))
    bad.write_bytes(BAD_STAGES.encode())
    broken.write_bytes(b"geen excel")

    def run(path, kind, *extra):
        return subprocess.run([sys.executable, "-m", "data_access.importer", str(path), "--kind", kind, "--db-url", url,
                               "--gebruiker", "admin", *extra],
                              cwd=ROOT, capture_output=True, text=True)

    dry = run(good, "stageplaatsen", "--dry-run")
    assert dry.returncode == 0 and "3 rijen: 1 nieuw, 1 bijgewerkt, 1 ongewijzigd: wordt geïmporteerd." in dry.stdout
    assert _audit(fresh_db) == [("geëxporteerd", "export", "proefimport stageplaatsen")]
    failed = run(bad, "stages")
    assert failed.returncode == 1 and "rij 3, kolom 'aiosnummer': Aios 'A77' bestaat niet." in failed.stderr
    assert run(broken, "stages").returncode == 2
    assert run(good, "stageplaatsen").returncode == 0
    assert [a for a, _, _ in _audit(fresh_db)] == ["geëxporteerd", "geëxporteerd", "geïmporteerd"]
