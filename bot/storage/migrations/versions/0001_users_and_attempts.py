"""Users and quiz attempts.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger(), autoincrement=False, primary_key=True),
        sa.Column("first_name", sa.String(128), nullable=False),
        sa.Column("username", sa.String(64), nullable=True),
        sa.Column("timezone", sa.String(64), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer(), autoincrement=True, primary_key=True),
        sa.Column(
            "user_id",
            sa.BigInteger(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("question_id", sa.String(64), nullable=False),
        sa.Column("area", sa.String(32), nullable=False),
        sa.Column("quiz_area", sa.String(32), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("poll_id", sa.String(64), nullable=True, unique=True),
        sa.Column("selection", sa.String(64), nullable=False),
        sa.Column("chosen", sa.String(64), nullable=True),
        sa.Column("correct", sa.Integer(), nullable=True),
        sa.Column("asked_at", UTCDateTime(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_attempts_user_status", "attempts", ["user_id", "status"])
    op.create_index("ix_attempts_user_answered_at", "attempts", ["user_id", "answered_at"])
    op.create_index("ix_attempts_user_question", "attempts", ["user_id", "question_id"])


def downgrade() -> None:
    op.drop_table("attempts")
    op.drop_table("users")
