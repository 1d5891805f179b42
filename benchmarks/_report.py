"""Write a benchmark's table into its marked section of docs/performance.md."""

from __future__ import annotations

import re
from pathlib import Path


def replace_section(path: Path, name: str, table: str) -> None:
    """Replace the text between ``<!-- name:start -->`` and ``<!-- name:end -->``."""
    text = path.read_text()
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = re.sub(re.escape(start) + ".*?" + re.escape(end), f"{start}\n{table}\n{end}", text,
                  flags=re.S)
    path.write_text(text)
