"""Backups restore what was there: back up, write, restore, and the database is as it was."""

from __future__ import annotations

from sqlalchemy import func, select, text

from data_access.audit import load_data_version
from data_access.backup import main
from data_access.db import make_engine
from data_access.models import AuditLog, Gesprek, StageplaatsRating, UserAccount as User

TABLES = (User, Gesprek, StageplaatsRating, AuditLog)


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {m.__tablename__: conn.execute(select(func.count()).select_from(m)).scalar_one() for m in TABLES}


def _url(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_backup_write_restore_gives_the_database_back(fresh_db, tmp_path, capsys):
    before, version_before = _counts(fresh_db), load_data_version(fresh_db)
    target = tmp_path / "stage.backup"
    assert main(["backup", str(target), "--db-url", _url(fresh_db)]) == 0
    assert target.stat().st_size > 0

    with fresh_db.begin() as conn:
        conn.execute(text("DELETE FROM stageplaats_rating"))
        conn.execute(text("UPDATE user_account SET display_name = 'na de back-up'"))
        conn.execute(text("UPDATE data_version SET version = version + 5"))
    assert _counts(fresh_db)["stageplaats_rating"] == 0

    fresh_db.dispose()  # a restore happens with the app stopped: no open connections
    assert main(["restore", str(target), "--db-url", _url(fresh_db)]) == 0
    restored = make_engine(_url(fresh_db))
    assert _counts(restored) == before
    with restored.connect() as conn:
        assert conn.execute(select(func.count()).where(User.display_name == "na de back-up")).scalar_one() == 0
    # A version no cache has seen: past the one before the restore, not the backed-up one.
    assert load_data_version(restored) == version_before + 5 + 1
    assert "Teruggezet" in capsys.readouterr().out
    restored.dispose()


def test_restore_of_a_missing_file_says_so_in_dutch(fresh_db, tmp_path, capsys):
    assert main(["restore", str(tmp_path / "bestaat-niet.backup"), "--db-url", _url(fresh_db)]) == 1
    assert capsys.readouterr().out.strip() == f"Fout: Back-upbestand {tmp_path / 'bestaat-niet.backup'} bestaat niet."
