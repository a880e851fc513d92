"""/goal: the interview date, its countdown and the readiness forecast."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.domain.goal import GoalError
from bot.handlers.common import ensure_user, reply
from bot.render import coach_text


async def goal(update: Update, context: BotContext) -> None:
    user = update.effective_user
    if user is None:
        return
    args = context.args or []
    coach, catalog = context.services.coach, context.services.catalog
    if len(args) > 1:
        await reply(update, coach_text.GOAL_USAGE)
        return
    await ensure_user(context, user)
    if not args:
        await reply(update, coach_text.goal_shown(await coach.plan(user.id), catalog))
        return
    if args[0].lower() == "off":
        cleared = await coach.clear_goal(user.id)
        await reply(update, coach_text.GOAL_OFF if cleared else coach_text.NO_GOAL)
        return
    try:
        plan = await coach.set_goal(user.id, args[0])
    except GoalError as error:
        await reply(update, coach_text.goal_error(error))
        return
    await reply(update, coach_text.goal_saved(plan, catalog))
