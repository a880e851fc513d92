"""Interview Coach: a Telegram bot that quizzes Python backend developers for interviews."""

__version__ = "0.1.0"
