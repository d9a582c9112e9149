"""The schema is made only by migrations, and the migrations match the models exactly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from alembic import command
from data_access.db import alembic_config, make_engine
from data_access.migrate import main
from data_access.models import Base


def test_empty_to_head_builds_every_table(empty_db):
    tables = set(inspect(empty_db).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_migrations_and_models_do_not_drift(empty_db):
    with empty_db.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_downgrade_to_base_and_up_again(empty_db):
    cfg = alembic_config(empty_db.url.render_as_string(hide_password=False))
    command.downgrade(cfg, "base")
    assert set(inspect(empty_db).get_table_names()) <= {"alembic_version"}
    command.upgrade(cfg, "head")
    assert set(Base.metadata.tables) <= set(inspect(empty_db).get_table_names())


def test_migrate_command_makes_the_schema(tmp_path):
    url = f"sqlite:///{tmp_path / 'cmd.sqlite'}"
    assert main(["--db-url", url]) == 0
    assert set(Base.metadata.tables) <= set(inspect(make_engine(url)).get_table_names())


def test_0003_releases_existing_ratings_per_site_and_year_and_unties_their_audit_rows(fresh_db):
    """Ratings from before the release rule were shown live per year: released as shown."""
    from sqlalchemy import text

    from tests.fixture_data import RELEASES

    cfg = alembic_config(fresh_db.url.render_as_string(hide_password=False))
    command.downgrade(cfg, "0002")
    with fresh_db.begin() as conn:
        conn.execute(text("INSERT INTO audit_log (at, user_id, action, entity, entity_id) "
                          "VALUES (CURRENT_TIMESTAMP, 8, 'ingediend', 'stageplaats_beoordeling', 5)"))
    command.upgrade(cfg, "head")
    with fresh_db.connect() as conn:
        releases = conn.execute(text(
            "SELECT rr.stageplaats_id, rr.released_at, rr.size, rr.threshold, r.stage_id FROM rating_release rr "
            "JOIN stageplaats_rating r ON r.release_id = rr.id ORDER BY rr.stageplaats_id, rr.released_at, r.stage_id"
        )).all()
        pending = conn.execute(text("SELECT COUNT(*) FROM stageplaats_rating WHERE release_id IS NULL")).scalar_one()
        audit = conn.execute(text("SELECT entity_id FROM audit_log WHERE entity = 'stageplaats_beoordeling'")).all()
    grouped = {}
    for site, when, size, threshold, stage in releases:
        when = str(when)[:10]
        grouped.setdefault((site, when, size, threshold), set()).add(stage)
    assert grouped == {(site, str(when.date()), len(stages), None): set(stages)
                       for site, when, stages in RELEASES.values()}
    assert pending == 0 and audit == [(None,)]
