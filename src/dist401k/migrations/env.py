"""Alembic environment: migrations for dist401k's store (cases and determinations).

One migration at a time, all of it in one transaction: on PostgreSQL under an advisory lock,
on SQLite under the database's write lock (``BEGIN IMMEDIATE``, with the driver's own
transaction handling turned off so that the DDL is inside the transaction).  Processes
started together take turns, the later ones find the schema current, and a crash leaves the
database as it was.
"""

from alembic import context
from sqlalchemy import engine_from_config, event, pool

from dist401k.store import Base, record_unrecorded_schema

config = context.config
target_metadata = Base.metadata
# Any number, the same in every process: the key of PostgreSQL's advisory lock.
MIGRATION_LOCK_KEY = 401_457_403


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def _sqlite_transactional(engine) -> None:
    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_connection, _record):
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin_immediate(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def run_migrations_online() -> None:
    connectable = engine_from_config(config.get_section(config.config_ini_section) or {},
                                     prefix="sqlalchemy.", poolclass=pool.NullPool,
                                     hide_parameters=True)
    sqlite = connectable.dialect.name == "sqlite"
    if sqlite:
        _sqlite_transactional(connectable)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          transactional_ddl=True)
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
            migration = context.get_context()
            if migration.get_current_revision() is None:
                record_unrecorded_schema(
                    connection, lambda: migration.stamp(context.script, "heads"))
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
