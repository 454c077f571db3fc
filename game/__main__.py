"""``python -m game``: the same as the ``callback`` command."""

import sys

from game.cli import main

sys.exit(main())
