"""docs/library.md's examples run as printed: every ```python block is run (each on its own)
and what it prints is the ```text block written under it.  The figures in those blocks are
worked by hand in the page itself (Rev. Proc. 2025-32, IRC §72(t)(2)(H), 35 ILCS 5/201)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "library.md"
BLOCK = re.compile(r"```python\n(.*?)```\n+```text\n(.*?)```", re.S)


def _examples() -> list[tuple[str, str]]:
    return BLOCK.findall(PAGE.read_text(encoding="utf-8"))


def test_every_python_block_has_its_printed_output():
    text = PAGE.read_text(encoding="utf-8")
    assert len(_examples()) == text.count("```python") >= 7


@pytest.mark.parametrize("code, printed", _examples(),
                         ids=[f"block{i + 1}" for i in range(len(_examples()))])
def test_the_example_prints_what_the_page_shows(code, printed):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(PAGE), "exec"), {"__name__": "__library_example__"})
    assert out.getvalue().splitlines() == printed.rstrip("\n").splitlines()


def test_readme_links_the_page():
    assert "(docs/library.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
