"""The §72(t)(2) exceptions of an event on money from the Roth IRA, and a net amount after all
tax, worked by hand on the Instructions for Form 5329 example of tests/routes/test_roth_ira.py
(at 53 in 2026: $4,000 of contributions, $20,000 converted in 2022 with $15,000 taxable, $10,000
in 2023 with $7,000 taxable, both within their 5 years; a $33,000 distribution puts $22,000 of
recapture on Form 5329, line 1).

The limits read from the statute and the 2026 law: birth or adoption $5,000 a child
(§72(t)(2)(H)(ii)); emergency personal expense the lesser of $1,000 and the balance above $1,000
(§72(t)(2)(I)(ii)); domestic abuse the lesser of $10,500 (2026, Notice 2025-67) and half the
balance (§72(t)(2)(K)(ii)); a qualified disaster recovery distribution $22,000 a disaster,
within 180 days, income over 3 years (§72(t)(11)).  Form 5329 numbers: 19 birth or adoption, 22
domestic abuse, 23 emergency expense.  2026 single filer: standard deduction 16,100, 12% up to
50,400 of taxable income (Rev. Proc. 2025-32); wages 60,000 leave 43,900 taxable.
"""

from __future__ import annotations

import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from routes.test_roth_ira import EXAMPLE_5329, changed, roth


def codes(o: dict) -> set[str]:
    return {r["code"] for r in o["reasons"]}


def test_birth_or_adoption_covers_5000_less_what_was_taken():
    # $1,000 already taken for the child: $4,000 of the $22,000 spared; 10% of 18,000.
    o = roth(changed(EXAMPLE_5329, request__purpose="birth_adoption",
                     request__event_date="2026-03-01",
                     account__prior_event_distributions=1000))
    p = o["form_5329"]
    assert (p["line_1"], p["line_2"], p["line_3"]) == (22000, 4000, 18000)
    assert p["line_2_exception"] == "19"
    assert o["additional_tax_72t"] == pytest.approx(1800)
    assert "RI_BIRTH_ADOPTION" in codes(o) and "RI_EVENT_NOT_MET" not in codes(o)


def test_birth_more_than_a_year_ago_spares_nothing():
    o = roth(changed(EXAMPLE_5329, request__purpose="birth_adoption",
                     request__event_date="2025-06-01"))
    assert o["form_5329"]["line_2"] == 0 and o["additional_tax_72t"] == pytest.approx(2200)
    assert "RI_EVENT_NOT_MET" in codes(o) and "RI_BIRTH_ADOPTION" not in codes(o)


def test_emergency_expense_covers_1000():
    o = roth(changed(EXAMPLE_5329, request__purpose="emergency"))
    p = o["form_5329"]
    assert (p["line_2"], p["line_2_exception"]) == (1000, "23")
    assert o["additional_tax_72t"] == pytest.approx(2100)  # 10% of 21,000


def test_emergency_expense_limited_by_the_balance_above_1000():
    # A $1,600 Roth IRA of earnings only: 1,600 taxable, of which 1,600 - 1,000 = 600 spared:
    # 10% of 1,000 = 100.  Income tax: 12% of 1,600 = 192.
    o = roth(changed(EXAMPLE_5329, request__purpose="emergency", request__amount="max",
                     iras={"roth": 1600, "roth_first_year": 2022}))
    assert o["taxable"] == 1600 and o["income_tax_increase"] == pytest.approx(192)
    assert o["form_5329"]["line_2"] == 600 and o["additional_tax_72t"] == pytest.approx(100)


def test_emergency_expense_already_taken_this_year():
    o = roth(changed(EXAMPLE_5329, request__purpose="emergency",
                     account__last_emergency_year=2026))
    assert o["form_5329"]["line_2"] == 0 and "RI_EVENT_NOT_MET" in codes(o)


def test_domestic_abuse_up_to_the_2026_limit():
    o = roth(changed(EXAMPLE_5329, request__purpose="domestic_abuse",
                     request__event_date="2026-01-15"))
    p = o["form_5329"]
    assert (p["line_2"], p["line_2_exception"]) == (10500, "22")
    assert o["additional_tax_72t"] == pytest.approx(1150)  # 10% of 11,500


def test_domestic_abuse_up_to_half_the_balance():
    # A $12,000 Roth IRA of earnings: half is 6,000 < 10,500; 10% of the other 6,000.
    o = roth(changed(EXAMPLE_5329, request__purpose="domestic_abuse", request__amount="max",
                     request__event_date="2026-01-15",
                     iras={"roth": 12000, "roth_first_year": 2022}))
    assert o["form_5329"]["line_2"] == 6000 and o["additional_tax_72t"] == pytest.approx(600)


DISASTER = {"request__purpose": "disaster", "request__disaster_declared": True,
            "request__event_date": "2026-05-01", "request__amount": 40000}


def test_qualified_disaster_recovery_distribution():
    # $40,000: $6,000 of earnings (line 25a), all of it within the $22,000: line 25b 6,000,
    # line 25c 0; taxed over 3 years: 2,000 this year at 12% = 240, 4,000 later.  Form 5329
    # line 1: the 28,000 early (6,000 + 22,000 recaptured) less the 22,000 disaster
    # distribution = 6,000, taxed 10%: 600.
    o = roth(changed(EXAMPLE_5329, **DISASTER))
    iii = o["form_8606_part_iii"]
    assert (iii["line_25a"], iii["line_25b"], iii["line_25c"]) == (6000, 6000, 0)
    assert o["taxable"] == 6000 and o["taxable_later"] == pytest.approx(4000)
    assert o["income_tax_increase"] == pytest.approx(240)
    assert o["form_5329"]["line_1"] == 6000 and o["additional_tax_72t"] == pytest.approx(600)
    assert "RI_DISASTER" in codes(o)


def test_disaster_not_declared_is_no_exception():
    o = roth(changed(EXAMPLE_5329, **{**DISASTER, "request__disaster_declared": False}))
    assert o["form_8606_part_iii"]["line_25b"] == 0
    assert o["income_tax_increase"] == pytest.approx(720)  # 12% of 6,000
    assert o["form_5329"]["line_1"] == 28000 and "RI_EVENT_NOT_MET" in codes(o)


def test_not_modelled_names_only_what_the_case_cannot_show():
    o = roth(EXAMPLE_5329)
    assert {"PX_NONE", "RI_NOT_MODELLED"} <= codes(o)
    text = next(r["text"] for r in o["reasons"] if r["code"] == "RI_NOT_MODELLED")
    assert "emergency" not in text and "reservist" in text


def test_net_after_all_tax_out_of_a_conversion():
    # $30,000 kept after all tax: the gross falls in the 2023 conversion's nontaxable part
    # (31,000 to 34,000), where all 22,000 is recaptured: g - 2,200 = 30,000, g = 32,200.
    o = roth(changed(EXAMPLE_5329, request__amount="max", request__net_amount=30000,
                     request__net_of="all_tax"))
    assert o["gross"] == pytest.approx(32200, abs=0.01)
    assert o["kept_after_all_tax"] == pytest.approx(30000, abs=0.01)
    assert o["additional_tax_72t"] == pytest.approx(2200)
    assert "OC_NET_AMOUNT" in codes(o)


def test_net_after_all_tax_into_earnings():
    # $36,000 kept: earnings e above 34,000 cost 12% income tax and 10%, on top of the 2,200:
    # 34,000 + e - 2,200 - 0.22 e = 36,000, e = 4,200 / 0.78 = 5,384.615; gross 39,384.615,
    # a cent either way as Form 5329 line 4 rounds the 10% to the cent.
    o = roth(changed(EXAMPLE_5329, request__amount="max", request__net_amount=36000,
                     request__net_of="all_tax"))
    assert abs(o["gross"] - 39384.615) < 0.006
    assert o["kept_after_all_tax"] == pytest.approx(36000, abs=0.01)


def test_net_of_withholding_on_the_cent_and_none_withheld_when_qualified():
    # 10% withheld: $9,999.99 in hand is a gross of 11,111.10 (withholding 1,111.11).
    o = roth(changed(EXAMPLE_5329, request__amount="max", request__net_amount=9999.99))
    assert o["gross"] == 11111.10 and o["check_received"] == 9999.99
    # At 60, the first Roth IRA year 2020 (2020-2024 over): qualified, code Q, none withheld.
    q = roth(changed(EXAMPLE_5329, person__birth_date="1966-01-15", request__amount="max",
                     iras__roth_first_year=2020, request__net_amount=9000))
    assert q["form_1099r_codes"] == ["Q"]
    assert q["gross"] == 9000 and q["withholding"] == 0


def test_net_more_than_the_roth_ira_pays_all_of_it():
    o = roth(changed(EXAMPLE_5329, request__amount="max", request__net_amount=60000))
    assert o["gross"] == 50000 and "OC_NET_SHORT" in codes(o)


def test_california_spares_what_secure_2_spares():
    # R&TC §17085(c)(1): California's 2.5% (FTB 3805P) follows §72(t) as applicable federally
    # that year: it reaches the 21,000 the federal tax reaches, not the 1,000 the emergency
    # exception spares.
    o = roth(changed(EXAMPLE_5329, person__state="CA", request__purpose="emergency"))
    assert o["additional_tax_72t"] == pytest.approx(2100)
    assert o["state_additional_tax"] == pytest.approx(0.025 * 21000)


def test_the_row_says_why():
    o = roth(changed(EXAMPLE_5329, **DISASTER))
    assert "qualified disaster" in o["why"]["short"]
    # 6,000 taxable, spread over three years: 2,000 this year (not "6,000 … taxable now").
    assert o["why"]["taxable"].startswith("$2,000 of $40,000 taxable this year")
    assert "$4,000 more is taxed in the next two years" in o["why"]["taxable"]
    abuse = roth(changed(EXAMPLE_5329, request__purpose="domestic_abuse",
                         request__event_date="2026-01-15"))
    assert "domestic abuse victim distribution" in abuse["why"]["additional_tax_72t"]


def test_net_amounts_and_events_in_a_batch_equal_each_alone():
    # A disaster, $36,000 kept: the earnings e all on line 25b, a third taxed this year at 12%,
    # and 10% of e on Form 5329 (the 22,000 recaptured less the 22,000 disaster part):
    # 34,000 + e - 0.04 e - 0.10 e = 36,000, e = 2,325.58; gross 36,325.58.
    rows = [(30000, "all_tax", "none"), (36000, "all_tax", "disaster"),
            (9999.99, "withholding", "emergency"), (41000, "all_tax", "domestic_abuse")]
    cases = [parse_case(changed(EXAMPLE_5329, id=f"c{k}", request__amount="max",
                                request__net_amount=net, request__net_of=of,
                                request__purpose=purpose, request__event_date="2026-05-01",
                                request__disaster_declared=True))
             for k, (net, of, purpose) in enumerate(rows)]
    together = assess_cases(cases)
    for case, answer in zip(cases, together, strict=True):
        assert answer == assess_cases([case])[0]
    o = next(o for o in together[1]["outcomes"] if o["route"] == "roth_ira")
    assert o["gross"] == pytest.approx(36325.58, abs=0.01)
    assert o["kept_after_all_tax"] == pytest.approx(36000, abs=0.01)
