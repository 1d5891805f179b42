"""The law version covers everything of the law a user is shown: the parameter files and the
reason files (texts and citations printed in reports, `explain` and `GET /reasons`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from dist401k.law import default_law
from dist401k.law.loader import PARAMS_DIR, Law


def _copied_law(tmp_path: Path) -> Path:
    """A copy of the shipped law folder (params and reasons); its params folder."""
    shutil.copytree(PARAMS_DIR.parent, tmp_path / "law",
                    ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return tmp_path / "law" / "params"


def test_the_same_files_give_the_same_version(tmp_path):
    assert Law(_copied_law(tmp_path)).version == default_law().version


def test_a_reason_citation_changed_gives_another_version(tmp_path):
    params = _copied_law(tmp_path)
    path = sorted((params.parent / "reasons").glob("*.yaml"))[0]
    doc = yaml.safe_load(path.read_text())
    code = next(iter(doc))
    assert "citation" in doc[code], (path.name, code)
    doc[code]["citation"] += " (amended)"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    assert Law(params).version != default_law().version


def test_a_reason_text_changed_gives_another_version(tmp_path):
    params = _copied_law(tmp_path)
    path = sorted((params.parent / "reasons").glob("*.yaml"))[-1]
    path.write_text(path.read_text() + "\n# a comment is a change of the file too\n")
    assert Law(params).version != default_law().version
