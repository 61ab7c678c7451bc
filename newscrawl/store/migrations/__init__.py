"""Alembic's script directory for the archive's schema (env.py, versions/). Applied by
:mod:`newscrawl.store.migrate`; see docs/schema.md#schema-changes for how to add a revision."""
