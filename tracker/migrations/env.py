"""Alembic environment: runs migrations on the engine the tracker hands over.

Every upgrade (or downgrade) runs in one transaction, so a process killed half-way leaves
the schema at the revision it had, and the next run starts again from there. SQLite's DDL
is transactional, but Python's sqlite3 driver begins a transaction only before INSERT,
UPDATE or DELETE: CREATE TABLE would be committed at once. So the driver's own begin is
switched off and the transaction begun explicitly (IMMEDIATE: a second process migrating
at the same time waits for this one, then finds the schema done). On PostgreSQL an advisory
lock does the same for concurrent runs.

On SQLite, altering a table means copying it into a new one (batch mode); foreign keys are
switched off meanwhile (SQLite ignores the switch inside a transaction, so it is set before
the migration's transaction), else dropping the old table of a referenced row fails.
"""

from alembic import context
from sqlmodel import SQLModel

import tracker.models  # noqa: F401  (registers the tables)
from tracker.tables import Words

#: Any constant shared by every tracker process: the key of the migration's advisory lock.
POSTGRES_LOCK = 0x5B7AC4


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Autogenerate writes a column of words as the plain string column it is in the
    database, so a migration never imports the tracker's code."""
    if type_ == "type" and isinstance(obj, Words):
        return "sqlmodel.sql.sqltypes.AutoString()"
    return False


config = context.config
engine = config.attributes["engine"]
sqlite = engine.dialect.name == "sqlite"

with engine.connect() as connection:
    driver = connection.connection.driver_connection
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
        driver_begins = driver.isolation_level
        driver.isolation_level = None  # no implicit begin or commit by the driver
    try:
        with connection.begin():
            if sqlite:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            elif engine.dialect.name == "postgresql":
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({POSTGRES_LOCK})")
            context.configure(
                connection=connection,
                target_metadata=SQLModel.metadata,
                render_as_batch=sqlite,
                render_item=render_item,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        if sqlite:
            driver.isolation_level = driver_begins
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
