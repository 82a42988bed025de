"""The Alembic migrations, shipped in the wheel beside `bot` (see bot.app.startup)."""
