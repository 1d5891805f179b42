"""In-plan Roth rollovers (IRC §402A(c)(4)): Form 1099-R box 10, "amount allocable to IRR within
5 years", and the 10% additional tax on it before 59½ (§402A(c)(4)(D) applying §408A(d)(3)(F);
Notice 2010-84, Q&A-12).  Figures worked by hand in the comments."""

from __future__ import annotations

import copy
import datetime as dt
import xml.etree.ElementTree as ET

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.errors import InputError
from dist401k.filing import filing_export
from dist401k.irr_recapture import allocable_within_period
from dist401k.law.loader import default_law
from dist401k.runner import run_local
from forms.test_filing import NS, TRANSMITTER, _book, _export
from forms.test_form_1099r import AT_50

#: AT_50: left the job at 50 in 2026 (no rule of 55): pre-tax money 100,000 and designated Roth
#: money 50,000 of which 40,000 is investment in the contract (contributions, first 2022).


def _with_irr(irrs, base=AT_50) -> dict:
    c = copy.deepcopy(base)
    c["account"]["sources"]["roth_deferral"]["in_plan_roth_rollovers"] = irrs
    return c


def _outcome(case: dict, destination: str = "cash") -> dict:
    out = assess_cases([parse_case(case)])[0]
    return next(o for o in out["outcomes"]
                if o["route"] == "separation" and o["destination"] == destination)


def _roth_form(o: dict) -> dict:
    return next(f for f in o["form_1099r"] if f["part"] == "roth_cash")


def test_the_notices_example_6000_allocable_owes_600():
    """Notice 2010-84, Q&A-12: $6,000 allocable to the taxable amount of an IRR made within the
    preceding 5 years owes an additional tax of $600.  Here: all 50,000 of Roth money paid
    recovers 50,000 × 40,000 / 50,000 = 40,000 of investment; 14,000 of it is contributions
    other than IRRs (40,000 − 20,000 − 6,000), allocated first; then the 2019 IRR (20,000,
    outside its 5 years 2019–2023), then the 2024 IRR (6,000, within 2024–2028): box 10 6,000."""
    irr = _with_irr([{"year": 2024, "amount": 6000}, {"year": 2019, "amount": 20000}])
    o, before = _outcome(irr), _outcome(AT_50)
    roth = _roth_form(o)
    assert roth["box_10"] == 6000.0
    assert not any(t.startswith("box 10:") for t in roth["not_figured"])
    assert o["additional_tax_72t"] == pytest.approx(before["additional_tax_72t"] + 600, abs=0.01)
    # Form 5329 line 1 takes it as includible (it is not in box 2a): the form must be filed.
    assert o["form_5329"]["line_1"] == pytest.approx(before["form_5329"]["line_1"] + 6000,
                                                     abs=0.01)
    assert o["form_5329"]["line_4"] == pytest.approx(o["additional_tax_72t"], abs=0.01)
    assert o["form_5329"]["required"] and not before["form_5329"]["required"]


def test_the_oldest_rollover_takes_the_recovered_investment_first():
    """IRRs of 2023 (15,000) and 2020 (5,000): the 20,000 of investment recovered beyond the
    other contributions (40,000 − 20,000) goes to 2020's first (outside its 5 years), then
    2023's (within): box 10 15,000, the 10% tax 1,500 more."""
    o = _outcome(_with_irr([{"year": 2023, "amount": 15000}, {"year": 2020, "amount": 5000}]))
    assert _roth_form(o)["box_10"] == 15000.0
    assert o["additional_tax_72t"] == pytest.approx(_outcome(AT_50)["additional_tax_72t"] + 1500,
                                                    abs=0.01)


def test_a_rollover_owes_nothing_and_a_60_day_payment_still_shows_box_10():
    """Rolled over to a Roth IRA: no recapture (Q&A-12) and no cash form.  Paid and put back
    within 60 days: the payer reports the payment (box 10 15,000); the recapture is not owed."""
    irr = _with_irr([{"year": 2023, "amount": 15000}, {"year": 2020, "amount": 5000}])
    rolled = _outcome(irr, "roth_ira")
    assert rolled["additional_tax_72t"] == 0.0
    assert all(f["box_10"] is None for f in rolled["form_1099r"])
    sixty = _outcome(irr, "indirect_60day")
    assert _roth_form(sixty)["box_10"] == 15000.0
    assert sixty["additional_tax_72t"] == 0.0


def test_the_period_counts_five_taxable_years_from_january_1_of_the_rollover():
    """A 2022 rollover: its period is 2022–2026, so a 2026 payment is within; 2021's, 2021–2025,
    is not.  No rollover given ([]): box 10 blank and figured, not in not_figured."""
    assert _roth_form(_outcome(_with_irr([{"year": 2022, "amount": 26000}])))["box_10"] \
        == 26000.0
    assert _roth_form(_outcome(_with_irr([{"year": 2021, "amount": 26000}])))["box_10"] is None
    none = _roth_form(_outcome(_with_irr([])))
    assert none["box_10"] is None and not any(t.startswith("box 10:") for t in none["not_figured"])
    unknown = _roth_form(_outcome(AT_50))
    assert unknown["box_10"] is None
    assert any(t.startswith("box 10:") for t in unknown["not_figured"])


def test_an_exception_leaves_box_10_blank_and_owes_nothing():
    """At 59½ (code B7, an exception under §72(t)): "do not complete this box if an exception
    under section 72(t) applies" — and no recapture."""
    old = _with_irr([{"year": 2024, "amount": 30000}])
    old["person"]["birth_date"] = "1960-03-01"
    o = _outcome(old)
    roth = _roth_form(o)
    assert "1" not in roth["box_7"] and roth["box_10"] is None
    assert not any(t.startswith("box 10:") for t in roth["not_figured"])


def test_the_rule_over_a_batch_by_source():
    """Three cases at once, two Roth sources ([n, S] with S = 2 here), tax year 2026, period 5:
    (0) 10,000 recovered from source 0 whose other contributions are 4,000, IRRs 2025 3,000 and
        2021 5,000: 6,000 on the IRRs, 2021's first (5,000, outside), then 1,000 of 2025's;
    (1) the same IRRs in source 1 while the payment recovers from source 0 only: nothing;
    (2) 2,000 recovered, all of it other contributions: nothing."""
    basis_paid = np.array([[10000.0, 0.0], [10000.0, 0.0], [2000.0, 0.0]])
    contributions = np.array([[12000.0, 0.0], [12000.0, 8000.0], [12000.0, 0.0]])
    years = np.array([[2025.0, 2021.0], [2025.0, 2021.0], [2025.0, np.nan]])
    amounts = np.array([[3000.0, 5000.0], [3000.0, 5000.0], [3000.0, 0.0]])
    sources = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, -1.0]])
    got = allocable_within_period(basis_paid, contributions, years, amounts, sources,
                                  np.full(3, 2026), np.full(3, 5))
    assert got.tolist() == [1000.0, 0.0, 0.0]


@pytest.mark.parametrize("irrs, field, words", [
    ([{"year": 2027, "amount": 1000}],
     "account.sources.roth_deferral.in_plan_roth_rollovers.0.year", "after the request year"),
    ([{"year": 2024, "amount": -5}],
     "account.sources.roth_deferral.in_plan_roth_rollovers.0.amount", ""),
    ([{"year": 2024, "amount": 30000}, {"year": 2023, "amount": 20000}],
     "account.sources.roth_deferral.in_plan_roth_rollovers", "exceed"),
])
def test_bad_rollovers_are_one_line_errors_naming_the_field(irrs, field, words):
    with pytest.raises(InputError) as exc:
        parse_case(_with_irr(irrs))
    found = [str(p) for p in exc.value.problems]
    assert any(field in p and words in p for p in found), found


def test_a_rollover_into_money_that_is_not_roth_is_refused():
    c = copy.deepcopy(AT_50)
    c["account"]["sources"]["elective_deferral"]["in_plan_roth_rollovers"] = [
        {"year": 2024, "amount": 1000}]
    with pytest.raises(InputError) as exc:
        parse_case(c)
    found = [str(p) for p in exc.value.problems]
    assert any("account.sources.elective_deferral.in_plan_roth_rollovers" in p for p in found)


def test_batch_rows_hold_no_rollovers_so_the_forms_job_says_box_10_is_unknown(tmp_path):
    """A flat row gives no in-plan Roth rollovers (docs/batch.md): paid at 46 with no exception
    (B1), the forms job's ``form_roth_cash_box_10`` is null and ``form_roth_cash_not_figured``
    names box 10.  Paid at 60 (B7: the §72(t)(2)(A)(i) exception applies) box 10 is blank by
    the instructions, not unknown."""
    at_60, _, _ = _export(tmp_path, "iris-xml")
    row = pq.read_table(at_60).to_pylist()[2]  # the Roth and pre-tax payment at 60
    assert row["form_roth_cash_box_7"] == "B7" and row["form_roth_cash_box_10"] is None
    assert "box_10" not in (row["form_roth_cash_not_figured"] or "")
    births = [dt.date(1980, 5, 10), dt.date(1975, 3, 15), dt.date(1980, 5, 10),
              dt.date(1970, 1, 1), dt.date(1970, 1, 1), dt.date(1970, 1, 1)]
    (tmp_path / "at46").mkdir()
    at_46, _, _ = _export(tmp_path / "at46", "iris-xml", birth_date=births)
    row = pq.read_table(at_46).to_pylist()[2]
    assert row["form_roth_cash_issued"] and row["form_roth_cash_box_7"] == "B1"
    assert row["form_roth_cash_box_10"] is None
    assert "box_10" in row["form_roth_cash_not_figured"]


def test_the_iris_xml_writes_box_10_as_irr_allocated_amt(tmp_path):
    """The forms job's box 10 goes in ``IRRAllocatedAmt`` to the cent; a blank box 10 writes
    no element.  Box 10 of the Notice's example (6,000, as assess gives it above) is put on
    the Roth form of row 2, which the batch cannot figure itself."""
    book_path = _book(tmp_path / "book.parquet")
    out = tmp_path / "forms.parquet"
    run_local(book_path, "forms", out, law=default_law())
    book, results = pq.read_table(book_path), pq.read_table(out)
    box = _roth_form(_outcome(_with_irr([{"year": 2024, "amount": 6000},
                                         {"year": 2019, "amount": 20000}])))["box_10"]
    k = results.column_names.index("form_roth_cash_box_10")
    col = results.column(k).to_pylist()
    col[2] = box
    results = results.set_column(k, "form_roth_cash_box_10", pa.array(col, pa.float64()))
    filing = tmp_path / "filing.xml"
    with filing_export("iris-xml", filing, TRANSMITTER, today=dt.date(2027, 1, 15)) as w:
        w.write(book, results)
    details = ET.parse(filing).getroot().findall(".//ir:Form1099RDetail", NS)
    amounts = [d.findtext("ir:IRRAllocatedAmt", namespaces=NS) for d in details]
    # Forms in row order, parts in order: row 0, row 1, row 2's pre-tax then Roth form, row 3.
    assert amounts == [None, None, None, "6000.00", None]


def test_a_hardship_is_grossed_up_for_the_10_percent_tax_on_a_recent_rollover():
    """Treas. Reg. §1.401(k)-1(d)(3)(iii)(A): the need may include the "penalties reasonably
    anticipated", and the 10% tax on Roth money allocable to an IRR within 5 years is one.
    Roth money only: 50,000, of which 40,000 investment, all of it a 2024 IRR; each dollar paid
    is 20% taxable earnings and 80% recovered investment allocable to the IRR. Wages 40,000
    (2026 single: 40,000 − the $16,100 standard deduction, Rev. Proc. 2025-32, leaves the
    payment in the 12% bracket), no exception: g = 10,000 + 12% × 0.2 g + 10% × g, so
    g = 10,000 / 0.876 = 11,415.53."""
    case = _with_irr([{"year": 2024, "amount": 40000}], base={
        **AT_50, "employment": {"status": "active", "hire_date": "2015-01-01"},
        "plan": {"type": "401k", "hardship": {"allowed": True, "self_certification": True,
                                              "sources": ["roth_deferral"]}},
        "account": {"sources": {"roth_deferral": {"balance": 50000, "contributions": 40000,
                                                  "first_year": 2022}}},
        "request": {"date": "2026-09-15", "amount": "max", "purpose": "tuition",
                    "need": 10000}})
    out = assess_cases([parse_case(case)])[0]
    o = next(o for o in out["outcomes"] if o["route"] == "hardship")
    assert o["gross"] == pytest.approx(10000 / 0.876, abs=0.01)
    assert o["additional_tax_72t"] == pytest.approx(0.1 * o["gross"], abs=0.01)
    # The gross pays the need and exactly the taxes the outcome charges (each to the cent).
    assert o["gross"] == pytest.approx(
        10000 + o["income_tax_increase"] + o["additional_tax_72t"], abs=0.02)
