"""`python -m bot`: the command line of the composition root (see bot.app.main)."""

import sys

from bot.app.main import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
