"""What README.md and docs/assess.md say of the example cases holds: every file in
examples/cases/ is counted and starts with its comment."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORDS = {"thirty": 30, "thirty-one": 31, "thirty-two": 32, "thirty-three": 33,
         "thirty-four": 34, "thirty-five": 35, "thirty-six": 36, "forty": 40}


def _said(doc: str) -> int:
    text = (ROOT / doc).read_text()
    m = re.search(r"([a-z-]+)\s+commented\s+cases", text)
    assert m, f"{doc} no longer says how many commented cases there are"
    return WORDS[m.group(1)]


def test_the_docs_count_the_example_cases():
    cases = sorted((ROOT / "examples" / "cases").glob("*.yaml"))
    for doc in ("README.md", "docs/assess.md"):
        assert _said(doc) == len(cases), doc


def test_every_example_case_starts_with_its_comment():
    for path in (ROOT / "examples" / "cases").glob("*.yaml"):
        assert path.read_text().lstrip().startswith("#"), path.name
