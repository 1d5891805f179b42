"""A payment split over more than one Form 1099-R whose account number cannot take its suffix
is an error row naming ``account_number`` and the limit — never forms left out of the filing
and only counted.

Worked from the rules, not read from dist401k: each form of one payment carries its own account
number (General Instructions for Certain Information Returns, part L; Instructions for Forms
1099-R and 5498, "Account number"), the book's with a suffix "-1", "-2" (docs/forms.md,
"Account numbers"); the field takes 20 characters (Publication 1220, payee "B" record,
positions 21–40).  So on a row giving two forms (pre-tax and designated Roth money at 64:
codes 7 and B7) an account number of 18 characters fits with its two-character suffix (20),
one of 19 or 20 does not (21, 22): the row is an error row, the field and the 20 named; the
other row's form is filed alone.  A row giving one form keeps 19 characters unchanged."""

from __future__ import annotations

import csv

import numpy as np
import pyarrow as pa
import pytest

from dist401k.filing import long_split_accounts
from dist401k.jobs import run_job
from dist401k.law import default_law
from forms.test_filing_blank_and_accounts import NS, _details, _forms, _split_rows

LAW = default_law()


@pytest.mark.parametrize("length", [19, 20])
def test_an_account_number_too_long_for_its_suffix_is_an_error_row(tmp_path, length):
    account = "A" * length
    r, rows, filing = _forms(tmp_path, _split_rows(account))
    assert r.exit_code == 0, r.output
    assert [(x["participant_id"], x["status"], x["error_column"]) for x in rows] == [
        ("c1", "ok", ""), ("r1", "error", "account_number")]
    message = rows[1]["error_message"]
    assert message.startswith("account_number: ") and "20 characters" in message
    assert "at most 18 characters" in message
    assert account not in message  # the value is never repeated
    # The filing holds the other row's form only, and says nothing was left out unsaid.
    assert [d.findtext("ir:RecipientAccountNum", namespaces=NS) for d in _details(filing)] == [
        "ACCT005"]
    assert "1 Forms 1099-R exported" in r.output
    assert "not exported" not in r.output


def test_the_csv_filing_does_the_same(tmp_path):
    r, rows, filing = _forms(tmp_path, _split_rows("A" * 19), "iris-csv", "--tcc", "ABCDE")
    assert r.exit_code == 0, r.output
    assert [x["status"] for x in rows] == ["ok", "error"]
    with open(filing, newline="", encoding="utf-8") as fh:
        assert [f["Account Number"] for f in csv.DictReader(fh)] == ["ACCT005"]


def test_eighteen_characters_take_the_suffix_and_are_filed(tmp_path):
    account = "A" * 18
    r, rows, filing = _forms(tmp_path, _split_rows(account))
    assert r.exit_code == 0, r.output
    assert [x["status"] for x in rows] == ["ok", "ok"]
    assert [d.findtext("ir:RecipientAccountNum", namespaces=NS) for d in _details(filing)] == [
        "ACCT005", f"{account}-1", f"{account}-2"]


def test_nineteen_characters_on_a_row_of_one_form_are_kept(tmp_path):
    book = _split_rows("ACCT006").replace("ACCT005", "B" * 19)
    r, rows, filing = _forms(tmp_path, book)
    assert r.exit_code == 0, r.output
    assert [x["status"] for x in rows] == ["ok", "ok"]
    assert [d.findtext("ir:RecipientAccountNum", namespaces=NS) for d in _details(filing)] == [
        "B" * 19, "ACCT006-1", "ACCT006-2"]


def test_the_forms_job_alone_gives_the_error_row():
    """Without an export the forms job's results say the same: the row is not left to fail
    later, in a filing."""
    (header, c1, r1) = _split_rows("A" * 20).strip().split("\n")
    names = header.split(",")
    table = pa.table({k: pa.array([a, b]) for k, a, b in zip(
        names, c1.split(","), r1.split(","), strict=True)})
    out = run_job(table, "forms", LAW).to_pylist()
    assert [(x["status"], x["error_column"]) for x in out] == [("ok", None),
                                                                ("error", "account_number")]
    assert out[1]["form_pretax_cash_issued"] is None  # no form given for an error row


def test_the_roth_ira_custodians_forms_are_not_the_plans_to_number():
    """Money from the participant's own Roth IRA is reported by its custodian (docs/forms.md):
    the plan's filing numbers none of its forms, so its account number is not refused."""
    book = pa.table({"request_route": ["roth_ira", "separation"],
                     "account_number": ["A" * 19, "A" * 19]})
    assert long_split_accounts(book, np.array([2, 2])).tolist() == [False, True]
