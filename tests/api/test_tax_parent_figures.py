"""`POST /tax`: the parent's taxable income goes with the parent's filing status (Form 8615
lines 6 and 9), as in every other door."""

from __future__ import annotations

REQUIRED = "is required with parent_filing_status"


def test_post_tax_refuses_a_parents_status_alone(client):
    r = client.post("/tax", json={"units": [{"tax_year": 2024, "filing_status": "single",
                                             "age_head": 12, "taxable_interest": 10_000,
                                             "parent_filing_status": "single"}]})
    assert r.status_code == 422
    (d,) = r.json()["detail"]
    assert d["loc"][-1] == "parent_taxable_income" and REQUIRED in d["msg"]
