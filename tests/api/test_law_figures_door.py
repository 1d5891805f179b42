"""GET /law gives every provision the law holds, as the engine reads it (review of 6 Dec 2026:
year2027 findings 2-3, apiint finding 5).

Failed before the fix: a provision whose value is a plain list (``income_tax.rates``,
``withholding.periodic_table_rate``, ``state.ms.rates``) was a 500 "internal error"; a year
after the last enacted one gave the last enacted year's brackets, unprojected, beside a
projected standard deduction, and said nothing of projection; ``year`` published no bounds.
The expected figures are the statutes' and the IRS's, worked by hand below."""

from __future__ import annotations

import json
import math

import pytest

from dist401k.law import default_law
from dist401k.law.figures import figure

FS = ("single", "married_joint", "married_separate", "head_of_household",
      "qualifying_surviving_spouse")


def law_of(client, names: str, year: int) -> dict:
    r = client.get("/law", params={"names": names, "year": year})
    assert r.status_code == 200, r.text
    return r.json()


def test_a_plain_list_is_its_figure_not_a_500(client):
    got = law_of(client, "income_tax.rates,withholding.periodic_table_rate,state.ms.rates", 2026)
    value = {n: f["value"] for n, f in got["figures"].items()}
    # IRC §1(j)(2) (made permanent by P.L. 119-21 §70101): 10, 12, 22, 24, 32, 35, 37%.
    assert value["income_tax.rates"] == [0.10, 0.12, 0.22, 0.24, 0.32, 0.35, 0.37]
    # Pub. 15-T (2026), Annual Percentage Method, column D: 0% then the same seven rates.
    assert value["withholding.periodic_table_rate"] == [0.0, 0.10, 0.12, 0.22, 0.24, 0.32, 0.35, 0.37]
    # Miss. Code §27-7-5 (2022 HB 531): none on the first $10,000, 4% above it for 2026.
    assert value["state.ms.rates"] == [0.0, 0.04]
    assert got["figures"]["income_tax.rates"]["unit"] == "rate"


def test_each_kind_of_value(client):
    got = law_of(client, "early_distributions.age,income_tax.standard_deduction,"
                 "income_tax.brackets,rmd.applicable_age,meta.years", 2026)["figures"]
    # A scalar: IRC §72(t)(2)(A)(i), "attained age 59½".
    assert got["early_distributions.age"]["value"] == 59.5
    # By filing status: Rev. Proc. 2025-32 as amended by P.L. 119-21 §70102, 2026.
    assert got["income_tax.standard_deduction"]["value"] == {
        "single": 16100, "married_joint": 32200, "married_separate": 16100,
        "head_of_household": 24150, "qualifying_surviving_spouse": 32200}
    # By filing status and bracket: Rev. Proc. 2025-32 §4.01, single, 2026.
    assert got["income_tax.brackets"]["value"]["single"] == [12400, 50400, 105700, 201775,
                                                             256225, 640600]
    assert set(got["income_tax.brackets"]["value"]) == set(FS)
    # A table by key (birth year × 100 + month): §401(a)(9)(C)(v), 73 from 1951, 75 from 1960.
    ages = got["rmd.applicable_age"]["value"]
    assert ages["195101"] == 73 and ages["196001"] == 75
    # A record, as the file writes it.
    assert got["meta.years"]["value"]["first_year"] == default_law().first_year


def test_a_provision_not_yet_in_force_has_no_value(client):
    # Form W-4R's chart came in for 2026 (its file's first value): none in 2024, no 500.
    got = law_of(client, "withholding.w4r_chart_rate", 2024)["figures"]
    assert got["withholding.w4r_chart_rate"]["value"] is None


def test_every_provision_answers_in_every_kind_of_year():
    """Each of the law's provisions, in its first year, its last enacted year and the first
    projected one: a figure JSON can hold (138 of them raised before)."""
    law = default_law()
    for year in (law.first_year, law.enacted_through, law.enacted_through + 1):
        for name in law.params:
            json.dumps(figure(law, name, year), allow_nan=False)


def test_a_projected_year_gives_the_projected_brackets_and_says_so(client):
    law = default_law()
    enacted, projected = law.enacted_through, law.enacted_through + 1
    names = "income_tax.brackets,income_tax.standard_deduction,medicare.irmaa_thresholds"
    before = law_of(client, names, enacted)
    after = law_of(client, names, projected)
    assert before["projected"] is False and before["projection"] is None
    assert before["enacted_through"] == enacted
    assert after["projected"] is True and after["enacted_through"] == enacted
    rate = after["projection"]["inflation"]
    assert after["projection"]["enacted_through"] == enacted

    def grown(x: float, multiple: float, nearest: bool = False) -> float:
        q = x * (1 + rate) / multiple
        return (math.floor(q + 0.5) if nearest else math.floor(q + 1e-9)) * multiple

    # IRC §1(f)(7)(A): a bracket amount indexed is rounded down to a multiple of $25.
    single = before["figures"]["income_tax.brackets"]["value"]["single"]
    assert after["figures"]["income_tax.brackets"]["value"]["single"] == [grown(x, 25)
                                                                         for x in single]
    # IRC §63(c)(4) (its last sentence): the standard deduction, down to a multiple of $50.
    sd = before["figures"]["income_tax.standard_deduction"]["value"]["single"]
    assert after["figures"]["income_tax.standard_deduction"]["value"]["single"] == grown(sd, 50)
    # 42 U.S.C. §1395r(i)(5)(B): IRMAA thresholds to the nearest $1,000 (last tier held).
    irmaa = before["figures"]["medicare.irmaa_thresholds"]["value"]["single"]
    assert after["figures"]["medicare.irmaa_thresholds"]["value"]["single"][0] == grown(
        irmaa[0], 1000, nearest=True)
    if enacted == 2026 and rate == 0.025:  # the reviewer's figures, worked by hand
        assert after["figures"]["income_tax.brackets"]["value"]["single"] == [
            12700, 51650, 108325, 206800, 262625, 656600]
        assert after["figures"]["medicare.irmaa_thresholds"]["value"]["single"][0] == 112000


def test_the_projected_brackets_are_the_ones_the_tax_door_uses(client):
    law = default_law()
    year = law.enacted_through + 1
    got = law_of(client, "income_tax.brackets", year)["figures"]["income_tax.brackets"]["value"]
    for code, status in enumerate(FS):
        assert got[status] == law.get("income_tax.brackets", year, code).tolist()


def test_year_publishes_the_bounds_the_server_checks(client):
    first, last = default_law().known_years
    params = client.get("/openapi.json").json()["paths"]["/law"]["get"]["parameters"]
    year = next(p for p in params if p["name"] == "year")["schema"]
    integer = next(c for c in year.get("anyOf", [year]) if c.get("type") == "integer")
    assert (integer["minimum"], integer["maximum"]) == (first, last)
    for y, status in ((first - 1, 422), (first, 200), (last, 200), (last + 1, 422)):
        r = client.get("/law", params={"names": "early_distributions.age", "year": y})
        assert r.status_code == status, (y, r.text)


@pytest.mark.parametrize("year", [2025, 2026])
def test_enacted_figures_are_the_files_own(client, year):
    # An enacted year's list is the file's own list (no projection): IRC §1(j)(2).
    got = law_of(client, "income_tax.rates", year)
    assert got["figures"]["income_tax.rates"]["value"] == [0.10, 0.12, 0.22, 0.24, 0.32, 0.35,
                                                           0.37]
    assert got["projected"] is False
