"""The offline demo (`interview-bot demo`): one candidate through the whole hiring loop."""

from bot.app.demo.runner import run_demo

__all__ = ["run_demo"]
