"""``python -m fakecheckout serve``: see ``fakecheckout.cli``."""

from __future__ import annotations

import sys

from fakecheckout.cli import main

if __name__ == "__main__":
    sys.exit(main())
