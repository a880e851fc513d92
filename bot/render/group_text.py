"""Group texts: the welcome, quiz rounds, leaderboards, questions of the day, standups."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from bot.banks.catalog import Catalog
from bot.banks.schema import Question
from bot.domain.ranking import Placed
from bot.domain.schedule import Days
from bot.domain.standup import StandupReply
from bot.render.markup import rich
from bot.render.shared import clip, code_block, fit, option_label, question_text, unknown_area
from bot.usecases.group_answers import GroupAnswerOutcome, GroupAnswerResult

WELCOME = (
    "Hi all! I'm <b>Interview Coach</b>: I help this group practise for Python backend interviews.\n\n"
    "• /groupquiz [area] [count] — a quiz round everyone can answer, e.g. <code>/groupquiz sql 5</code>\n"
    "• /leaderboard — this week's and all-time scores\n"
    "• Admins: <code>/standup 09:30 Europe/Berlin weekdays</code> for a daily standup, "
    "<code>/qotd 12:00</code> for a question of the day\n\n"
    "With privacy mode on (the default) I see only commands and replies to my messages, so answer "
    "standups by <b>replying</b> to my standup message. I need no admin rights. /help lists everything."
)
ADMINS_ONLY = "Only this group's administrators can change /standup and /qotd. Ask one of them."
GROUP_ONLY = "This command works in a group. In our private chat, /quiz practises alone."
ROUND_RUNNING = (
    "A round is already running here. Answer it, or its starter or an admin can /stopquiz."
)
NO_ROUND = "No round is running. /groupquiz starts one."
STOP_REFUSED = "Only whoever started the round or an administrator can stop it."
NOT_A_MEMBER = "Only members of this group can answer."
ALREADY_ANSWERED = "You already answered; your first answer counts."
CLOSED = "This question is closed."
GROUPQUIZ_USAGE = (
    "Usage: <code>/groupquiz [area] [count]</code>, e.g. <code>/groupquiz sql 5</code> "
    "(count 1 to {maximum}, default {default}). /help lists the commands."
)
STANDUP_USAGE = (
    "Usage: <code>/standup HH:MM [Area/City] [days]</code>, e.g. <code>/standup 09:30 Europe/Berlin weekdays</code>; "
    "<code>/standup</code> shows it, <code>/standup off</code> stops it."
)
QOTD_USAGE = (
    "Usage: <code>/qotd HH:MM [Area/City]</code>, e.g. <code>/qotd 12:00 Europe/Berlin</code>; "
    "<code>/qotd</code> shows it, <code>/qotd off</code> stops it."
)
STANDUP_PROMPT_HINT = (
    "<b>Reply to this message</b> with what you did yesterday, what you will do today, and anything "
    "blocking you (a line starting with <i>Blockers:</i>)."
)


def groupquiz_usage(problem: str, maximum: int, default: int) -> str:
    return f"{escape(problem)}\n" + GROUPQUIZ_USAGE.format(maximum=maximum, default=default)


def groupquiz_unknown_area(area: str, catalog: Catalog, suggestions: Sequence[str] = ()) -> str:
    return unknown_area(area, catalog, "Usage: <code>/groupquiz [area] [count]</code>", suggestions)


def round_started(starter: str, count: int, title: str | None, seconds: int) -> str:
    about = f" on {escape(title)}" if title else ""
    return f"🎲 {escape(starter)} started a round of {count} questions{about}, {seconds} s each. Everyone can answer!"


def _question_body(question: Question) -> str:
    options = "\n".join(
        f"<b>{option_label(i)}.</b> {rich(option)}" for i, option in enumerate(question.options)
    )
    return f"{rich(question_text(question))}{code_block(question)}\n\n{options}"


def round_question_message(
    question: Question, title: str, position: int, total: int, seconds: int
) -> str:
    return (
        f"<b>Question {position}/{total}</b> · {escape(title)} · {question.level.value} · {seconds} s\n\n"
        f"{_question_body(question)}\n\n"
        "<i>Tap a letter. Only you see whether you were right until it closes.</i>"
    )


def qotd_message(question: Question, title: str, local_date: date) -> str:
    return (
        f"{qotd_header(local_date)} · {escape(title)}\n\n{_question_body(question)}\n\n"
        "<i>Tap a letter. Tomorrow's question reveals the answer and who got it right.</i>"
    )


NAMES_SHOWN = 20


def _names(names: Sequence[str]) -> str:
    """Up to NAMES_SHOWN names (each clipped), so a big group still fits one message."""
    if not names:
        return "nobody"
    shown = ", ".join(escape(clip(name, 40)) for name in names[:NAMES_SHOWN])
    hidden = len(names) - NAMES_SHOWN
    return f"{shown} and {hidden} more" if hidden > 0 else shown


def closed_question(
    question: Question, title: str, right: Sequence[str], answered: int, header: str
) -> str:
    lines = []
    for index, option in enumerate(question.options):
        mark = "✅" if index in question.correct_options else "▫️"
        lines.append(f"{mark} <b>{option_label(index)}.</b> {rich(option)}")
    reference = (
        f'\n<a href="{escape(question.reference, quote=True)}">Read more</a>'
        if question.reference
        else ""
    )
    return (
        f"{header} · {escape(title)}\n\n{rich(question_text(question))}{code_block(question)}\n\n"
        + "\n".join(lines)
        + f"\n\n{rich(question.explanation)}{reference}\n\nRight: {_names(right)} ({len(right)} of {answered} answers)"
    )


def ranking_lines(placed: Sequence[Placed], total: int | None = None) -> list[str]:
    medals = {1: "🥇", 2: "🥈", 3: "🥉"}
    lines = []
    for entry in placed:
        points = f"{entry.score.points}/{total}" if total else str(entry.score.points)
        lines.append(
            f"{medals.get(entry.place, f'{entry.place}.')} {escape(entry.score.name)} — {points}"
        )
    return lines


def round_over(placed: Sequence[Placed], total: int, stopped_by: str | None = None) -> str:
    head = f"🛑 Round stopped by {escape(stopped_by)}." if stopped_by else "🏁 Round over!"
    if not placed:
        return f"{head} Nobody answered. /groupquiz to try again."
    return f"{head} Ranking:\n" + "\n".join(ranking_lines(placed, total))


def leaderboard(
    week: Sequence[Placed],
    week_caller: Placed | None,
    all_time: Sequence[Placed],
    all_caller: Placed | None,
) -> str:
    def block(title: str, entries: Sequence[Placed], caller: Placed | None) -> str:
        if not entries:
            return f"<b>{title}</b>\nNo answers yet."
        text = f"<b>{title}</b>\n" + "\n".join(ranking_lines(entries))
        if caller:
            text += f"\n…\nYou: {caller.place}. with {caller.score.points}"
        return text

    return (
        "🏆 <b>Leaderboard</b> (right answers)\n\n"
        + block("This week", week, week_caller)
        + "\n\n"
        + block("All time", all_time, all_caller)
    )


def schedule_line(kind: str, hour: int, minute: int, zone: str, days: Days, enabled: bool) -> str:
    name = "standup" if kind == "standup" else "question of the day"
    if not enabled:
        return f"The group {name} is off."
    return f"The group {name}: <b>{hour:02d}:{minute:02d}</b> {escape(zone)}, {days.describe()}."


def qotd_header(local_date: date) -> str:
    return f"🎯 <b>Question of the day</b> · {local_date:%a %-d %b}"


def qotd_reveal(question: Question, right: Sequence[str], answered: int) -> str:
    answers = "; ".join(
        f"{option_label(i)}. {rich(question.options[i])}" for i in sorted(question.correct_options)
    )
    return (
        f"Yesterday's question: {rich(question_text(question))}\n<b>Answer:</b> {answers}\n{rich(question.explanation)}\n"
        f"Right: {_names(right)} ({len(right)} of {answered} answers)"
    )


def standup_prompt(local_date: date) -> str:
    return f"🧍 <b>Group standup</b> · {local_date:%a %-d %b}\n\n{STANDUP_PROMPT_HINT}"


def standup_reminder(missing: Sequence[str]) -> str:
    return f"⏰ The standup closes soon. Still missing: {_names(missing)}. Reply to the standup message."


def standup_summary(
    local_date: date, replies: Sequence[tuple[str, StandupReply]], missing: Sequence[str]
) -> str:
    header = f"📋 <b>Standup summary</b> · {local_date:%a %-d %b}"
    if not replies:
        return f"{header}\nNobody answered. Missing: {_names(missing)}."
    updates = [
        f"• <b>{escape(name)}</b>: {escape(clip(reply.update, 300)) or '—'}"
        for name, reply in replies
    ]
    blockers = [
        f"• {escape(name)}: {escape(clip(reply.blockers, 200))}"
        for name, reply in replies
        if reply.blockers
    ]
    lines = [header, *updates]
    if blockers:
        lines += ["", "<b>Blockers</b>", *blockers]
    lines += ["", f"<b>Missing</b>: {_names(missing)}"]
    return fit(lines)


ANSWER_REPLIES = {
    GroupAnswerOutcome.ALREADY_ANSWERED: ALREADY_ANSWERED,
    GroupAnswerOutcome.CLOSED: CLOSED,
    GroupAnswerOutcome.UNKNOWN: CLOSED,
    GroupAnswerOutcome.INVALID: "That option does not exist.",
}


def answer_notice(result: GroupAnswerResult) -> str:
    """The private notice a member gets for pressing a group question's button."""
    if result.outcome is GroupAnswerOutcome.COUNTED:
        return (
            "✅ Right!"
            if result.correct
            else "❌ Not right. The answer shows when the question closes."
        )
    return ANSWER_REPLIES[result.outcome]
