"""FSRS cards and their review log, review attempts, and the learner's interview date.

Answers stored before this migration are replayed into cards (wrong → Again, right → Good,
open questions by their self-rating), so a learner's history is scheduled from the start.

Revision ID: 0007
Revises: 0006_quiz_level
"""

import sqlalchemy as sa
from alembic import op

from bot.domain.spaced_repetition import CardState, ReviewRating, review
from bot.storage.types import UTCDateTime

revision = "0007"
down_revision = "0006_quiz_level"
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade() -> None:
    op.create_table(
        "cards",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("area", sa.String(length=32), nullable=False),
        sa.Column("phase", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.Float(), nullable=True),
        sa.Column("due", UTCDateTime(), nullable=False),
        sa.Column("last_review", UTCDateTime(), nullable=True),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "question_id", name="pk_cards"),
    )
    op.create_index("ix_cards_user_due", "cards", ["user_id", "due"])
    op.create_table(
        "card_reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("reviewed_at", UTCDateTime(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("due_after", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_card_reviews_user_reviewed_at", "card_reviews", ["user_id", "reviewed_at"])
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(
            sa.Column("review", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("goal_date", sa.Date(), nullable=True))
    _replay_answers()


def _replay_answers() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT user_id, question_id, area, correct, rating, asked_at, answered_at "
            "FROM attempts WHERE status = 'answered' AND answered_at IS NOT NULL "
            "ORDER BY user_id, question_id, answered_at, id"
        ).columns(asked_at=UTCDateTime(), answered_at=UTCDateTime())
    )
    cards = sa.table(
        "cards",
        *(
            sa.column(name)
            for name in (
                "user_id",
                "question_id",
                "area",
                "phase",
                "step",
                "stability",
                "difficulty",
                "reps",
                "lapses",
            )
        ),
        sa.column("due", UTCDateTime()),
        sa.column("last_review", UTCDateTime()),
    )
    logs = sa.table(
        "card_reviews",
        sa.column("user_id"),
        sa.column("question_id"),
        sa.column("rating"),
        sa.column("source"),
        sa.column("duration_ms"),
        sa.column("reviewed_at", UTCDateTime()),
        sa.column("due_after", UTCDateTime()),
    )
    replayed: dict[tuple[int, str], tuple[str, CardState]] = {}
    log_rows: list[dict[str, object]] = []
    for user_id, question_id, area, correct, rating, asked_at, answered_at in rows:
        answered, asked = answered_at, asked_at
        key = (int(user_id), str(question_id))
        card = replayed[key][1] if key in replayed else CardState.new(answered)
        grade = (
            ReviewRating(int(rating))
            if rating
            else (ReviewRating.GOOD if correct else ReviewRating.AGAIN)
        )
        card = review(card, grade, answered)
        replayed[key] = (str(area), card)
        log_rows.append(
            {
                "user_id": key[0],
                "question_id": key[1],
                "rating": int(grade),
                "source": "quiz",
                "duration_ms": max(0, int((answered - asked).total_seconds() * 1000)),
                "reviewed_at": answered,
                "due_after": card.due,
            }
        )
    card_rows = [
        {
            "user_id": user_id,
            "question_id": question_id,
            "area": area,
            "phase": int(card.phase),
            "step": card.step,
            "stability": card.stability,
            "difficulty": card.difficulty,
            "due": card.due,
            "last_review": card.last_review,
            "reps": card.reps,
            "lapses": card.lapses,
        }
        for (user_id, question_id), (area, card) in replayed.items()
    ]
    for start in range(0, len(card_rows), BATCH):
        bind.execute(cards.insert(), card_rows[start : start + BATCH])
    for start in range(0, len(log_rows), BATCH):
        bind.execute(logs.insert(), log_rows[start : start + BATCH])


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("goal_date")
    with op.batch_alter_table("attempts") as batch:
        batch.drop_column("review")
    op.drop_index("ix_card_reviews_user_reviewed_at", table_name="card_reviews")
    op.drop_table("card_reviews")
    op.drop_index("ix_cards_user_due", table_name="cards")
    op.drop_table("cards")
