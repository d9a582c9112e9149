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
