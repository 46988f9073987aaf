"""The Discord front end: a thin layer over the engine (`python -m assistant bot`; set-up in docs/bot.md)."""
