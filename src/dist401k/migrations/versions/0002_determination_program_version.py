"""The dist401k version that made a determination.

A nullable column: a determination stored before it reads as unknown (null), never guessed.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("determinations", sa.Column("dist401k_version", sa.String(32), nullable=True))


def downgrade() -> None:
    # batch mode: SQLite drops a column by copying the table
    with op.batch_alter_table("determinations") as batch:
        batch.drop_column("dist401k_version")
