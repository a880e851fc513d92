"""`my_chat_member`: a user who blocks the bot goes inactive; unblocking restores them."""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.handlers import group
from bot.services import services

GONE = {ChatMember.BANNED, ChatMember.LEFT}


async def on_my_chat_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    change = update.my_chat_member
    if change is None:
        return
    if change.chat.type != ChatType.PRIVATE:
        await group.bot_membership_changed(update, context)
        return
    svc = services(context)
    if change.new_chat_member.status in GONE:
        await svc.users.set_active(change.from_user.id, False)
    else:
        user = change.from_user
        await svc.users.touch(user.id, user.first_name, user.username, svc.clock.now())
