"""A local Bot API server: real HTTP and long polling for tests, benchmarks and the playground."""

from bot.devserver.server import BotApiServer, Call, Fault
from bot.devserver.users import SimGroup, SimUser

__all__ = ["BotApiServer", "Call", "Fault", "SimGroup", "SimUser"]
