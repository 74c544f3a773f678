"""``python -m core``: see :mod:`core.cli.main`."""

import sys

from core.cli.main import main

sys.exit(main())
