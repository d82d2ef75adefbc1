"""``python -m xpos.cli``."""

import sys

from xpos.cli import main

sys.exit(main())
