"""Issue 14: files made the way programme offices make them either import correctly or are refused
with a clear Dutch message and nothing written. One test per case, each from a file of that shape."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from sqlalchemy import delete, event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from data_access.errors import AccessDenied
from data_access.importer import CREATE, SAME, UPDATE, Limits, UnreadableFile, plan_import, read_table, run_import
from data_access.importer.run import DATABASE_ERROR
from data_access.models import (
    AuditLog,
    BegeleiderStageplaats,
    Role,
    Stage,
    StageBegeleider,
    Stagebegeleider,
    StageplaatsRating,
    UserAccount,
    UserRole,
)
from data_access.viewer import Viewer

ADMIN = Viewer(1, Role.BEHEERDER, "Ada Beheer")
OPLEIDER = Viewer(2, Role.INSTITUUTSOPLEIDER, "Olga Opleider")
STAGES_HEADER = "aiosnummer;stageplaats;begeleider;startdatum;einddatum;fte\n"
AIOS_HEADER = "aiosnummer,naam,e-mail,opleiding,cohort\n"
LATER = dt.date(2026, 6, 1)


def _count(engine, model, *where) -> int:
    with Session(engine) as s:
        return s.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def _csv(text: str, name: str = "bestand.csv", kind: str | None = None):
    from data_access.importer import KINDS

    return read_table(text.encode("utf-8"), name, KINDS[kind].required if kind else None)


def _problems(plan) -> list[tuple]:
    return [(p.row, p.column, p.message) for p in plan.problems]


def _stage(engine, stage_id: int):
    with Session(engine) as s:
        return s.get(Stage, stage_id)


# --- stages: updates, not duplicates; nothing impossible ------------------------------------


def test_a_changed_begeleider_is_an_update_shown_old_to_new_and_saved(fresh_db):
    with Session(fresh_db) as s, s.begin():
        s.add(BegeleiderStageplaats(begeleider_id=1, stageplaats_id=2))  # bg1 may now supervise at S2 too
    frame = _csv(STAGES_HEADER + "A3;S2;bg1;02-02-2026;03-05-2026;1\n")
    dry = plan_import(fresh_db, ADMIN, "stages", frame, LATER)
    assert dry.problems == [] and dry.counts == {CREATE: 0, UPDATE: 1, SAME: 0}
    assert dry.report()[["Rij", "Actie", "Wijzigingen"]].values.tolist() == [[2, UPDATE, "begeleider: bg2 → bg1"]]
    run_import(fresh_db, ADMIN, "stages", frame, "s.csv", today=LATER)
    with Session(fresh_db) as s:
        assert s.execute(select(StageBegeleider.begeleider_id, StageBegeleider.is_primary)
                         .where(StageBegeleider.stage_id == 3)).all() == [(1, True)]
    assert _count(fresh_db, Stage) == 8


def test_a_corrected_start_date_updates_the_stage_instead_of_adding_a_second_one(fresh_db):
    frame = _csv(STAGES_HEADER + "A3;S2;bg2;09-02-2026;10-05-2026;0,8\n")
    plan = run_import(fresh_db, ADMIN, "stages", frame, "s.csv", today=LATER)
    assert plan.problems == [] and plan.counts == {CREATE: 0, UPDATE: 1, SAME: 0}
    assert plan.changes[0].describe() == ("startdatum: 02-02-2026 → 09-02-2026; einddatum: 03-05-2026 → 10-05-2026; "
                                          "fte: 1 → 0,8")
    stage = _stage(fresh_db, 3)
    assert (stage.start_date, stage.end_date, stage.fte, stage.status.value) == (
        dt.date(2026, 2, 9), dt.date(2026, 5, 10), 0.8, "afgerond")
    assert _count(fresh_db, Stage) == 8


def test_a_stagecode_identifies_the_stage_even_when_its_period_moves(fresh_db):
    header = "stagecode;" + STAGES_HEADER
    first = run_import(fresh_db, ADMIN, "stages", _csv(header + "MG-0003;a3;s2;bg2;02-02-2026;03-05-2026;1\n"), "s.csv",
                       today=LATER)
    assert first.changes[0].describe() == "stagecode: (leeg) → MG-0003"
    # The office moved the stage by months: no overlap any more, yet the code says it is the same stage.
    moved = run_import(fresh_db, ADMIN, "stages", _csv(header + "mg-0003;A3;S2;bg2;07-09-2026;06-12-2026;1\n"), "s.csv",
                       today=LATER)
    assert moved.problems == [] and moved.counts == {CREATE: 0, UPDATE: 1, SAME: 0}
    assert (_stage(fresh_db, 3).code, _stage(fresh_db, 3).start_date, _count(fresh_db, Stage)) == (
        "MG-0003", dt.date(2026, 9, 7), 8)


def test_overlapping_stages_of_one_aios_over_one_fte_are_refused_with_row_and_column(fresh_db):
    frame = _csv(STAGES_HEADER
                 + "A1;S2;bg2;01-03-2026;31-05-2026;0,5\n"   # stage 1 (S1, 1 fte) runs until 05-04-2026
                 + "A3;S1;bg1;01-06-2026;31-08-2026;0,5\n"   # these two overlap at 0,5 + 0,5: fine
                 + "A3;S2;bg2;01-07-2026;30-09-2026;0,5\n")
    plan = run_import(fresh_db, ADMIN, "stages", frame, "s.csv", today=LATER)
    assert _problems(plan) == [(2, "fte", "Overlapt met de stage op S1 van 05-01-2026 tot en met 05-04-2026 "
                                          "(1 fte, al in de database); samen 1,5 fte, meer dan 1.")]
    assert (_count(fresh_db, Stage), _count(fresh_db, AuditLog)) == (8, 1)  # the refused plan's audit row


def test_a_begeleider_not_linked_to_the_stageplaats_is_refused(fresh_db):
    plan = run_import(fresh_db, ADMIN, "stages", _csv(STAGES_HEADER + "A3;S1;bg2;01-06-2026;31-08-2026;1\n"), "s.csv",
                      today=LATER)
    assert _problems(plan) == [(2, "begeleider", "Begeleider 'bg2' is niet gekoppeld aan stageplaats 'S1'. Koppel die "
                                                 "eerst (import Begeleiders of de pagina Gebruikers).")]
    assert _count(fresh_db, Stage) == 8


def test_a_site_rating_dated_before_its_stage_ended_or_in_the_future_is_refused(fresh_db):
    frame = _csv("aiosnummer;stageplaats;startdatum;leermogelijkheden;leerklimaat;begeleiding;opmerking;datum\n"
                 "A1;S1;05-01-2026;4;4;4;;01-03-2026\n"
                 "A4;S3;05-01-2026;4;4;4;;10-07-2026\n")
    plan = run_import(fresh_db, ADMIN, "beoordelingen", frame, "r.csv", today=LATER)
    assert _problems(plan) == [
        (2, "datum", "Een stageplaats wordt na de stage beoordeeld: de stage eindigt op 05-04-2026, deze datum is 01-03-2026."),
        (3, "datum", "10-07-2026 ligt in de toekomst."),
    ]
    assert _count(fresh_db, StageplaatsRating) == 5


def test_a_rubric_score_dated_outside_its_stage_is_refused(fresh_db):
    frame = _csv("aiosnummer;stageplaats;startdatum;moment;beoordelaar;soort;datum;rubricversie;criterium;score\n"
                 "A1;S1;05-01-2026;eind;bg1;begeleider;01-12-2025;2;1;3\n"
                 "A1;S1;05-01-2026;eind;bg1;begeleider;19-04-2026;2;2;3\n")  # 14 days after the end: allowed
    plan = plan_import(fresh_db, ADMIN, "rubricscores", frame, LATER)
    assert _problems(plan) == [(2, "datum", "01-12-2025 ligt buiten de stage: een score is van 05-01-2026 tot en met "
                                            "19-04-2026.")]


# --- begeleiders: a role is never granted as a side effect (issue 30, item 9) -------------------

BEGELEIDERS_HEADER = "gebruikersnaam;naam;e-mail;functie;stageplaatsen\n"


def _roles(engine, username: str) -> list[str]:
    with Session(engine) as s:
        return sorted(r.value for r in s.execute(
            select(UserRole.role).join(UserAccount, UserAccount.id == UserRole.user_id)
            .where(UserAccount.username == username)).scalars())


def _begeleider_sites(engine, username: str) -> list[int] | None:
    """The stageplaatsen the user is linked to as a begeleider; None without a begeleider record."""
    with Session(engine) as s:
        bid = s.execute(select(Stagebegeleider.id).join(UserAccount, UserAccount.id == Stagebegeleider.user_id)
                        .where(UserAccount.username == username)).scalar_one_or_none()
        if bid is None:
            return None
        return sorted(s.execute(select(BegeleiderStageplaats.stageplaats_id)
                                .where(BegeleiderStageplaats.begeleider_id == bid)).scalars())


def test_a_new_begeleider_and_a_new_site_for_an_existing_one_need_no_extra_column(fresh_db):
    frame = _csv(BEGELEIDERS_HEADER + "jbakker;Jan Bakker;jan@voorbeeld.nl;jeugdarts;S1\n"
                                      "bg1;Bram Begeleider;bg1@voorbeeld.nl;;S1, S2\n", kind="begeleiders")
    plan = run_import(fresh_db, ADMIN, "begeleiders", frame, "b.csv", today=LATER)
    assert plan.problems == [] and plan.counts == {CREATE: 1, UPDATE: 1, SAME: 0}
    assert plan.report()[["Rij", "Sleutel", "Actie", "Wijzigingen"]].values.tolist() == [
        [2, "jbakker", CREATE, ""], [3, "bg1", UPDATE, "stageplaatsen: (leeg) → + S2"]]
    assert (_roles(fresh_db, "jbakker"), _begeleider_sites(fresh_db, "jbakker")) == (["stagebegeleider"], [1])
    assert (_roles(fresh_db, "bg1"), _begeleider_sites(fresh_db, "bg1")) == (["stagebegeleider"], [1, 2])


A1_REFUSED = ("Gebruiker 'a1' heeft al de rol aios; een tweede rol geeft dit bestand alleen met een kolom 'extra_rol' "
              "waarin 'stagebegeleider' staat. Zonder die kolom zou deze rij 'a1' stagebegeleider maken bij GGD Noord "
              "(S1), met toegang tot de aios daar.")


def test_an_aios_in_a_begeleiders_file_is_refused_and_nothing_is_written(fresh_db):
    """Before: the plan said only "rol: (leeg) → stagebegeleider", and the import gave a1 the role
    and a link to S1, so a1 saw the aios placed at S1."""
    frame = _csv(BEGELEIDERS_HEADER + "jbakker;Jan Bakker;jan@voorbeeld.nl;;S1\n"
                                      "a1;Anna Aios;a1@voorbeeld.nl;;S1\n", kind="begeleiders")
    dry = plan_import(fresh_db, ADMIN, "begeleiders", frame, LATER)
    assert _problems(dry) == [(3, "gebruikersnaam", A1_REFUSED)]
    assert dry.report()[["Rij", "Actie", "Meldingen"]].values.tolist() == [
        [2, CREATE, ""], [3, "fout", f"gebruikersnaam: {A1_REFUSED}"]]
    assert dry.summary() == "2 rijen, 1 fout: er is niets geïmporteerd."
    plan = run_import(fresh_db, ADMIN, "begeleiders", frame, "b.csv", today=LATER)
    assert _problems(plan) == [(3, "gebruikersnaam", A1_REFUSED)]
    assert (_roles(fresh_db, "a1"), _begeleider_sites(fresh_db, "a1")) == (["aios"], None)
    assert _count(fresh_db, UserAccount, UserAccount.username == "jbakker") == 0  # all or nothing
    assert _count(fresh_db, BegeleiderStageplaats) == 3


def test_the_extra_rol_column_grants_the_role_and_the_plan_says_so_as_access(fresh_db):
    frame = _csv("gebruikersnaam;naam;e-mail;functie;stageplaatsen;extra_rol\n"
                 "a1;Anna Aios;a1@voorbeeld.nl;;S1;Stagebegeleider\n", kind="begeleiders")
    dry = plan_import(fresh_db, ADMIN, "begeleiders", frame, LATER)
    assert (dry.problems, dry.ignored, dry.counts) == ([], [], {CREATE: 0, UPDATE: 1, SAME: 0})
    assert dry.report()[["Rij", "Sleutel", "Actie", "Wijzigingen"]].values.tolist() == [
        [2, "a1", UPDATE, "stageplaatsen: (leeg) → + S1; toegang: a1 krijgt de rol stagebegeleider bij GGD Noord (S1)"]]
    run_import(fresh_db, ADMIN, "begeleiders", frame, "b.csv", today=LATER)
    assert (_roles(fresh_db, "a1"), _begeleider_sites(fresh_db, "a1")) == (["aios", "stagebegeleider"], [1])


def test_extra_rol_gives_only_the_stagebegeleider_role(fresh_db):
    frame = _csv("gebruikersnaam;naam;e-mail;functie;stageplaatsen;extra_rol\n"
                 "a1;Anna Aios;a1@voorbeeld.nl;;S1;beheerder\n", kind="begeleiders")
    plan = run_import(fresh_db, ADMIN, "begeleiders", frame, "b.csv", today=LATER)
    assert _problems(plan) == [
        (2, "extra_rol", "'beheerder' kan hier niet staan: dit bestand geeft alleen de rol stagebegeleider (vul "
                         "'stagebegeleider' in of laat de kolom leeg)."),
        (2, "gebruikersnaam", A1_REFUSED)]
    assert _roles(fresh_db, "a1") == ["aios"]


def test_a_begeleider_whose_role_was_taken_away_is_not_given_it_back_by_a_file(fresh_db):
    """bg3 keeps the begeleider record and the link to S3 after the beheerder took the role away."""
    with Session(fresh_db) as s, s.begin():
        s.execute(delete(UserRole).where(UserRole.user_id == 7))
    frame = _csv(BEGELEIDERS_HEADER + "bg3;Bob Begeleider;bg3@voorbeeld.nl;;S1\n", kind="begeleiders")
    plan = run_import(fresh_db, ADMIN, "begeleiders", frame, "b.csv", today=LATER)
    assert _problems(plan) == [(2, "gebruikersnaam", (
        "Gebruiker 'bg3' heeft geen rol; een rol geeft dit bestand alleen met een kolom 'extra_rol' waarin "
        "'stagebegeleider' staat. Zonder die kolom zou deze rij 'bg3' stagebegeleider maken bij GGD Noord (S1) en "
        "Praktijk West (S3), met toegang tot de aios daar."))]
    assert (_roles(fresh_db, "bg3"), _begeleider_sites(fresh_db, "bg3")) == ([], [3])


# --- keys and rows ----------------------------------------------------------------------------


def test_natural_keys_match_trimmed_and_case_insensitively(fresh_db):
    stages = plan_import(fresh_db, ADMIN, "stages", _csv(STAGES_HEADER + " a3 ; s2 ; BG2 ;02-02-2026;03-05-2026;1\n"), LATER)
    assert (stages.problems, stages.actions) == ([], [(2, "A3 · S2 · 02-02-2026", SAME)])
    aios = plan_import(fresh_db, ADMIN, "aios", _csv(AIOS_HEADER + "a1 ,Anna Aios, A1@Voorbeeld.NL,mg,2024\n"))
    assert (aios.problems, aios.actions) == ([], [(2, "A1", SAME)])


def test_two_rows_that_differ_only_in_case_are_one_duplicate_in_the_dry_run_and_the_import(fresh_db):
    frame = _csv(AIOS_HEADER + "A9,Sanne de Vries,,MG,2025\na9,Sanne de Vries,,MG,2025\n")
    expected = [(3, "", "Deze rij staat al eerder in het bestand (rij 2).")]
    assert _problems(plan_import(fresh_db, ADMIN, "aios", frame)) == expected
    assert _problems(run_import(fresh_db, ADMIN, "aios", frame, "a.csv")) == expected
    assert _count(fresh_db, AuditLog) == 2  # both plans were shown: audited, nothing written


def test_a_database_error_becomes_a_dutch_message_and_writes_nothing(fresh_db, monkeypatch):
    def fail(*args, **kwargs):
        raise OperationalError("INSERT INTO audit_log", {}, Exception("disk I/O error"))
    monkeypatch.setattr("data_access.importer.run.record_write", fail)
    plan = run_import(fresh_db, ADMIN, "stages", _csv(STAGES_HEADER + "A3;S1;bg1;01-06-2026;31-08-2026;1\n"), "s.csv",
                      today=LATER)
    assert _problems(plan) == [(0, "", DATABASE_ERROR)]
    assert plan.summary(done=True) == "1 rij, 1 fout: er is niets geïmporteerd."
    assert _count(fresh_db, Stage) == 8


def test_a_row_with_more_or_fewer_fields_than_the_header_is_refused_with_its_row(fresh_db):
    raw = (AIOS_HEADER + "A9,Sanne,s@voorbeeld.nl,MG,2025\n"
           "A10,de Vries, Sanne,sv@voorbeeld.nl,MG,2025\n"    # an unquoted comma in the name
           "A11,Piet,MG,2025\n")                              # the e-mail column left out
    with pytest.raises(UnreadableFile) as refused:
        read_table(raw.encode(), "aios.csv")
    assert str(refused.value) == (
        "Rij 3 heeft 6 velden, de kopregel (rij 1) 5: de kolommen zouden verschuiven. Controleer de scheidingstekens "
        "en aanhalingstekens in die rij.\n"
        "Rij 4 heeft 4 velden, de kopregel (rij 1) 5: de kolommen zouden verschuiven. Controleer de scheidingstekens "
        "en aanhalingstekens in die rij.")
    # Empty fields after the last column name, there or not, shift nothing.
    frame = read_table(b"aiosnummer;naam;e-mail;opleiding;cohort;;\nA9;Sanne;;MG;2025\nA10;Piet;;MG;2025;;;\n", "a.csv")
    assert (list(frame.columns), frame.values.tolist()) == (
        ["aiosnummer", "naam", "e-mail", "opleiding", "cohort"], [["A9", "Sanne", "", "MG", "2025"], ["A10", "Piet", "", "MG", "2025"]])


def test_email_addresses_are_validated_and_belong_to_one_user(fresh_db):
    frame = _csv(AIOS_HEADER + "A9,Sanne,sanne@@voorbeeld,MG,2025\n"
                               "A10,Piet,BG1@voorbeeld.nl,MG,2025\n"
                               "A11,Kees,kees@voorbeeld.nl,MG,2025\n"
                               "A12,Kees Jr,Kees@Voorbeeld.nl,MG,2025\n")
    assert _problems(run_import(fresh_db, ADMIN, "aios", frame, "a.csv")) == [
        (2, "e-mail", "'sanne@@voorbeeld' is geen geldig e-mailadres."),
        (3, "e-mail", "Het e-mailadres BG1@voorbeeld.nl is al in gebruik bij gebruiker 'bg1'."),
        (5, "e-mail", "Dit e-mailadres staat ook in rij 4."),
    ]


def test_unknown_columns_are_listed_as_ignored_and_missing_ones_named(fresh_db):
    extra = _csv("code;naam;organisatie;opleiding;type;regio;opmerking intern\n"
                 "S4;Huisartsenpost Oost;HAP;HAG;Huisartsenpraktijk;Twente;bellen\n")
    plan = plan_import(fresh_db, ADMIN, "stageplaatsen", extra)
    assert (plan.ignored, plan.problems, plan.counts[CREATE]) == (["opmerking intern"], [], 1)
    missing = plan_import(fresh_db, ADMIN, "stageplaatsen", _csv("code;naam;organisatie;opleiding;type\nS4;a;b;MG;c\n"))
    assert _problems(missing) == [(1, "regio", "Deze kolom ontbreekt in de kopregel (rij 1).")]


# --- files ------------------------------------------------------------------------------------


def test_excels_unicode_text_export_utf16_with_bom_and_tabs_is_read(fresh_db):
    text = ("code\tnaam\torganisatie\topleiding\ttype\tregio\r\n"
            "S4\tHuisartsenpost Oost-Brabant\tHAP Zuid\tHAG\tHuisartsenpraktijk\t's-Hertogenbosch\r\n")
    frame = read_table(text.encode("utf-16"), "plaatsen.txt")
    assert frame.values.tolist() == [["S4", "Huisartsenpost Oost-Brabant", "HAP Zuid", "HAG", "Huisartsenpraktijk",
                                      "'s-Hertogenbosch"]]
    assert run_import(fresh_db, ADMIN, "stageplaatsen", frame, "plaatsen.txt").counts[CREATE] == 1


def _xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_excel_sheet_with_a_title_row_and_blank_rows_above_the_header(fresh_db):
    raw = _xlsx([["Stages voorjaar 2026 (export planningssysteem)"], [], [None, None],
                 ["aiosnummer", "stageplaats", "begeleider", "startdatum", "einddatum", "fte"],
                 ["A3", "S1", "bg1", dt.datetime(2026, 6, 1), dt.datetime(2026, 8, 31), 1],
                 [],
                 ["A4", "S3", "bg3", "31-06-2026", "30-09-2026", 1]])
    frame = read_table(raw, "stages.xlsx", ["aiosnummer", "stageplaats", "begeleider", "startdatum", "einddatum"])
    assert (list(frame.index), frame.attrs["kopregel"]) == ([5, 7], 4)
    plan = plan_import(fresh_db, ADMIN, "stages", frame, LATER)
    assert _problems(plan) == [(7, "startdatum", "31-06-2026 bestaat niet.")]
    assert plan.actions == [(5, "A3 · S1 · 01-06-2026", CREATE)]
    no_end = _xlsx([["Stages"], [], ["aiosnummer", "stageplaats", "begeleider", "startdatum", "fte"], ["A3", "S1", "bg1", "01-06-2026", 1]])
    frame = read_table(no_end, "stages.xlsx", ["aiosnummer", "stageplaats", "begeleider", "startdatum", "einddatum"])
    assert _problems(plan_import(fresh_db, ADMIN, "stages", frame, LATER)) == [
        (3, "einddatum", "Deze kolom ontbreekt in de kopregel (rij 3).")]


def test_an_old_xls_file_is_refused_with_how_to_save_it():
    raw = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000)
    for name in ("stages.xls", "stages.csv"):
        with pytest.raises(UnreadableFile) as refused:
            read_table(raw, name)
        assert str(refused.value) == ("Dit is een oud Excel-bestand (.xls). Sla het bestand op als .xlsx (Excel-werkmap) "
                                      "of CSV en probeer het opnieuw.")


def test_a_five_megabyte_single_line_is_refused_at_once(monkeypatch):
    raw = b"a;" * 2_500_000

    def no_parsing(*args, **kwargs):
        raise AssertionError("geparsed voor de lengtecontrole")  # before: minutes of separator sniffing

    monkeypatch.setattr(csv, "reader", no_parsing)  # refused before any parsing starts
    monkeypatch.setattr(csv, "Sniffer", no_parsing)
    with pytest.raises(UnreadableFile) as refused:
        read_table(raw, "stages.csv", ["aiosnummer"])
    assert str(refused.value) == "Rij 1 is te lang (5.000.000 tekens; maximaal 100.000). Is dit wel een CSV-bestand?"
    with pytest.raises(UnreadableFile) as too_big:
        read_table(raw, "stages.csv", limits=Limits(max_bytes=1_000_000, max_line_chars=100_000))
    assert str(too_big.value) == "Het bestand is te groot (5 MB); maximaal 1 MB."


def test_messages_are_correct_dutch(fresh_db):
    one = _csv(AIOS_HEADER + "A9,Sanne de Vries,,MG,2025\n")
    assert plan_import(fresh_db, ADMIN, "aios", one).summary() == "1 rij: 1 nieuw, 0 bijgewerkt, 0 ongewijzigd: wordt geïmporteerd."
    assert run_import(fresh_db, ADMIN, "aios", one, "a.csv").summary(done=True) == (
        "1 rij: 1 nieuw, 0 bijgewerkt, 0 ongewijzigd: is geïmporteerd.")
    assert run_import(fresh_db, ADMIN, "aios", one, "a.csv").summary(done=True) == (
        "1 rij: 0 nieuw, 0 bijgewerkt, 1 ongewijzigd: niets te importeren.")
    bad = _csv(AIOS_HEADER + f"A10,{'x' * 205},,MG,2025\nA11,Piet,,MG,twintig\n")
    plan = plan_import(fresh_db, ADMIN, "aios", bad)
    assert _problems(plan) == [(2, "naam", "Te lang: 205 tekens, maximaal 200."),
                               (3, "cohort", "Cohort twintig bestaat niet voor opleiding MG.")]
    assert plan.summary() == "2 rijen, 2 fouten: er is niets geïmporteerd."


# --- scope and scale --------------------------------------------------------------------------


def test_only_the_beheerder_may_import_and_a_refusal_is_audited(fresh_db):
    frame = _csv(STAGES_HEADER + "A3;S1;bg1;01-06-2026;31-08-2026;1\n")
    with pytest.raises(AccessDenied, match="Alleen de beheerder mag importeren."):
        plan_import(fresh_db, OPLEIDER, "stages", frame, LATER)
    with pytest.raises(AccessDenied, match="Alleen de beheerder mag importeren."):
        run_import(fresh_db, OPLEIDER, "stages", frame, "s.csv", today=LATER)
    assert _count(fresh_db, AuditLog, AuditLog.action == "geweigerd", AuditLog.user_id == 2) == 2
    assert _count(fresh_db, Stage) == 8


def test_the_plan_reads_only_the_keys_the_file_mentions(fresh_db):
    statements = []

    def record(conn, cursor, sql, *args):
        statements.append(" ".join(sql.split()))
    event.listen(fresh_db, "before_cursor_execute", record)
    try:
        plan_import(fresh_db, ADMIN, "rubricscores", _csv(
            "aiosnummer;stageplaats;startdatum;moment;beoordelaar;soort;datum;rubricversie;criterium;score\n"
            "A1;S1;05-01-2026;eind;bg1;begeleider;05-04-2026;2;1;3\n"), LATER)
        plan_import(fresh_db, ADMIN, "stages", _csv(STAGES_HEADER + "A3;S1;bg1;01-06-2026;31-08-2026;1\n"), LATER)
        plan_import(fresh_db, ADMIN, "beoordelingen", _csv(
            "aiosnummer;stageplaats;startdatum;leermogelijkheden;leerklimaat;begeleiding;opmerking;datum\n"
            "A1;S1;05-01-2026;4;4;4;;10-04-2026\n"), LATER)
    finally:
        event.remove(fresh_db, "before_cursor_execute", record)
    selects = [s for s in statements if s.upper().startswith("SELECT")]
    assert selects and [s for s in selects if " WHERE " not in s and "data_version" not in s] == []


def test_the_stagecode_migration_runs_down_and_up_on_a_filled_database(fresh_db):
    from alembic import command

    from data_access.db import alembic_config

    cfg = alembic_config(fresh_db.url.render_as_string(hide_password=False))
    command.downgrade(cfg, "0002")
    command.upgrade(cfg, "head")
    assert _count(fresh_db, Stage) == 8
    assert _stage(fresh_db, 1).code is None


def test_the_command_line_shows_the_plan_as_the_page_does(fresh_db, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    path = tmp_path / "stages.csv"
    path.write_text("aiosnummer;stageplaats;begeleider;startdatum;einddatum;fte;opmerking\n"
                    "A3;S2;bg2;09-02-2026;03-05-2026;1;verschoven\n", encoding="utf-8")
    url = fresh_db.url.render_as_string(hide_password=False)

    def run(user: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "data_access.importer", str(path), "--kind", "stages", "--dry-run",
                               "--db-url", url, "--gebruiker", user], cwd=Path(__file__).resolve().parent.parent,
                              capture_output=True, text=True)
    dry = run("admin")
    assert (dry.returncode, dry.stdout.splitlines()) == (0, [
        "kolom 'opmerking': genegeerd (onbekende kolom)",
        "rij 2, A3 · S2 · 09-02-2026: bijgewerkt: startdatum: 02-02-2026 → 09-02-2026",
        "1 rij: 0 nieuw, 1 bijgewerkt, 0 ongewijzigd: wordt geïmporteerd."])
    refused = run("opl1")
    assert (refused.returncode, refused.stderr) == (2, "Fout: opl1 heeft de rol beheerder niet\n")
