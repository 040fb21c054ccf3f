"""`python -m poledesk`: the same entry point as the `poledesk` command."""

import sys

from poledesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
