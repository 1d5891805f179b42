"""The assess report as a reader reads it (review of the HTML reports): a 60-day rollover in an
RMD year asks back only what may be rolled over, the loan's row splits the loan shown, a series
payment's withholding is unknown and its notes are printed, the §402(f) notice is not filed as a
closed destination, an open route says why it is open, and no field path or case-file value
reaches the reader."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from dist401k.assess import assess_cases
from dist401k.case import load_case
from dist401k.compare import compare_case
from dist401k.labels import plain_fields
from dist401k.outcome_why import sixty_day_short
from dist401k.report import closes_destination, render_html

EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"


def _case(name: str) -> dict:
    return compare_case(load_case(EXAMPLES / f"{name}.yaml"))


@pytest.fixture(scope="module")
def rmd() -> dict:
    return _case("rmd-retired-younger-spouse")


@pytest.fixture(scope="module")
def hardship() -> dict:
    return _case("hardship-medical")


@pytest.fixture(scope="module")
def sepp() -> dict:
    return _case("sepp-early-retiree")


def visible(page: str) -> str:
    """The words a reader sees: no script, no style, no tag (a title attribute is not seen)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def options_rows(page: str) -> dict[str, list[str]]:
    """The options table's rows, by option label: each cell's words."""
    start = page.index("<h2>The options side by side</h2>")
    table = page[start:page.index("</table>", start)]
    rows = {}
    for tr in re.findall(r"<tr class='[^']*(?:best|has-why|)[^']*'>(.*?)</tr>", table, re.S):
        cells = [visible(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        if len(cells) > 2:
            rows[cells[0]] = cells
    return rows


# Finding 1. Born 1951-02-11, 75 in 2026, wife born 1965-05-20 (61), sole beneficiary: the
# Joint and Last Survivor Table gives 27.5 for 75 and 61 (Treas. Reg. §1.401(a)(9)-9(d)), so
# the 2026 RMD is 500,000 / 27.5 = 18,181.82, met by the pre-tax money only (the designated
# Roth money does not count: proposed Treas. Reg. §1.401(a)(9)-5, July 2024).  It cannot be
# rolled over (IRC §402(c)(4)(B); Treas. Reg. §1.402(c)-2, Q&A-7), so of the $580,000 paid
# (520,000 pre-tax + 60,000 Roth) a 60-day rollover can put back 580,000 − 18,181.82 =
# 561,818.18.  Withheld: 20% of the eligible pre-tax 501,818.18 = 100,363.64 (§3405(c)) and 10%
# of the RMD = 1,818.18 (§3405(b)): 102,181.82, a check of 477,818.18.  Rolling 561,818.18
# takes 561,818.18 − 100,363.64 = 461,454.54 of the check and 100,363.64 from other money.
# 60 days from 2026-11-23 is 2027-01-22.
ROLLED, CHECK_PART, MAKEUP = "$561,818", "$461,455", "$100,364"


def _sixty_day_row(cmp: dict) -> dict:
    return next(o for o in cmp["assessment"]["outcomes"]
                if o["route"] == "separation" and o["destination"] == "indirect_60day")


def test_sixty_day_rollover_in_an_rmd_year_asks_back_only_what_may_be_rolled(rmd):
    why = _sixty_day_row(rmd)["why"]["taxable"]
    assert f"Not taxed only if {ROLLED} goes into an IRA or plan within 60 days (by 2027-01-22)" \
        in why
    assert "the $18,182 required minimum distribution, which cannot be rolled over" in why
    assert f"{CHECK_PART} of the $477,818 check and {MAKEUP}" in why
    assert "the full $580,000" not in why and "$102,182, the amount withheld" not in why


def test_the_report_says_the_same_for_the_sixty_day_rollover(rmd):
    words = visible(render_html(rmd))
    assert f"Not taxed only if {ROLLED} goes into an IRA or plan" in words
    assert f"{CHECK_PART} of the $477,818 check and {MAKEUP}" in words
    assert "the full $580,000 goes into" not in words


def test_the_short_words_ask_back_only_the_eligible_part():
    """The table's few words, worked on the same figures (the rollable part and the withholding
    on it, as the outcome carries them)."""
    row = {"gross": 580000.0, "to_traditional_ira": 501818.18, "to_roth_ira": 60000.0,
           "to_plan": 0.0, "makeup_needed": 100363.64, "withholding": 102181.82,
           "check_received": 477818.18, "deadlines": [{"what": "complete the 60-day rollover",
                                                       "date": "2027-01-22"}],
           "reasons": [{"code": "PX_AGE_59_HALF"}, {"code": "RM_NOT_ROLLABLE"}]}
    short = sixty_day_short(row)
    assert short.startswith(f"not taxed only if {ROLLED} (not the $18,182 required minimum "
                            "distribution) goes back within 60 days (by 2027-01-22), "
                            f"{MAKEUP} of it from other money")


# Finding 2. The hardship-medical case needs $12,000 in hand; the loan option lends that (its
# gross), and a loan within §72(p)(2)'s limits is not a distribution (§72(p)(1)): taxable 0,
# tax-free 12,000 — not the largest loan's 32,500, which the outcome behind it describes.
def test_the_loan_row_splits_the_loan_shown(hardship):
    row = options_rows(render_html(hardship))["plan loan"]
    assert row[1] == "12,000"
    assert row[7:9] == ["0", "12,000"]


# Finding 3, as amended by the s59 review: a 72(t) series payment is withheld from as wages
# (§3405(a)) by Pub. 15-T (2026) Worksheet 1A, no Form W-4P: single, line 1g $8,600 — the RMD
# method's 16,778.52 → 10% × 678.52 = $67.85, shown 68 (tests/compare/test_federal_review_s59.py);
# never "unknown" in a year whose tables the law holds; its notes (the years left, the §72(t)(4)
# recapture, how it is withheld) are the reader's.
def test_a_series_payment_shows_its_withholding_and_its_notes(sepp):
    page = render_html(sepp)
    rows = {k: v for k, v in options_rows(page).items() if k.startswith("72(t) series")}
    assert len(rows) == 3
    assert sorted(cells[6] for cells in rows.values()) == ["1,735", "1,961", "68"]
    for cells in rows.values():
        assert "recaptures the 10% tax with interest (§72(t)(4))" in cells[-1]
        assert "withholding not figured" not in cells[-1]
        assert "Worksheet 1A" in cells[-1]
    assert "withheld unknown" not in visible(page).lower()


def test_a_loan_shows_its_repayments(hardship):
    cells = options_rows(render_html(hardship))["plan loan"]
    assert "repaid 12× a year $246.20 for 5 years from pay ($14,772 in all)" in cells[-1]


# Findings 4 and 5.
def test_the_402f_notice_is_not_filed_as_a_closed_destination():
    """Pat asks for cash and the cash option is open: the §402(f) notice (Treas. Reg.
    §1.402(f)-1) is what the law requires before paying, not why a destination is closed."""
    page = render_html(_case("pat-california-rule-of-55"))
    assert "Why the destination asked for is not open" not in page
    head = page[page.index("<h2>What the law requires before paying</h2>"):]
    assert "§402(f) notice" in head[:head.index("</ul>")]
    notice = {"code": "NOTICE_402F", "field": "request.destination", "text": "t", "citation": "c"}
    closed = {"code": "BN_DEST_TRANSFER_ONLY", "field": "request.destination", "text": "t",
              "citation": "c"}
    assert not closes_destination(notice) and closes_destination(closed)


def test_an_open_route_says_why_it_is_open(hardship):
    """The in-service route is open by its match money alone (five years of participation,
    Rev. Rul. 68-24): its why says so before the deferrals' reasons for no."""
    page = render_html(hardship)
    start = page.index("<h2>Ways out now</h2>")
    table = page[start:page.index("</table>", start)]
    row = next(visible(tr) for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
               if "In-service withdrawal" in tr)
    assert " yes " in f" {row} " and "Rev. Rul. 68-24" in row
    assert "You are younger than the age the plan sets" not in row


# Finding 8.
def test_field_paths_and_case_file_values_read_as_words():
    assert plain_fields("If that is you, enter person.disabled: true.") == \
        "If that is you, enter “totally and permanently disabled: yes”."
    assert "account.prior_year_end_balance" not in plain_fields(
        "the balance (account.prior_year_end_balance) divided")
    assert plain_fields("an inherited IRA (destination traditional_ira) or an inherited Roth "
                        "IRA (roth_ira) set up") == "an inherited IRA or an inherited Roth IRA set up"


@pytest.mark.parametrize("name", ["sepp-early-retiree", "rmd-retired-younger-spouse",
                                  "inherited-ten-year-after-rbd"])
def test_no_raw_key_reaches_the_reader(name):
    words = visible(render_html(_case(name)))
    for raw in ("person.disabled", "prior_year_end_balance", "(traditional_ira)", "(roth_ira)",
                "docs/forms.md"):
        assert raw not in words, raw


def test_the_assess_json_says_the_same_rollover(rmd):
    """Every door reads the same why: the assessment itself (JSON, terminal, web page)."""
    case = load_case(EXAMPLES / "rmd-retired-younger-spouse.yaml")
    row = _sixty_day_row({"assessment": assess_cases([case])[0]})
    assert f"Not taxed only if {ROLLED} goes into" in row["why"]["taxable"]
    assert row["why"]["taxable"] == _sixty_day_row(rmd)["why"]["taxable"]


# Finding 9: the taxable part's why names its rule.
def test_the_taxable_parts_why_cites_its_rule(hardship):
    """A pre-tax payment in cash is income (IRC §402(a), the distributee taxed under §72); a
    loan within §72(p)(2)'s limits is not a distribution (§72(p)(1))."""
    by = {o["option"]: o for o in hardship["options"]}
    assert "[IRC §402(a)" in by["in_service:cash"]["why"]["taxable"]
    assert "[IRC §72(p)(1)" in by["loan:cash"]["why"]["taxable"]


# Finding 12: the day of 59½, only where it still matters.
def test_the_head_gives_59_and_a_half_only_before_it(rmd, hardship):
    """Born 1951-02-11: 59½ on 2010-08-11, sixteen years before the 2026-11-23 request — no
    matter to its 10% tax (§72(t)(2)(A)(i)); the hardship case's owner, born 1988-04-02, is
    59½ on 2047-10-02, after the request: said."""
    assert "59½ on 2010-08-11" not in visible(render_html(rmd))
    assert "59½ on 2047-10-02" in visible(render_html(hardship))


# Finding 11: a long option name beside its bar is wrapped, so that the printed chart keeps its
# plot and every word of the name; its data table names the option whole.
def test_long_option_names_beside_the_bars_are_wrapped(hardship):
    from dist401k.report import BAR_LABEL_LINE, dollar_chart

    names = list(dollar_chart(hardship).data[0].y)
    long = next(n for n in names if n.startswith("In-service withdrawal + Emergency"))
    assert "<br>" in long and all(len(line) <= BAR_LABEL_LINE for line in long.split("<br>"))
    assert long.replace("<br>", " ") == ("In-service withdrawal + Emergency expense (SECURE 2.0), "
                                         "then Hardship withdrawal for the rest: take it in cash")
    page = render_html(hardship)
    table = page[page.index("id='chart-dollars-data'"):]
    assert ("In-service withdrawal + Emergency expense (SECURE 2.0), then Hardship withdrawal for "
            "the rest: take it in cash") in html.unescape(table[:table.index("</table>")])
