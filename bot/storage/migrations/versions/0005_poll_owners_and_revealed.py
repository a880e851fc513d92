"""Poll owners, a `revealed` attempt status, and option sets in `chosen`.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "polls",
        sa.Column("poll_id", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=16), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("poll_id"),
    )
    # Polls already out there keep counting: their owners were written beside them.
    op.execute(
        "INSERT INTO polls (poll_id, owner, owner_id, chat_id, created_at) "
        "SELECT poll_id, 'private', id, chat_id, asked_at FROM attempts WHERE poll_id IS NOT NULL"
    )
    op.execute(
        "INSERT INTO polls (poll_id, owner, owner_id, chat_id, created_at) "
        "SELECT q.poll_id, 'round', q.id, r.chat_id, COALESCE(q.opened_at, r.created_at) "
        "FROM round_questions q JOIN rounds r ON r.id = q.round_id WHERE q.poll_id IS NOT NULL"
    )
    op.execute(
        "INSERT INTO polls (poll_id, owner, owner_id, chat_id, created_at) "
        "SELECT poll_id, 'qotd', id, chat_id, due_at FROM group_posts WHERE poll_id IS NOT NULL"
    )
    # The model answer shown was a marker in `selection`; it is a status now.
    op.execute(
        "UPDATE attempts SET status = 'revealed', selection = '' "
        "WHERE status = 'open' AND selection = 'revealed'"
    )
    op.execute("UPDATE attempts SET selection = '' WHERE selection = 'revealed'")
    # Open questions stored the rating's name in `chosen`; the rating has its own column.
    op.execute("UPDATE attempts SET chosen = NULL WHERE rating IS NOT NULL")


def downgrade() -> None:
    op.execute(
        "UPDATE attempts SET status = 'open', selection = 'revealed' WHERE status = 'revealed'"
    )
    op.drop_table("polls")
