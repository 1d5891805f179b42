import sys
from pathlib import Path

# The oracle helpers (tests/oracles) are imported as a package by the tests.
sys.path.insert(0, str(Path(__file__).parent))
