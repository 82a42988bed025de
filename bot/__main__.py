"""`python -m bot`: the `interview-bot` command line (see bot.app.main)."""

import sys

from bot.app.main import run

if __name__ == "__main__":
    sys.exit(run())
