"""``iras.first_home_prior`` (the batch's ``ira_first_home_prior``) above the lifetime limit of
first-time homebuyer distributions, $10,000 (IRC §72(t)(8)(B)), is refused by the case door and
is an error row in batch, in the same words; at the limit both take it."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dist401k.case import parse_case
from dist401k.errors import InputError
from dist401k.flat import row_to_case
from dist401k.jobs import run_job
from dist401k.law import default_law
from robustness.strategies import flat_rows

LAW = default_law()


def _table(rows: list[dict]) -> pa.Table:
    names = sorted({k for r in rows for k in r})
    return pa.table({k: pa.array([r.get(k) for r in rows]) for k in names})


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(flat_rows(), st.floats(10_000.01, 1e6).map(lambda x: round(x, 2)))
def test_more_than_the_lifetime_limit_is_refused_in_the_same_words(row, prior):
    row = {**row, "ira_first_home_prior": prior}
    (out,) = run_job(_table([row]), "eligibility", LAW).to_pylist()
    assert out["status"] == "error", out
    assert "ira_first_home_prior: is more than the $10,000 lifetime limit" in out["error_message"]
    with pytest.raises(InputError) as exc:
        parse_case(row_to_case(row))
    problems = exc.value.problems
    assert any(p.field == "iras.first_home_prior" for p in problems), problems
    if len(problems) == 1:
        assert out["error_message"] == f"ira_first_home_prior: {problems[0].problem}"


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(flat_rows())
def test_the_limit_itself_is_taken(row):
    row = {**row, "ira_first_home_prior": 10_000.0}
    (out,) = run_job(_table([row]), "eligibility", LAW).to_pylist()
    assert "ira_first_home_prior" not in (out["error_message"] or ""), out
