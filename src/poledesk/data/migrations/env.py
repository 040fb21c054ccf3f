"""Alembic environment: runs on the connection the application hands over (data/migrate.py)."""

from alembic import context

from poledesk.data.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("PoleDesk migrations run from poledesk.data.migrate.upgrade(), which passes a connection.")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
