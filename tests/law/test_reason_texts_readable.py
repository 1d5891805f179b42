"""The reasons' texts and citations are read by participants (the web page, the report, the
terminal): they name no path of the repository (``docs/state.md``, ``law/params/state``, a
parameter file's metadata) but the documentation by its name, and a case field a text names is
one the case has, written as its documented path (``request.state_withholding_rate``), so that
the web page can name it by its label (app.js fieldWords)."""

from __future__ import annotations

import re
import typing

import pytest
from pydantic import BaseModel

from dist401k.case import Case
from dist401k.explain import registry

#: What a repository path looks like in a text.
PATH_WORDS = ("docs/", "law/params", ".md", "metadata '", "params/")
#: A case field named by its key, as the web page finds it (app.js CASE_KEY).
CASE_KEY = re.compile(r"\b(?:person|employment|income|plan|account|iras|request|beneficiary|sepp"
                      r"|alternate_payee)(?:\.[a-z0-9_]+)+\b")


def _models(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for a in typing.get_args(annotation) for m in _models(a)]


def _is_case_field(key: str) -> bool:
    """``key`` is a path of the case model (a dict or list of models read through)."""
    models: list[type[BaseModel]] = [Case]
    for part in key.split("."):
        fields = [m.model_fields[part] for m in models if part in m.model_fields]
        if not fields:
            return False
        models = [m for f in fields for m in _models(f.annotation)]
        if not models:
            return part == key.split(".")[-1]
    return True


@pytest.mark.parametrize("code", sorted(registry()))
def test_a_reason_names_no_repository_path(code):
    r = registry()[code]
    for words in (r.text, r.citation):
        assert not [w for w in PATH_WORDS if w in words], (code, words)


@pytest.mark.parametrize("code", sorted(registry()))
def test_a_field_a_reason_names_is_a_field_of_the_case(code):
    r = registry()[code]
    for key in CASE_KEY.findall(r.text + " " + r.citation):
        assert _is_case_field(key), (code, key)


def test_the_state_texts_name_the_documentation_and_keep_their_citations():
    """The state's withholding reasons: the documentation by name, the statutes kept."""
    r = registry()
    assert r["STATE_NOT_COVERED"].citation == \
        "dist401k's documentation, State income tax, Coverage (the states covered)"
    assert r["STATE_FIGURES_UNCONFIRMED"].citation == \
        "dist401k's state figures not yet confirmed at the state's source"
    voluntary = r["STATE_WITHHOLDING_VOLUNTARY"].citation
    assert "State income tax, Withholding" in voluntary
    for statute in ("N.Y. Tax Law §671(b)(2)(C)", "Ariz. Rev. Stat. §43-404",
                    "Md. Code, Tax-Gen. §10-907(b)"):
        assert statute in voluntary
    assert "Cal. Unemp. Ins. Code §13028(b)" in r["STATE_WITHHOLDING_MAY_ELECT_OUT"].citation
