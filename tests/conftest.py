import os
import sys
from pathlib import Path

# The oracle helpers (tests/oracles) are imported as a package by the tests.
sys.path.insert(0, str(Path(__file__).parent))
# FastAPI's TestClient sends ``Host: testserver``: allowed in the tests only (the API answers
# only its own host names; docs/api.md, "Allowed hosts"; tests/api/test_allowed_hosts.py).
os.environ.setdefault("DIST401K_ALLOWED_HOSTS", "testserver")
# pytest-xdist's workers (`make test` runs the tests in one per processor) start with
# COLUMNS=80 and LINES=24 set by execnet; the tests read the terminal as a serial run does.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.pop("COLUMNS", None)
    os.environ.pop("LINES", None)


import pytest  # noqa: E402

#: The state made "not covered" once every state is (its rule taken out for one test):
#: Arkansas's, whose withholding is not modelled either, so only the income tax changes.
TAKEN_OUT = "AR"


@pytest.fixture
def uncovered_state(monkeypatch) -> str:
    """A state whose income tax dist401k does not figure: the first not covered, or, when every
    state is covered, one whose rule is taken out for the test (the engine's RULES and the
    COVERED / NOT_COVERED lists the doors read), so "not covered answers NaN and says so"
    stays tested."""
    from dist401k.tax import state as package
    from dist401k.tax.state import engine

    if engine.NOT_COVERED:
        return engine.NOT_COVERED[0]
    monkeypatch.delitem(engine.RULES, TAKEN_OUT)
    covered = tuple(c for c in engine.COVERED if c != TAKEN_OUT)
    for module in (engine, package):
        monkeypatch.setattr(module, "COVERED", covered)
        monkeypatch.setattr(module, "NOT_COVERED", (TAKEN_OUT,))
    return TAKEN_OUT
