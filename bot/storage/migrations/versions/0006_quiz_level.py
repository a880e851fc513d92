"""The level a learner asked for with `/quiz [area] [level]`, kept for the Next button.

Revision ID: 0006_quiz_level
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_quiz_level"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(sa.Column("quiz_level", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.drop_column("quiz_level")
