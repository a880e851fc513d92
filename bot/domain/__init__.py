"""Pure rules: grading, selection, scoring, streaks. No Telegram, no database."""
