"""`POST /tax`: a separate filer whose spouse itemizes has no standard deduction (IRC
§63(c)(6)(A)); ``spouse_itemizes`` and ``lived_apart`` on another filing status are refused
with a 422 naming the column, in the words of the other doors."""

from __future__ import annotations

import pytest

from dist401k.case import LIVED_APART_SEPARATE_ONLY
from dist401k.tax.units import SPOUSE_ITEMIZES_SEPARATE_ONLY


def test_post_tax_takes_the_flag(client):
    """2025, separate, 60, $50,000: taxable 50,000 → 1,192.50 + 12% × 36,550 + 22% × 1,525
    = 5,914.00 (Rev. Proc. 2024-40 as amended by P.L. 119-21)."""
    r = client.post("/tax", json={"units": [{"tax_year": 2025, "filing_status": "married_separate",
                                             "age_head": 60, "taxable_distributions": 50_000,
                                             "spouse_itemizes": True}]})
    assert r.status_code == 200, r.text
    (res,) = r.json()["results"]
    assert res["standard_deduction"] == 0
    assert res["income_tax"] == pytest.approx(5_914, abs=0.005)


@pytest.mark.parametrize(("column", "words"), [("spouse_itemizes", SPOUSE_ITEMIZES_SEPARATE_ONLY),
                                               ("lived_apart", LIVED_APART_SEPARATE_ONLY)],
                         ids=["spouse_itemizes", "lived_apart"])
def test_post_tax_refuses_it_on_head_of_household(client, column, words):
    r = client.post("/tax", json={"units": [{"tax_year": 2025, "filing_status": "head_of_household",
                                             "age_head": 60, "taxable_distributions": 50_000,
                                             column: 1}]})
    assert r.status_code == 422
    (d,) = r.json()["detail"]
    assert d["loc"][-1] == column and words in d["msg"]
