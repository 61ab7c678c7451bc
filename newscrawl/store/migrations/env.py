"""Alembic environment: runs on the connection newscrawl.store.migrate hands over (config.attributes), or, for a
developer's ``alembic revision --autogenerate``, on the URL of ``alembic.ini`` beside this file."""

from alembic import context
from sqlalchemy import create_engine

from newscrawl.store.migrate import declared
from newscrawl.store.schema import metadata

config = context.config


def _run(connection) -> None:
    # render_as_batch: SQLite can't ALTER most things; batch mode copies the table (no-op on PostgreSQL)
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                      include_object=declared)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)
