"""Saved cases and determinations (SQLAlchemy): SQLite by default, PostgreSQL when
``DIST401K_DATABASE_URL`` names one; the schema is kept by Alembic migrations.

A determination is stored with its inputs, the law version (the law files' hash), the dist401k
version that made it and the tax year, and the result, so it can be reproduced and audited later
(the dist401k version is null in a row stored before it was recorded: unknown).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import uuid
from pathlib import Path

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, create_engine, inspect, select
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import NullPool
from sqlalchemy.types import TypeDecorator

from dist401k import __version__
from dist401k.errors import FINITE, FieldProblem, InputError
from dist401k.finite_json import non_finite_paths

DEFAULT_URL = "sqlite:///dist401k.db"


def database_url() -> str:
    return os.environ.get("DIST401K_DATABASE_URL", DEFAULT_URL)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class UtcDateTime(TypeDecorator):
    """A moment stored in UTC and read back as UTC: SQLite keeps no time zone, so a moment
    written aware came back naive, and the API answered "…+00:00" when a case was saved but
    no zone when it was read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value


def _id() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    pass


class SavedCase(Base):
    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_id)
    label: Mapped[str | None] = mapped_column(String(200), nullable=True)
    data: Mapped[dict] = mapped_column(JSON)
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=_now)
    updated: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=_now)


class Determination(Base):
    __tablename__ = "determinations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_id)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"),
                                                nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    law_version: Mapped[str] = mapped_column(String(32))
    # The program that made it (migration 0002); null in a row stored before: unknown.
    dist401k_version: Mapped[str | None] = mapped_column(String(32), nullable=True)
    tax_year: Mapped[int] = mapped_column(Integer)
    inputs: Mapped[dict] = mapped_column(JSON)
    result: Mapped[dict] = mapped_column(JSON)
    created: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=_now)


MIGRATIONS = Path(__file__).parent / "migrations"
# Alembic keeps its running migration in module-level state: one migration at a time per
# process (the database's own lock, in migrations/env.py, orders the processes).
_MIGRATING = threading.Lock()


class StoreError(RuntimeError):
    """The database cannot be opened or brought to the current schema (one line, for the
    person starting the server)."""


def shown_url(url: str) -> str:
    """The database URL without its password, fit for a message."""
    return make_url(url).render_as_string(hide_password=True)


def create_private_sqlite_file(url: str) -> None:
    """Create the SQLite file of ``url`` that does not exist yet, empty (SQLite takes an empty
    file for an empty database), readable and writable by its owner only (mode 0600, whatever
    the umask): it holds the saved cases.  SQLite gives its journal and WAL files the
    database's mode.  An existing file, an in-memory database or another backend is left as it
    is; a folder that does not exist is left for SQLite to report."""
    parsed = make_url(url)
    path = parsed.database
    if parsed.get_backend_name() != "sqlite" or not path or path == ":memory:" \
            or path.startswith("file:") or parsed.query.get("mode") == "memory":
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
    except OSError:  # there already (kept as it is), or cannot be made: SQLite says why
        pass


def migrate(url: str) -> None:
    """Bring the database's schema to the newest migration, once: under the database's own
    lock (PostgreSQL's advisory lock, SQLite's write lock), in one transaction, so that
    processes starting together take turns and a crash leaves the schema as it was.  A
    database whose tables are there without a recorded revision is recorded if they match
    the model, refused otherwise (``StoreError``)."""
    from alembic import command
    from alembic.config import Config
    from alembic.util import CommandError

    create_private_sqlite_file(url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    try:
        with _MIGRATING:
            command.upgrade(cfg, "head")
    except StoreError:
        raise
    except CommandError as exc:  # Alembic's: above all, a revision this version does not know
        raise revision_problem(cfg, url, exc) from None
    except SQLAlchemyError as exc:
        # The driver's own message, first line: never the statement's parameters.
        reason = str(getattr(exc, "orig", None) or type(exc).__name__).splitlines()[0]
        raise StoreError(f"database {shown_url(url)}: cannot be opened or migrated "
                         f"({reason})") from None


def revision_problem(cfg, url: str, exc: Exception) -> StoreError:
    """One line for a database Alembic cannot migrate (``CommandError``): where the database
    records a revision none of this version's migrations is (a rollback to an earlier release
    after a later one migrated the database), that revision, and that it is newer than this
    version, which cannot use it; otherwise Alembic's first line.  It was a 'defect of
    dist401k', exit 70, with no word of the database (docs/api.md, "Storage")."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(cfg)
    known = {s.revision for s in scripts.walk_revisions()}
    try:
        engine = create_engine(url, poolclass=NullPool, hide_parameters=True)
        try:
            with engine.connect() as connection:
                recorded = MigrationContext.configure(connection).get_current_heads()
        finally:
            engine.dispose()
    except SQLAlchemyError:
        recorded = ()
    unknown = [r for r in recorded if r not in known]
    if unknown:
        return StoreError(
            f"database {shown_url(url)} is at migration revision {', '.join(unknown)}, which "
            f"this dist401k ({__version__}, revisions up to {scripts.get_current_head()}) does "
            "not know: a later dist401k migrated it; run that version or a later one, or "
            "restore a backup made before it migrated")
    reason = (str(exc).splitlines() or [type(exc).__name__])[0]
    return StoreError(f"database {shown_url(url)}: cannot be migrated ({reason})")


def record_unrecorded_schema(connection: Connection, stamp) -> None:
    """Repair a database left by an interrupted first start: the store's tables present but
    no revision recorded.  Tables that match the model are recorded as the newest revision
    (``stamp()``); anything else is refused with one line naming what differs."""
    names = set(inspect(connection).get_table_names())
    model = {t.name: {c.name for c in t.columns} for t in Base.metadata.sorted_tables}
    present = names & set(model)
    if not present:
        return
    differ = sorted(set(model) - present) + sorted(
        t for t in present if {c["name"] for c in inspect(connection).get_columns(t)}
        != model[t])
    if differ:
        raise StoreError(
            f"database {shown_url(str(connection.engine.url))} has the store's tables "
            f"({', '.join(sorted(present))}) but no recorded migration, and they do not match "
            f"this version's schema (missing or different: {', '.join(differ)}); move them "
            "aside or restore a backup")
    stamp()


def finite_json(value, field: str) -> None:
    """Refuse a number standard JSON cannot hold (NaN, ±infinity) before it is stored: SQLite
    would keep it and give it back as null, PostgreSQL would refuse the row."""
    for path in non_finite_paths(value, (field,)):
        raise InputError(FieldProblem(".".join(map(str, path)), FINITE))


def _strict_json(value) -> str:
    # The last guard: standard JSON only (no NaN or Infinity reaches a column).
    return json.dumps(value, allow_nan=False)


def _engine(url: str) -> Engine:
    """The store's engine.  Statement parameters are never shown (not in errors, not in
    logs): they hold the cases; the engine does not echo (its loggers, which would show the
    rows read at DEBUG, are held at WARNING by `dist401k serve`: serving.log_config)."""
    args = {"timeout": 30} if make_url(url).get_backend_name() == "sqlite" else {}
    # pool_pre_ping: a pooled connection is tested (``SELECT 1``) as it is taken, and one the
    # database has dropped (a restart, a failover, an idle timeout) is replaced, not used:
    # without it every pooled connection failed one request with 500 after a restart.
    return create_engine(url, echo=False, hide_parameters=True, json_serializer=_strict_json,
                         connect_args=args, pool_pre_ping=True)


def _probe_engine(url: str) -> Engine:
    """An engine for the readiness check: a new connection each time (no pool), so that the
    check neither waits for a request's connection nor takes one; PostgreSQL gives up
    connecting after a few seconds."""
    args = {"connect_timeout": 5} if make_url(url).get_backend_name() == "postgresql" else {}
    return create_engine(url, poolclass=NullPool, hide_parameters=True, connect_args=args)


class Store:
    """The saved cases and determinations behind the API."""

    def __init__(self, url: str | None = None, run_migrations: bool = True):
        self.url = url or database_url()
        create_private_sqlite_file(self.url)
        if run_migrations:
            migrate(self.url)
        self.engine: Engine = _engine(self.url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._probe: Engine | None = None

    def session(self) -> Session:
        return self.sessions()

    def ping(self) -> None:
        """``SELECT 1`` on a connection of its own (``GET /ready``); the database's error, if
        it cannot be reached."""
        if self._probe is None:
            self._probe = _probe_engine(self.url)
        with self._probe.connect() as connection:
            connection.exec_driver_sql("SELECT 1")

    # cases
    def create_case(self, data: dict, label: str | None = None) -> SavedCase:
        finite_json(data, "case")
        with self.session() as s, s.begin():
            row = SavedCase(data=data, label=label)
            s.add(row)
        return row

    def list_cases(self, limit: int = 100, offset: int = 0) -> list[SavedCase]:
        with self.session() as s:
            q = select(SavedCase).order_by(SavedCase.created).limit(limit).offset(offset)
            return list(s.scalars(q))

    def get_case(self, case_id: str) -> SavedCase | None:
        with self.session() as s:
            return s.get(SavedCase, case_id)

    def update_case(self, case_id: str, data: dict, label: str | None = None) -> SavedCase | None:
        finite_json(data, "case")
        with self.session() as s, s.begin():
            row = s.get(SavedCase, case_id)
            if row is None:
                return None
            row.data, row.updated = data, _now()
            if label is not None:
                row.label = label
        return row

    def delete_case(self, case_id: str) -> bool:
        with self.session() as s, s.begin():
            row = s.get(SavedCase, case_id)
            if row is None:
                return False
            s.delete(row)
        return True

    # determinations
    def save_determination(self, kind: str, inputs: dict, result: dict, law_version: str,
                           tax_year: int, case_id: str | None = None,
                           dist401k_version: str = __version__) -> Determination:
        """Keep a determination with the law and the program (``dist401k_version``, this one
        unless given) that made it."""
        with self.session() as s, s.begin():
            row = Determination(kind=kind, inputs=inputs, result=result, law_version=law_version,
                                dist401k_version=dist401k_version, tax_year=tax_year,
                                case_id=case_id)
            s.add(row)
        return row

    def get_determination(self, det_id: str) -> Determination | None:
        with self.session() as s:
            return s.get(Determination, det_id)

    def list_determinations(self, case_id: str) -> list[Determination]:
        with self.session() as s:
            q = select(Determination).where(Determination.case_id == case_id).order_by(
                Determination.created)
            return list(s.scalars(q))
