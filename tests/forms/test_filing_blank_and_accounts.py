"""The Form 1099-R filing a plan administrator sends: box 4 left blank (not $0.00) where the
withholding is not figured, an account number unique to each form of one payment, and the
placeholder TINs named as such.

Expected answers are worked from the rules, not read from dist401k:

* A periodic payment is withheld as wages by the payee's Form W-4P (IRC §3405(a)); for a tax
  year with no Pub. 15-T table in the law (before 2025) that withholding is not figured
  (``SR_WITHHOLDING_WAGES``), so box 4 is unknown: blank and named in ``not_figured``
  (docs/forms.md: "blank there means unknown, not zero"), left out of the IRIS filing and
  counted in its summary as box 10 and box 14 are.  The same payment in 2026: $3,000 a month,
  single, no adjustments (Pub. 15-T Worksheet 1A, 2026 Annual Percentage Method table):
  36,000 − 8,600 = 27,400; 1,240 + 12% × (27,400 − 19,900) = 2,140; ÷ 12 = $178.33, filed.
* A payer filing more than one Form 1099-R for a recipient gives each its own account number
  (General Instructions for Certain Information Returns, part L; Instructions for Forms 1099-R
  and 5498, "Account number"); a designated Roth account is a separate account (IRC
  §402A(b)(2)).  One payment of pre-tax and designated Roth money at 64 gives two forms, codes
  7 and B7 (Guide to Distribution Codes), filed as ACCT006-1 and ACCT006-2 (docs/forms.md,
  "Account numbers"); the account number field takes 20 characters (Publication 1220, payee "B"
  record, positions 21-40).
* 12-3456789 has nine digits: it is refused as the placeholder 123456789, and the message says
  so; the transmitter's TIN is refused the same way.
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.filing import NAMESPACE, Transmitter, split_accounts
from dist401k.tin import NOT_NINE_DIGITS, PLACEHOLDER_TIN, tin_problems

runner = CliRunner()
NS = {"ir": NAMESPACE}
DOCS = Path(__file__).resolve().parents[2] / "docs"
TRANSMITTER_ARGS = ["--tcc", "ABCDE", "--transmitter-tin", "00-0000401", "--software-id",
                    "12345678"]
PARTY = ("payer_tin,payer_name,payer_address,payer_city,payer_state,payer_zip,payer_phone,"
         "recipient_tin,recipient_tin_type,recipient_first_name,recipient_last_name,"
         "recipient_address,recipient_city,recipient_state,recipient_zip,account_number")


def _party(payer_tin: str, tin: str, last: str, account: str) -> str:
    return (f"{payer_tin},Acme 401k Plan,1 Main St,Springfield,IL,62701,2175550100,{tin},SSN,"
            f"Pat,{last},2 Oak Ave,Springfield,IL,62702,{account}")


#: A life annuity of $3,000 a month from a separated participant born in 1960, W-4P single.
PERIODIC_HEAD = ("request_date,birth_date,plan_type,employment_status,hire_date,separation_date,"
                 "wages,balance_elective_deferral,request_route,request_amount,"
                 "request_destination,request_series,request_series_payments_per_year,"
                 "request_annuity_start_date,participant_id,filing_status,"
                 "request_w4p_filing_status," + PARTY)


def _periodic(year: int) -> str:
    return (f"{year}-06-15,1960-01-15,401k,separated,1990-01-01,{year - 1}-12-31,0,500000,"
            f"separation,3000,cash,life,12,{year}-01-01,p{year},single,single,"
            + _party("36-1234567", "221-45-6780", "DoeA", "ACCT000"))


#: c1: a cash-out at 46 (one form); r1: $20,000 of pre-tax and designated Roth money at 64
#: (two forms, 7 and B7).
SPLIT_HEAD = ("request_date,birth_date,plan_type,employment_status,hire_date,separation_date,"
              "wages,balance_elective_deferral,request_route,request_amount,request_destination,"
              "participant_id,filing_status,balance_roth_deferral,"
              "roth_contributions_roth_deferral,roth_first_year_roth_deferral," + PARTY)


def _split_rows(account: str, payer_tin: str = "36-1234567") -> str:
    c1 = ("2026-06-15,1980-05-01,401k,separated,2010-01-01,2025-06-30,40000,80000,separation,,"
          "cash,c1,single,,,," + _party(payer_tin, "221-45-6785", "DoeF", "ACCT005"))
    r1 = ("2026-06-15,1962-01-01,401k,separated,2010-01-01,2025-06-30,0,100000,separation,"
          "20000,cash,r1,single,50000,30000,2015,"
          + _party(payer_tin, "221-45-6786", "DoeG", account))
    return f"{SPLIT_HEAD}\n{c1}\n{r1}\n"


def _forms(tmp_path: Path, book: str, fmt: str = "iris-xml", *args: str):
    (tmp_path / "book.csv").write_text(book)
    out, filing = tmp_path / "out.csv", tmp_path / f"filing.{fmt.split('-')[1]}"
    r = runner.invoke(app, ["batch", str(tmp_path / "book.csv"), "--job", "forms", "-o",
                            str(out), "--export", fmt, "--export-output", str(filing),
                            *(args or TRANSMITTER_ARGS)])
    with open(out, newline="", encoding="utf-8") as fh:
        return r, list(csv.DictReader(fh)), filing


def _details(filing: Path) -> list[ET.Element]:
    return ET.parse(filing).getroot().findall(".//ir:Form1099RDetail", NS)


# --- F1: box 4 of a periodic payment whose withholding is not figured -----------------------

def test_box_4_of_a_periodic_payment_without_a_pub_15t_table_is_blank_named_and_counted(
        tmp_path):
    r, rows, filing = _forms(tmp_path, f"{PERIODIC_HEAD}\n{_periodic(2024)}\n")
    assert r.exit_code == 0, r.output
    row = rows[0]
    assert row["status"] == "ok" and "SR_WITHHOLDING_WAGES" in row["reasons"]
    assert row["form_pretax_cash_box_4"] == ""  # blank (null), not 0
    assert row["form_pretax_cash_not_figured"].split(";") == ["box_4"]
    (form,) = _details(filing)
    assert form.find("ir:FederalIncomeTaxWithheldAmt", NS) is None  # left out, not 0.00
    assert form.findtext("ir:GrossDistributionAmt", namespaces=NS) == "3000.00"
    assert "exported with a box left blank for want of facts" in r.output
    assert "box_4 (1)" in r.output


def test_box_4_of_the_same_payment_with_a_table_is_the_withholding(tmp_path):
    r, rows, filing = _forms(tmp_path, f"{PERIODIC_HEAD}\n{_periodic(2026)}\n")
    assert r.exit_code == 0, r.output
    assert float(rows[0]["form_pretax_cash_box_4"]) == pytest.approx(178.33, abs=0.005)
    assert rows[0]["form_pretax_cash_not_figured"] == ""
    (form,) = _details(filing)
    assert form.findtext("ir:FederalIncomeTaxWithheldAmt", namespaces=NS) == "178.33"
    assert "box_4" not in r.output


def test_box_4_is_blank_in_the_csv_filing_too(tmp_path):
    r, _, filing = _forms(tmp_path, f"{PERIODIC_HEAD}\n{_periodic(2024)}\n", "iris-csv",
                          "--tcc", "ABCDE")
    assert r.exit_code == 0, r.output
    with open(filing, newline="", encoding="utf-8") as fh:
        (form,) = list(csv.DictReader(fh))
    assert form["Box 4 Federal Income Tax Withheld"] == ""
    assert form["Box 1 Gross Distribution"] == "3000.00"


SERIES_CASE = """\
id: s2024
person: {birth_date: 1960-01-15, filing_status: single}
employment: {status: separated, hire_date: 1990-01-01, separation_date: 2023-12-31}
income: {wages: 0}
plan: {type: 401k}
account:
  sources:
    elective_deferral: {balance: 500000}
request: {date: 2024-06-15, amount: 3000, destination: cash, series: life,
          series_payments_per_year: 12, annuity_start_date: 2024-01-01}
"""


def _forms_in(answer) -> list[dict]:
    found: list[dict] = []
    if isinstance(answer, dict):
        if "box_4" in answer and "not_figured" in answer:
            found.append(answer)
        for v in answer.values():
            found += _forms_in(v)
    elif isinstance(answer, list):
        for v in answer:
            found += _forms_in(v)
    return found


def test_assess_json_leaves_box_4_null_and_says_why(tmp_path):
    import json

    case = tmp_path / "s2024.yaml"
    case.write_text(SERIES_CASE)
    r = runner.invoke(app, ["assess", str(case), "--format", "json"])
    assert r.exit_code == 0, r.output
    forms = _forms_in(json.loads(r.stdout))
    assert forms, "the case's payment issues a form"
    for form in forms:
        assert form["box_4"] is None
        assert [t.split(":")[0] for t in form["not_figured"]] == ["box 4"]


def test_the_reports_forms_table_shows_box_4_as_not_figured(tmp_path):
    case = tmp_path / "s2024.yaml"
    case.write_text(SERIES_CASE)
    out = tmp_path / "r.html"
    r = runner.invoke(app, ["report", str(case), "-o", str(out)])
    assert r.exit_code == 0, r.output
    html = out.read_text()
    table = html[html.index("The Forms 1099-R the plan will send"):]
    table = table[:table.index("</table>")]
    cells = re.findall(r"<td>([^<]*)</td>", table)
    # option, 1 gross, 2a taxable, 4 withheld, …
    assert cells[1] == "3,000" and cells[3] == "not figured"


# --- F2: one account number per form ---------------------------------------------------------

def test_the_two_forms_of_one_payment_carry_their_own_account_numbers(tmp_path):
    r, rows, filing = _forms(tmp_path, _split_rows("ACCT006"))
    assert r.exit_code == 0, r.output
    assert [x["form_1099r_codes"] for x in rows] == ["1", "7;B7"]
    got = [(d.findtext("ir:RecipientAccountNum", namespaces=NS),
            "".join(c.text or "" for c in d.findall("ir:F1099RDistributionCd", NS)))
           for d in _details(filing)]
    assert got == [("ACCT005", "1"), ("ACCT006-1", "7"), ("ACCT006-2", "B7")]


def test_the_csv_filing_numbers_the_forms_the_same_way(tmp_path):
    r, _, filing = _forms(tmp_path, _split_rows("ACCT006"), "iris-csv", "--tcc", "ABCDE")
    assert r.exit_code == 0, r.output
    with open(filing, newline="", encoding="utf-8") as fh:
        forms = list(csv.DictReader(fh))
    assert [(f["Account Number"], f["Box 7 Distribution Code(s)"]) for f in forms] == [
        ("ACCT005", "1"), ("ACCT006-1", "7"), ("ACCT006-2", "B7")]


def test_an_account_number_over_20_characters_is_an_error_row(tmp_path):
    r, rows, _ = _forms(tmp_path, _split_rows("A" * 21))
    assert r.exit_code == 0, r.output
    assert [(x["status"], x["error_column"]) for x in rows] == [("ok", ""),
                                                                ("error", "account_number")]
    assert "20 characters" in rows[1]["error_message"]
    assert "A" * 21 not in rows[1]["error_message"]


def test_a_row_of_20_characters_giving_one_form_keeps_its_number(tmp_path):
    book = _split_rows("ACCT006").replace("ACCT005", "B" * 20)
    r, _, filing = _forms(tmp_path, book)
    assert r.exit_code == 0, r.output
    assert [d.findtext("ir:RecipientAccountNum", namespaces=NS) for d in _details(filing)] == [
        "B" * 20, "ACCT006-1", "ACCT006-2"]


def test_split_accounts_numbers_each_rows_forms_in_order():
    accounts = np.array(["X", "Y", "Y", "Y", "", "", "Z"], dtype=object)
    at = np.array([0, 3, 3, 3, 5, 5, 8])
    assert split_accounts(accounts, at).tolist() == ["X", "Y-1", "Y-2", "Y-3", "", "", "Z"]


# --- F6: placeholder TINs ------------------------------------------------------------------------

def test_a_placeholder_payer_tin_is_named_a_placeholder(tmp_path):
    r, rows, _ = _forms(tmp_path, _split_rows("ACCT006", payer_tin="12-3456789"))
    assert r.exit_code == 0, r.output
    assert {(x["status"], x["error_column"]) for x in rows} == {("error", "payer_tin")}
    assert rows[0]["error_message"].endswith(PLACEHOLDER_TIN), rows[0]["error_message"]
    assert "3456789" not in rows[0]["error_message"].replace("123456789", "")


def test_tin_problems_tell_a_placeholder_from_a_malformed_number():
    values = ["12-3456789", "1234", "000-00-0000", "36-7654321", None]
    (short, short_text), (placeholder, placeholder_text) = tin_problems(values)
    assert short.tolist() == [False, True, False, False, False]
    assert placeholder.tolist() == [True, False, True, False, False]
    assert short_text == NOT_NINE_DIGITS and placeholder_text == PLACEHOLDER_TIN
    assert "placeholder" in PLACEHOLDER_TIN and "placeholder" not in NOT_NINE_DIGITS


@pytest.mark.parametrize("tin", ["12-3456789", "123456789", "11-1111111", "000000000"])
def test_a_placeholder_transmitter_tin_exits_2_in_one_line(tmp_path, tin):
    (tmp_path / "book.csv").write_text(_split_rows("ACCT006"))
    r = runner.invoke(app, ["batch", str(tmp_path / "book.csv"), "--job", "forms", "-o",
                            str(tmp_path / "o.csv"), "--export", "iris-xml", "--export-output",
                            str(tmp_path / "f.xml"), "--tcc", "ABCDE", "--transmitter-tin", tin,
                            "--software-id", "12345678"])
    assert r.exit_code == 2
    assert "--transmitter-tin" in r.output and "placeholder" in r.output
    assert len(r.output.strip().splitlines()) == 1
    assert "Traceback" not in r.output


def test_the_docs_transmitter_tins_pass_the_checks():
    text = (DOCS / "batch.md").read_text() + (DOCS / "forms.md").read_text()
    tins = re.findall(r"--transmitter-tin ([0-9-]+)", text)
    assert tins, "the docs show an export with --transmitter-tin"
    for tin in tins:
        assert Transmitter(tcc="ABCDE", tin=tin, software_id="12345678").problem() is None, tin
