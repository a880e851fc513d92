"""Turns results into Telegram text (HTML) and keyboards."""
