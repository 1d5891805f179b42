"""Two rows of one plan book must not file two Forms 1099-R with one account number for one
recipient.

Worked from the rules, not read from dist401k.  The General Instructions for Certain
Information Returns, part L ("Account Number Box on Forms"): "The account number is required if
you have multiple accounts for a recipient for whom you are filing more than one information
return of the same type", and it is "any other number you assign to the payee that is unique
and will distinguish the specific account"; corrections are matched on it (Publication 1220).
So a payer's two returns of one year for one recipient (one TIN) carry two numbers.  A book of
two payments to participant P1 ($3,000 and $4,000 after separation, in cash, both under
ACCT1) gave two forms numbered ACCT1 and said nothing.  dist401k does not make a number up
(a number that depends on the book's order would not be the one a later correction book
finds): the later row is an error row naming ``account_number`` and the earlier row, and the
filing holds the first payment's form alone, in both formats.  A row whose forms' suffixed
numbers (ACCT6-1, ACCT6-2: one payment of pre-tax and designated Roth money, docs/forms.md)
reach a number another row gives (ACCT6-2) is refused the same way.  Rows with their own
numbers, or the same number for another recipient, are filed as before."""

from __future__ import annotations

import csv

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dist401k.filing import PARTS, account_clashes
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.runner import read_dataset, run_dask
from forms.test_filing_blank_and_accounts import (
    NS,
    SPLIT_HEAD,
    TRANSMITTER_ARGS,
    _details,
    _forms,
    _party,
)

LAW = default_law()
CSV_ARGS = ["--tcc", "ABCDE"]


def _cash(pid: str, amount: int, account: str, tin: str = "221-45-6785",
          payer_tin: str = "36-1234567", date: str = "2026-06-15") -> str:
    """A cash payment of ``amount`` at 46, after separation: one form, code 1."""
    return (f"{date},1980-05-01,401k,separated,2010-01-01,2025-06-30,40000,80000,separation,"
            f"{amount},cash,{pid},single,,,," + _party(payer_tin, tin, "Doe", account))


def _pre_and_roth(pid: str, account: str) -> str:
    """$20,000 of pre-tax and designated Roth money at 64: two forms, 7 and B7."""
    return ("2026-06-15,1962-01-01,401k,separated,2010-01-01,2025-06-30,0,100000,separation,"
            f"20000,cash,{pid},single,50000,30000,2015,"
            + _party("36-1234567", "221-45-6786", "DoeG", account))


def _book(*rows: str) -> str:
    return "\n".join((SPLIT_HEAD, *rows)) + "\n"


DUPLICATE = _book(_cash("P1", 3000, "ACCT1"), _cash("P1", 4000, "ACCT1"))


def _filed(filing, fmt: str) -> list[str]:
    if fmt == "iris-xml":
        return [d.findtext("ir:RecipientAccountNum", namespaces=NS) for d in _details(filing)]
    with open(filing, newline="", encoding="utf-8") as fh:
        return [f["Account Number"] for f in csv.DictReader(fh)]


def _shown(rows: list[dict]) -> list[str]:
    """The forms job's own numbers, every form of every row in the filing's order."""
    return [x[f"form_{part}_account_number"] for x in rows for part in PARTS
            if x.get(f"form_{part}_account_number")]


@pytest.mark.parametrize("fmt", ["iris-xml", "iris-csv"])
def test_two_payments_under_one_account_number_refuse_the_later(tmp_path, fmt):
    args = TRANSMITTER_ARGS if fmt == "iris-xml" else CSV_ARGS
    r, rows, filing = _forms(tmp_path, DUPLICATE, fmt, *args)
    assert r.exit_code == 0, r.output
    assert [(x["participant_id"], x["status"], x["error_column"]) for x in rows] == [
        ("P1", "ok", ""), ("P1", "error", "account_number")]
    message = rows[1]["error_message"]
    assert message.startswith("account_number: repeats the account number of row 0")
    assert "part L" in message and "221" not in message  # names the rule, never the TIN
    assert _filed(filing, fmt) == ["ACCT1"]
    assert _shown(rows) == ["ACCT1"]
    assert "1 Forms 1099-R exported" in r.output


@pytest.mark.parametrize("fmt", ["iris-xml", "iris-csv"])
def test_rows_with_their_own_numbers_are_unchanged(tmp_path, fmt):
    args = TRANSMITTER_ARGS if fmt == "iris-xml" else CSV_ARGS
    book = _book(_cash("P1", 3000, "ACCT1"), _cash("P1", 4000, "ACCT2"),
                 _cash("P2", 5000, "ACCT1", tin="221-45-6790"), _pre_and_roth("P3", "ACCT6"))
    r, rows, filing = _forms(tmp_path, book, fmt, *args)
    assert r.exit_code == 0, r.output
    assert [x["status"] for x in rows] == ["ok"] * 4
    # ACCT1 twice, but for two recipients: two filers' numbers need not differ across people.
    assert _filed(filing, fmt) == ["ACCT1", "ACCT2", "ACCT1", "ACCT6-1", "ACCT6-2"]
    assert _shown(rows) == _filed(filing, fmt)


def test_the_forms_table_shows_each_forms_number():
    """Row 0: one form, the book's number; row 1: codes 7 and B7, ACCT6-1 and ACCT6-2 on the
    pre-tax and the Roth form; nothing on the parts that give no form."""
    table = _table(_book(_cash("P1", 3000, "ACCT1"), _pre_and_roth("P3", "ACCT6")))
    out = run_job(table, "forms", LAW).to_pylist()
    assert [(x["form_pretax_cash_account_number"], x["form_roth_cash_account_number"],
             x["form_rolled_pretax_account_number"]) for x in out] == [
        ("ACCT1", None, None), ("ACCT6-1", "ACCT6-2", None)]


def test_a_suffixed_number_that_reaches_another_rows_is_refused(tmp_path):
    """ACCT6's two forms would be ACCT6-1 and ACCT6-2; row 1 gives ACCT6-2 for the same
    recipient: the row of two forms is refused, naming row 1, whose form is filed."""
    book = _book(_pre_and_roth("P3", "ACCT6"), _cash("P3", 3000, "ACCT6-2", tin="221-45-6786"))
    r, rows, filing = _forms(tmp_path, book)
    assert r.exit_code == 0, r.output
    assert [(x["status"], x["error_column"]) for x in rows] == [("error", "account_number"),
                                                                ("ok", "")]
    assert rows[0]["error_message"].startswith(
        "account_number: with the suffix each of this payment's forms takes (-1, -2), repeats "
        "the account number row 1 gives")
    assert _filed(filing, "iris-xml") == ["ACCT6-2"] == _shown(rows)


def test_the_clash_is_found_across_chunks(tmp_path):
    """A run in chunks of one row finds the repeat in another chunk: the same results."""
    (tmp_path / "book.csv").write_text(DUPLICATE)
    from typer.testing import CliRunner

    from dist401k.cli import app

    r = CliRunner().invoke(app, ["batch", str(tmp_path / "book.csv"), "--job", "forms", "-o",
                                 str(tmp_path / "out.csv"), "--partition-rows", "1"])
    assert r.exit_code == 0, r.output
    with open(tmp_path / "out.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(x["status"], x["error_column"]) for x in rows] == [("ok", ""),
                                                                ("error", "account_number")]
    assert "row 0" in rows[1]["error_message"]


def test_another_payer_or_tax_year_is_another_filing():
    """The same recipient and number under another payer_tin, or in another tax year, is not
    a repeat: each is its own filer's, or its own year's, return."""
    table = _table(_book(_cash("P1", 3000, "ACCT1"),
                         _cash("P1", 4000, "ACCT1", payer_tin="36-7654321"),
                         _cash("P1", 4000, "ACCT1", date="2027-02-15")))
    assert (account_clashes(table).earlier == -1).all()
    assert [x["status"] for x in run_job(table, "forms", LAW).to_pylist()] == ["ok"] * 3


def test_dask_and_resume_give_the_same_numbers(tmp_path):
    """Partitions of one row each: the repeat is found across partitions, and a resumed run
    (one partition written again) gives the same rows."""
    table = _table(_book(_cash("P1", 3000, "ACCT1"), _cash("P1", 4000, "ACCT1"),
                         _pre_and_roth("P3", "ACCT6")))
    book = tmp_path / "book.parquet"
    pq.write_table(table, book, row_group_size=1)
    out = tmp_path / "parts"
    run_dask(book, "forms", out, workers=1, partition_rows=1)
    first = _summary(read_dataset(out))
    assert first == [("ok", None, "ACCT1"), ("error", "account_number", None),
                     ("ok", None, "ACCT6-1")]
    (out / "part-00001.parquet").unlink()
    run_dask(book, "forms", out, workers=1, partition_rows=1, resume=True)
    assert _summary(read_dataset(out)) == first


def _summary(results: pa.Table) -> list[tuple]:
    rows = sorted(results.to_pylist(), key=lambda x: x["row"])
    return [(x["status"], x["error_column"], x["form_pretax_cash_account_number"])
            for x in rows]


def _table(book: str) -> pa.Table:
    """The book as the CSV reader gives it (every column text, as the batch reads it)."""
    header, *rows = book.strip().split("\n")
    names = header.split(",")
    cells = [row.split(",") for row in rows]
    return pa.table({k: pa.array([c[i] if c[i] != "" else None for c in cells], pa.string())
                     for i, k in enumerate(names)})
