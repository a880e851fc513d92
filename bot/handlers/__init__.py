"""Thin Telegram handlers: parse, authorise, call a service, render, send."""
