"""/checkin, /timezone and /history."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.domain.schedule import ScheduleError, parse_pause, parse_schedule_args
from bot.handlers.common import ensure_user, refuse_arguments, reply
from bot.render import checkin_text


async def checkin(update: Update, context: BotContext) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    await ensure_user(context, user)
    svc = context.services.checkins
    args = context.args or []
    command = args[0].lower() if args else ""
    try:
        if not args:
            await reply(update, checkin_text.schedule(await svc.schedule(user.id)))
        elif command == "off" and len(args) == 1:
            turned_off = await svc.turn_off(user.id)
            await reply(update, checkin_text.CHECKIN_OFF if turned_off else checkin_text.NO_CHECKIN)
        elif command == "pause":
            if len(args) != 2:
                raise ScheduleError("say how long, like /checkin pause 7d")
            view = await svc.pause(user.id, parse_pause(args[1]))
            if view is not None:
                await reply(update, checkin_text.schedule(view))
            elif await svc.schedule(user.id) is not None:
                await reply(update, checkin_text.CHECKIN_IS_OFF)
            else:
                await reply(update, checkin_text.NO_CHECKIN)
        elif command == "resume" and len(args) == 1:
            view, changed = await svc.resume(user.id)
            if view is not None and changed:
                await reply(update, checkin_text.resumed(view))
            else:
                await reply(update, checkin_text.not_paused(view))
        else:
            view = await svc.set_schedule(user.id, chat.id, parse_schedule_args(args))
            await reply(update, checkin_text.schedule_saved(view))
    except ScheduleError as error:
        await reply(update, checkin_text.schedule_error(error))


async def timezone(update: Update, context: BotContext) -> None:
    user = update.effective_user
    if user is None:
        return
    await ensure_user(context, user)
    svc = context.services.checkins
    args = context.args or []
    if not args:
        await reply(update, checkin_text.timezone_current(await svc.zone_setting(user.id)))
        return
    if len(args) > 1:
        await reply(update, checkin_text.timezone_error(ScheduleError("give one zone")))
        return
    try:
        view = await svc.set_timezone(user.id, args[0])
    except ScheduleError as error:
        await reply(update, checkin_text.timezone_error(error))
        return
    zone = await svc.user_zone(user.id)
    await reply(update, checkin_text.timezone_saved(str(zone.key), view))


async def history(update: Update, context: BotContext) -> None:
    if await refuse_arguments(update, context, "history") or update.effective_user is None:
        return
    checkins, streak = await context.services.checkins.history(update.effective_user.id)
    await reply(update, checkin_text.history(checkins, streak))
