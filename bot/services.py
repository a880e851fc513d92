"""Everything a handler or a scheduled job may use: the use cases, built once in bootstrap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

from telegram.ext import Application

from bot.banks.catalog import Catalog
from bot.config import Settings
from bot.domain.clock import Clock
from bot.storage.database import Database
from bot.storage.unit_of_work import UnitOfWorkFactory
from bot.usecases.chats import ChatService
from bot.usecases.checkins import CheckinService
from bot.usecases.coach import CoachService
from bot.usecases.conversation import ConversationService
from bot.usecases.group_posts import GroupPostService
from bot.usecases.polls import PollService
from bot.usecases.progress import ProgressService
from bot.usecases.quiz import QuizService
from bot.usecases.rounds import RoundService
from bot.usecases.users import UserService

SERVICES_KEY = "services"
BotApplication: TypeAlias = Application[Any, Any, Any, Any, Any, Any]


@dataclass
class Services:
    settings: Settings
    catalog: Catalog
    clock: Clock
    database: Database
    uow: UnitOfWorkFactory  # for start-up chores and tests; handlers use the services below
    users: UserService
    quiz: QuizService
    coach: CoachService
    progress: ProgressService
    checkins: CheckinService
    conversation: ConversationService
    chats: ChatService
    rounds: RoundService
    group_posts: GroupPostService
    polls: PollService


def services_of(application: BotApplication) -> Services:
    found = application.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found
