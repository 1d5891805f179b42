"""Saved cases and determinations (SQLAlchemy): SQLite by default, PostgreSQL when
``DIST401K_DATABASE_URL`` names one; the schema is kept by Alembic migrations.

A determination is stored with its inputs, the law version (the parameter files' hash) and the
tax year, and the result, so it can be reproduced and audited later.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, create_engine, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

DEFAULT_URL = "sqlite:///dist401k.db"


def database_url() -> str:
    return os.environ.get("DIST401K_DATABASE_URL", DEFAULT_URL)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _id() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    pass


class SavedCase(Base):
    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_id)
    label: Mapped[str | None] = mapped_column(String(200), nullable=True)
    data: Mapped[dict] = mapped_column(JSON)
    created: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class Determination(Base):
    __tablename__ = "determinations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_id)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"),
                                                nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    law_version: Mapped[str] = mapped_column(String(32))
    tax_year: Mapped[int] = mapped_column(Integer)
    inputs: Mapped[dict] = mapped_column(JSON)
    result: Mapped[dict] = mapped_column(JSON)
    created: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


MIGRATIONS = Path(__file__).parent / "migrations"


def migrate(url: str) -> None:
    """Bring the database's schema to the newest migration."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(cfg, "head")


class Store:
    """The saved cases and determinations behind the API."""

    def __init__(self, url: str | None = None, run_migrations: bool = True):
        self.url = url or database_url()
        if run_migrations:
            migrate(self.url)
        self.engine: Engine = create_engine(self.url, future=True)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self.sessions()

    # cases
    def create_case(self, data: dict, label: str | None = None) -> SavedCase:
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
                           tax_year: int, case_id: str | None = None) -> Determination:
        with self.session() as s, s.begin():
            row = Determination(kind=kind, inputs=inputs, result=result, law_version=law_version,
                                tax_year=tax_year, case_id=case_id)
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
