"""``python -m dist401k``: the same command line as ``dist401k``."""

from dist401k.cli import main

main()
