"""Group study mode: groups, members, rounds, scheduled group posts and answers.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "chat_members",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("is_member", sa.Boolean(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", "user_id"),
    )
    op.create_table(
        "chats",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=256), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "group_schedules",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("minute", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("next_run_at", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chat_id", "kind", name="uq_group_schedules_chat_kind"),
    )
    with op.batch_alter_table("group_schedules", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_group_schedules_next_run_at"), ["next_run_at"], unique=False
        )

    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("started_by", sa.BigInteger(), nullable=False),
        sa.Column("area", sa.String(length=32), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rounds_chat_id"), ["chat_id"], unique=False)
        batch_op.create_index(
            "uq_rounds_one_running_per_chat",
            ["chat_id"],
            unique=True,
            sqlite_where=sa.text("status = 'running'"),
            postgresql_where=sa.text("status = 'running'"),
        )

    op.create_table(
        "group_posts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("question_id", sa.String(length=64), nullable=True),
        sa.Column("poll_id", sa.String(length=64), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("reminded_at", UTCDateTime(), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["schedule_id"], ["group_schedules.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("poll_id"),
        sa.UniqueConstraint("schedule_id", "local_date", name="uq_group_posts_schedule_date"),
    )
    with op.batch_alter_table("group_posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_posts_chat_id"), ["chat_id"], unique=False)
        batch_op.create_index("ix_group_posts_status_due", ["status", "due_at"], unique=False)

    op.create_table(
        "round_questions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("poll_id", sa.String(length=64), nullable=True),
        sa.Column("opened_at", UTCDateTime(), nullable=True),
        sa.Column("closes_at", UTCDateTime(), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("poll_id"),
    )
    with op.batch_alter_table("round_questions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_round_questions_closes_at"), ["closes_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_round_questions_round_id"), ["round_id"], unique=False)

    op.create_table(
        "group_answers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("round_question_id", sa.Integer(), nullable=True),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("chosen", sa.String(length=64), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["group_posts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["round_question_id"], ["round_questions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("post_id", "user_id", name="uq_group_answers_post_user"),
        sa.UniqueConstraint(
            "round_question_id", "user_id", name="uq_group_answers_round_question_user"
        ),
    )
    with op.batch_alter_table("group_answers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_group_answers_chat_answered_at", ["chat_id", "answered_at"], unique=False
        )

    op.create_table(
        "standup_answers",
        sa.Column("post_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["group_posts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("post_id", "user_id"),
    )


def downgrade() -> None:

    op.drop_table("standup_answers")
    with op.batch_alter_table("group_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_group_answers_chat_answered_at")

    op.drop_table("group_answers")
    with op.batch_alter_table("round_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_round_questions_round_id"))
        batch_op.drop_index(batch_op.f("ix_round_questions_closes_at"))

    op.drop_table("round_questions")
    with op.batch_alter_table("group_posts", schema=None) as batch_op:
        batch_op.drop_index("ix_group_posts_status_due")
        batch_op.drop_index(batch_op.f("ix_group_posts_chat_id"))

    op.drop_table("group_posts")
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_rounds_one_running_per_chat",
            sqlite_where=sa.text("status = 'running'"),
            postgresql_where=sa.text("status = 'running'"),
        )
        batch_op.drop_index(batch_op.f("ix_rounds_chat_id"))

    op.drop_table("rounds")
    with op.batch_alter_table("group_schedules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_schedules_next_run_at"))

    op.drop_table("group_schedules")
    op.drop_table("chats")
    op.drop_table("chat_members")
