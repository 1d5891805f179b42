"""Filing a forms run's Forms 1099-R electronically, in the two formats of the IRS's
Information Returns Intake System (IRIS), the only electronic channel for information returns
filed from 2027 (FIRE and the fixed-width files of Publication 1220 end with the 2026 filing
season): the portal's CSV upload and the application-to-application (A2A) XML.

What was checked against what (docs/forms.md, "What was and was not validated"): the IRS's
own IRIS schemas and CSV templates could not be had.  The XML follows the IRIS structure that
public implementations and schema-derived pages show, encoded with its sources in
``tests/forms/data/iris_1099r_structure.yaml`` (envelope, submission header, the common part
of a form's detail: recipient, TIN type, name and address groups); the Form 1099-R box
elements take the names and order of the IRS's MeF ``IRS1099R`` record, for want of any public
IRIS Form 1099-R structure.  The CSV's columns are this project's (the IRS's Form 1099-R
template guidelines were not found).

The export streams: each chunk's forms are written as they come; the XML's body goes to a
temporary file and is framed, once the counts are known, under a temporary name renamed when
complete.  Full TINs go only to the filing (the IRS's copy); they are never logged.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from dist401k.errors import NUMBERS_IN_TEXT
from dist401k.form_1099r_boxes import PARTS
from dist401k.io.outputs import atomic_output, exclusive_temporary
from dist401k.io.tables import numbers_in_text
from dist401k.tin import PLACEHOLDER_TIN, placeholder_tins

EXPORTS = ("iris-csv", "iris-xml")
#: The recipient's TIN types the book may give (``recipient_tin_type``) and the IRIS
#: ``TINSubmittedTypeCd`` each is filed as; a row without one is a person's (INDIVIDUAL_TIN).
TIN_TYPES = {"SSN": "INDIVIDUAL_TIN", "ITIN": "INDIVIDUAL_TIN", "ATIN": "INDIVIDUAL_TIN",
             "EIN": "BUSINESS_TIN"}
#: The book's optional columns that name the payer and the recipient (docs/forms.md).
PARTY_COLUMNS = ("payer_tin", "payer_name", "payer_address", "payer_city", "payer_state",
                 "payer_zip", "payer_phone", "recipient_tin", "recipient_tin_type",
                 "recipient_name", "recipient_first_name", "recipient_middle_name",
                 "recipient_last_name", "recipient_address", "recipient_city",
                 "recipient_state", "recipient_zip", "account_number", "payer_state_id")
#: The form a party column must have where given (after the spaces, dashes, dots and brackets
#: of a ZIP code or phone number are removed, and a state code is upper-cased): IRIS's US
#: address (two-letter state, ZIP of five or nine digits) and ten-digit phone number.
PARTY_FORMATS = {
    "recipient_tin_type": ("|".join(TIN_TYPES), f"is not one of {', '.join(TIN_TYPES)}"),
    "payer_state": ("[A-Z]{2}", "is not a two-letter state code"),
    "recipient_state": ("[A-Z]{2}", "is not a two-letter state code"),
    "payer_zip": (r"\d{5}(\d{4})?", "is not a ZIP code (five or nine digits)"),
    "recipient_zip": (r"\d{5}(\d{4})?", "is not a ZIP code (five or nine digits)"),
    "payer_phone": (r"\d{10}", "is not a ten-digit phone number"),
}
#: The party columns of free text (names, addresses, cities, the account number) and their
#: rule: the first character not one a spreadsheet reads as the start of a formula (= + - @,
#: a tab or a carriage return: OWASP, "CSV Injection"), no control character anywhere (a tab,
#: a line break: no IRS text field holds one).  The IRS's own IRIS patterns for these fields
#: could not be read (the IRIS schemas are given only to holders of a TCC; Publications 5717
#: and 5718 were not readable here), so this is the floor, not the IRS's whole rule: the MeF
#: schema's BusinessNameLine1Type (letters, digits, # - ( ) & ' and single spaces) would
#: refuse more (docs/forms.md, "Characters the filing takes").
TEXT_COLUMNS = ("payer_name", "payer_address", "payer_city", "recipient_name",
                "recipient_first_name", "recipient_middle_name", "recipient_last_name",
                "recipient_address", "recipient_city", "account_number", "payer_state_id")
TEXT_RULE = r"[^=+\-@\p{Cc}][^\p{Cc}]*"
TEXT_PROBLEM = ("starts with a character a spreadsheet reads as a formula (= + - @) or holds a "
                "control character (a tab, a line break): not filed; write it as text")
#: The most characters an account number may have: the "Payer's Account Number For Payee" of
#: Publication 1220's payee "B" record takes 20 (positions 21-40); IRIS's own limit for
#: ``RecipientAccountNum`` could not be read (its schemas go to TCC holders only), so the
#: fixed-width file's is kept (docs/forms.md, "Account numbers").
ACCOUNT_NUMBER_LENGTH = 20
LONG_ACCOUNT = (f"is longer than the {ACCOUNT_NUMBER_LENGTH} characters an information return's "
                "account number may have")
#: What a split payment's forms add to the book's account number: "-" and the form's place
#: among the payment's forms, in the filing's order ("ACCT006-1", "ACCT006-2").
ACCOUNT_SUFFIX = "-{}"
#: The most characters the book's account number may have on a row whose payment gives more
#: than one form: the field's, less the longest suffix one of its forms may take.
SPLIT_ACCOUNT_LENGTH = ACCOUNT_NUMBER_LENGTH - len(ACCOUNT_SUFFIX.format(len(PARTS)))
LONG_SPLIT_ACCOUNT = (
    f"is too long for a payment that gives more than one Form 1099-R: each form's account "
    f"number takes a suffix (-1, -2) and, with it, may have at most {ACCOUNT_NUMBER_LENGTH} "
    f"characters (Publication 1220): give at most {SPLIT_ACCOUNT_LENGTH} characters")
#: The book's columns that tell whether two rows' forms are returns of one filer for one
#: recipient in one filing (:func:`account_clashes`): the payer's and the recipient's TINs, the
#: tax year (``request_date``'s), the account number, and the route (a row giving no plan form
#: is not one).
ACCOUNT_KEY_COLUMNS = ("payer_tin", "recipient_tin", "request_date", "account_number",
                       "request_route")
#: The routes that give no Form 1099-R: a plan loan, not a distribution while it is repaid.
NO_FORM_ROUTES = ("loan",)
REPEATED_ACCOUNT = (
    "repeats the account number of row {row}, for the same payer_tin, recipient_tin and tax "
    "year: each Form 1099-R a payer files for a recipient needs an account number of its own "
    "(General Instructions for Certain Information Returns, part L; corrections are matched on "
    "it): give this payment its own account_number")
SUFFIXED_ACCOUNT = (
    "with the suffix each of this payment's forms takes (-1, -2), repeats the account number "
    "row {row} gives for the same payer_tin, recipient_tin and tax year: each Form 1099-R a "
    "payer files for a recipient needs an account number of its own (General Instructions for "
    "Certain Information Returns, part L): give one of the two rows another account_number")
#: The routes whose Form 1099-R is not the plan's: money from the participant's own Roth IRA
#: is paid, and so reported, by the Roth IRA's custodian (Instructions for Forms 1099-R and
#: 5498, "File Form 1099-R for each person to whom you have made a designated distribution");
#: the forms job shows the form, the filing leaves it out and counts it (docs/forms.md).
NOT_THE_PLANS = ("roth_ira",)
#: Without these a form cannot be filed: it is counted, not exported (docs/forms.md).
REQUIRED_COLUMNS = ("payer_tin", "payer_name", "payer_address", "payer_city", "payer_state",
                    "payer_zip", "recipient_tin", "recipient_address", "recipient_city",
                    "recipient_state", "recipient_zip")
#: The form's boxes in the export: (the forms job's box, CSV column, XML element, kind); the
#: XML elements are the MeF IRS1099R names, in its order (the structure file's boxes); the
#: state's (kind "state": boxes 14, 15 and 16) go in its StateLocalTaxGrp, last.
BOXES = (
    ("box_1", "Box 1 Gross Distribution", "GrossDistributionAmt", "amount"),
    ("box_2a", "Box 2a Taxable Amount", "TaxableAmt", "amount"),
    ("box_2b_not_determined", "Box 2b Taxable Amount Not Determined",
     "TxblAmountNotDeterminedInd", "flag"),
    ("box_2b_total", "Box 2b Total Distribution", "TotalDistributionInd", "flag"),
    ("box_3", "Box 3 Capital Gain", "CapitalGainAmt", "amount"),
    ("box_4", "Box 4 Federal Income Tax Withheld", "FederalIncomeTaxWithheldAmt", "amount"),
    ("box_5", "Box 5 Employee Contributions/Designated Roth Contributions",
     "EmployeeContributionsAmt", "amount"),
    ("box_6", "Box 6 Net Unrealized Appreciation in Employer's Securities",
     "NetUnrlzdSecuritiesApprcnAmt", "amount"),
    ("box_7", "Box 7 Distribution Code(s)", "F1099RDistributionCd", "codes"),
    ("box_7_ira", "Box 7 IRA/SEP/SIMPLE", "IRASEPSIMPLEInd", "flag"),
    ("box_9b", "Box 9b Total Employee Contributions", "TotalEmployeeContributionsAmt",
     "amount"),
    ("box_10", "Box 10 Amount Allocable to IRR Within 5 Years", "IRRAllocatedAmt", "amount"),
    ("box_11", "Box 11 First Year of Designated Roth Contributions",
     "DesignatedROTHAcctFirstYr", "year"),
    ("box_14", "Box 14 State Tax Withheld", "StateTaxWithheldAmt", "state"),
    ("box_15", "Box 15 State", "StateAbbreviationCd", "state"),
    ("box_16", "Box 16 State Distribution", "StateDistributionAmt", "state"),
)
#: StateTaxGrp's elements, in its order: box 14, box 16.
STATE_TAX_GRP = ("StateTaxWithheldAmt", "StateDistributionAmt")
#: The CSV's columns: the form, the payer, the recipient, then the boxes.
PARTY_HEADERS = {"payer_tin": "Payer TIN", "payer_name": "Payer Name",
                 "payer_address": "Payer Address", "payer_city": "Payer City",
                 "payer_state": "Payer State", "payer_zip": "Payer ZIP Code",
                 "recipient_tin": "Recipient TIN", "recipient_name": "Recipient Name",
                 "recipient_address": "Recipient Address", "recipient_city": "Recipient City",
                 "recipient_state": "Recipient State", "recipient_zip": "Recipient ZIP Code",
                 "account_number": "Account Number"}
#: Box 15's second half, "Payer's state no." (the printed form's "State/Payer's state no."):
#: the book's ``payer_state_id``, shown with the state.  Not in the XML: no IRS source for
#: IRIS's Form 1099-R element was found, and the public ones disagree (docs/forms.md).
PAYER_STATE_NO = "Box 15 Payer's State No."
CSV_HEADER = ("Form Type", "Tax Year", *PARTY_HEADERS.values(),
              *(h for b in BOXES for h in ((b[1], PAYER_STATE_NO) if b[0] == "box_15"
                                           else (b[1],))))
FORM_TYPE = "1099-R"
NAMESPACE = "urn:us:gov:treasury:irs:ir"
#: The submission header's form type and its transmittal form (Form 1096).
FORM_TYPE_CD, PARENT_FORM_TYPE_CD = "1099R", "1096"


@dataclass(frozen=True)
class Transmitter:
    """Who sends an iris-xml transmission: the IRIS Transmitter Control Code, the
    transmitter's EIN, the Software ID the IRS assigns once the Assurance Testing System is
    passed, and whether the file is a test (ATS, ``TestCd`` T) or production (P)."""

    tcc: str = ""
    tin: str = ""
    software_id: str = ""
    test: bool = True

    def problem(self) -> str | None:
        """One line naming what an iris-xml transmission lacks or has malformed, else None."""
        missing = [opt for opt, v in (("--tcc", self.tcc), ("--transmitter-tin", self.tin),
                                      ("--software-id", self.software_id)) if not v]
        if missing:
            return f"--export iris-xml needs {', '.join(missing)}"
        if not re.fullmatch(r"[A-Z0-9]{5}", self.tcc):
            return "--tcc: an IRIS Transmitter Control Code is five letters or digits"
        if not re.fullmatch(r"\d{9}", re.sub(r"[\s-]", "", self.tin)):
            return "--transmitter-tin: the transmitter's EIN is nine digits"
        if placeholder_tins([self.tin])[0]:
            return f"--transmitter-tin: {PLACEHOLDER_TIN}"
        return None


def _text(table: pa.Table, name: str, at: np.ndarray) -> np.ndarray:
    """A column of the book at rows ``at``, as text ("" where absent or null)."""
    if name not in table.column_names:
        return np.full(len(at), "", dtype=object)
    col = pc.fill_null(pc.cast(table.column(name).take(pa.array(at)), pa.string()), "")
    return pc.utf8_trim_whitespace(col).to_numpy(zero_copy_only=False).astype(object)


def _upper(table: pa.Table, name: str, at: np.ndarray) -> np.ndarray:
    """A column at rows ``at``, upper-cased ("" where the book gives none)."""
    v = _text(table, name, at)
    return pc.utf8_upper(pa.array(v.tolist(), pa.string())).to_numpy(
        zero_copy_only=False).astype(object)


def _tin_types(table: pa.Table, at: np.ndarray) -> np.ndarray:
    """The recipient's TIN type at rows ``at``, upper-cased ("" where the book gives none)."""
    return _upper(table, "recipient_tin_type", at)


def _party(table: pa.Table, name: str, at: np.ndarray) -> np.ndarray:
    """A party column at rows ``at`` as the filing writes it: TINs, ZIP codes and phone
    numbers as digits, state codes and TIN types upper-cased."""
    if name.endswith(("_state", "_tin_type")):
        return _upper(table, name, at)
    v = _text(table, name, at)
    return _digits(v) if name.endswith(("_tin", "_zip", "_phone")) else v


def malformed_party_columns(table: pa.Table) -> dict[str, tuple[np.ndarray, str]]:
    """For each party column the book gives: the rows where a value is given and malformed,
    and the one-line problem (the forms job makes them error rows; the value is never
    quoted).  A column given as numbers (a Parquet integer column of ZIP codes or account
    numbers) is refused where it gives a value: a leading zero is lost already; one of
    PARTY_FORMATS is checked for its form, one of TEXT_COLUMNS for TEXT_RULE (as filed: the
    spaces around it removed)."""
    every = np.arange(table.num_rows)
    out = {}
    for name in PARTY_COLUMNS:
        if name not in table.column_names:
            continue
        numbers = numbers_in_text(table.column(name))
        if numbers.any():
            out[name] = (numbers, NUMBERS_IN_TEXT)
        elif name in PARTY_FORMATS or name in TEXT_COLUMNS:
            pattern, problem = PARTY_FORMATS.get(name, (TEXT_RULE, TEXT_PROBLEM))
            v = _party(table, name, every)
            ok = pc.match_substring_regex(pa.array(v.tolist(), pa.string()), f"^({pattern})$")
            bad = (v != "") & ~ok.to_numpy(zero_copy_only=False)
            out[name] = _account_problems(v, bad, problem) if name == "account_number" else \
                (bad, problem)
    return out


def _account_problems(v: np.ndarray, bad: np.ndarray, problem: str) -> tuple[np.ndarray, str]:
    """The account numbers refused: ``bad`` by the text rule, and those longer than an
    information return's account number may be (ACCOUNT_NUMBER_LENGTH), with one line saying
    which (both, where the chunk holds both kinds)."""
    long = np.fromiter((len(x) for x in v), np.int64, len(v)) > ACCOUNT_NUMBER_LENGTH
    if not long.any():
        return bad, problem
    if not bad.any():
        return long, LONG_ACCOUNT
    return bad | long, f"{LONG_ACCOUNT}, or {problem}"


def _digits(values: np.ndarray) -> np.ndarray:
    """A TIN, ZIP code or phone number as digits only (the dashes, spaces, brackets and dots
    the book may hold removed)."""
    out = pc.replace_substring_regex(pa.array(values.tolist(), pa.string()), r"[\s().-]", "")
    return out.to_numpy(zero_copy_only=False).astype(object)


def _amounts(v: np.ndarray) -> np.ndarray:
    """Dollars and cents as text ("1234.50"); blank where the box is blank (NaN)."""
    v = np.asarray(v, dtype=float)
    out = np.char.mod("%.2f", np.where(np.isnan(v), 0.0, v)).astype(object)
    return np.where(np.isnan(v), "", out)


def _column(results: pa.Table, name: str, kind: str, at: np.ndarray) -> np.ndarray:
    """A box of the forms job's results at rows ``at``, as the filing writes it."""
    col = results.column(name).take(pa.array(at))
    if kind == "amount" or (kind == "state" and pa.types.is_floating(col.type)):
        return _amounts(pc.fill_null(pc.cast(col, pa.float64()), float("nan")).to_numpy())
    if kind == "flag":
        return np.where(pc.fill_null(col, False).to_numpy(zero_copy_only=False), "1", "0")
    if kind == "year":
        years = pc.fill_null(col, 0).to_numpy(zero_copy_only=False)
        return np.where(years > 0, years.astype(str), "").astype(object)
    return pc.fill_null(col, "").to_numpy(zero_copy_only=False).astype(object)


@dataclass
class Records:
    """The forms of one chunk to file, one entry per form: text columns by name (the CSV's
    headers, and the book's party columns by their own names)."""

    columns: dict[str, np.ndarray]
    left_out: Counter[str]  # forms not filed ("forms"), and by each required column lacking
    not_the_plans: int = 0  # forms of money from the Roth IRA: its custodian files them
    #: forms filed with a box blank for want of facts (the forms job's ``not_figured``), by box
    not_figured: Counter[str] = field(default_factory=Counter)
    #: forms filed whose payment is under the filing threshold (``below_filing_threshold``)
    below_threshold: int = 0
    #: forms not filed: a split payment's, whose account number cannot take its suffix
    long_accounts: int = 0

    def __len__(self) -> int:
        return len(self.columns["Form Type"])


def _missing(book: pa.Table, fmt: str) -> dict[str, np.ndarray]:
    """For each required column, the rows that do not give it; the recipient's name is
    required as the format names it (iris-xml: a person's first and last name, an EIN's
    ``recipient_name``; iris-csv: ``recipient_name`` or a last name)."""
    every = np.arange(book.num_rows)
    given = {k: _text(book, k, every) != "" for k in PARTY_COLUMNS}
    out = {k: ~given[k] for k in REQUIRED_COLUMNS}
    business = _tin_types(book, every) == "EIN"
    if fmt == "iris-xml":
        person = ~business
        out["recipient_first_name"] = person & ~given["recipient_first_name"]
        out["recipient_last_name"] = person & ~given["recipient_last_name"]
        out["recipient_name"] = business & ~given["recipient_name"]
    else:
        out["recipient_name"] = ~given["recipient_name"] & ~given["recipient_last_name"]
    return out


def _custodians(book: pa.Table) -> np.ndarray:
    """The rows whose forms are not the plan's to file (``request_route`` in
    NOT_THE_PLANS)."""
    return np.isin(_text(book, "request_route", np.arange(book.num_rows)), NOT_THE_PLANS)


@dataclass
class _Issued:
    """For each part, the rows whose form is filed; the forms left out for want of each
    required column; those another payer files (NOT_THE_PLANS); those of a split payment
    whose account number, suffixed, would be too long (:func:`_long_accounts`)."""

    rows: list[np.ndarray]
    left_out: Counter[str]
    not_the_plans: int
    long_accounts: int


def _issued(book: pa.Table, results: pa.Table, fmt: str) -> _Issued:
    """For each part, the rows whose form is issued and filed (the plan's, every required
    column given, an account number that takes its suffix); the number of forms left out for
    want of each required column; the number of forms another payer files (NOT_THE_PLANS);
    and the number left out for an account number too long to take its suffix."""
    ok = pc.fill_null(pc.equal(results.column("status"), "ok"), False).to_numpy(
        zero_copy_only=False)
    missing = _missing(book, fmt)
    fileable = ~np.logical_or.reduce(list(missing.values()))
    custodians = _custodians(book)
    issued = [ok & pc.fill_null(results.column(f"form_{part}_issued"), False).to_numpy(
        zero_copy_only=False) for part in PARTS]
    not_the_plans = int(sum((i & custodians).sum() for i in issued))
    issued = [i & ~custodians for i in issued]
    long = _long_accounts(book, np.sum(issued, axis=0))
    rows: list[np.ndarray] = []
    left_out: Counter[str] = Counter()
    for i in issued:
        for name, lacking in missing.items():
            left_out[name] += int((i & lacking).sum())
        left_out["forms"] += int((i & ~fileable).sum())
        rows.append(np.flatnonzero(i & fileable & ~long))
    return _Issued(rows, +left_out, not_the_plans,
                   int(sum((i & fileable & long).sum() for i in issued)))


def _long_accounts(book: pa.Table, forms: np.ndarray) -> np.ndarray:
    """The rows giving more than one form (``forms`` a row) whose account number, with the
    suffix each of those forms takes (:func:`split_accounts`), would be longer than
    ACCOUNT_NUMBER_LENGTH: such forms cannot carry the distinct account numbers the IRS
    requires.  The forms job makes them error rows (:func:`long_split_accounts`); a filing
    given such a row all the same leaves its forms out and counts them."""
    acct = _text(book, "account_number", np.arange(book.num_rows))
    width = np.fromiter((len(a) + len(ACCOUNT_SUFFIX.format(k)) for a, k in zip(
        acct, forms, strict=True)), np.int64, len(acct))
    return (forms > 1) & (acct != "") & (width > ACCOUNT_NUMBER_LENGTH)


def long_split_accounts(book: pa.Table, forms: np.ndarray) -> np.ndarray:
    """The rows of ``book`` the forms job refuses (an error row naming ``account_number``,
    :data:`LONG_SPLIT_ACCOUNT`): their payment gives more than one Form 1099-R (``forms`` a
    row) of the plan's to file, and the book's account number cannot take the suffix that
    makes each form's its own (:func:`split_accounts`) within ACCOUNT_NUMBER_LENGTH (docs/forms.md,
    "Account numbers").  The Roth IRA custodian's forms (NOT_THE_PLANS) are not filed here."""
    return _long_accounts(book, np.asarray(forms)) & ~_custodians(book)


def split_accounts(accounts: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Each form's account number, the forms in the filing's order (``at``: their book rows,
    sorted, a row's forms together).  Where a row gives more than one form (one payment of
    pre-tax and designated Roth money, codes 7 and B7; a payment partly rolled over), each
    form gets the row's account number with its place among the row's forms as a suffix
    ("ACCT006-1", "ACCT006-2"): "The account number is required if you have multiple
    accounts for a recipient for whom you are filing more than one information return of the
    same type" and must be unique to each (General Instructions for Certain Information
    Returns, part L; Instructions for Forms 1099-R and 5498, "Account number"), and a
    designated Roth account is a separate account (IRC §402A(b)(2)).  A row giving one form,
    or giving no account number, keeps what the book gives."""
    if not len(at):
        return accounts
    _, inverse, counts = np.unique(at, return_inverse=True, return_counts=True)
    starts = np.r_[True, at[1:] != at[:-1]]
    first = np.maximum.accumulate(np.where(starts, np.arange(len(at)), 0))
    place = np.arange(len(at)) - first + 1
    suffixed = np.asarray([a + ACCOUNT_SUFFIX.format(k) for a, k in zip(accounts, place,
                                                                         strict=True)], object)
    return np.where((counts[inverse] > 1) & (accounts != ""), suffixed, accounts)


def form_account_numbers(book: pa.Table, issued: list[np.ndarray]) -> list[np.ndarray]:
    """For each part (PARTS), each row's account number on that part's form, as the filing
    gives it (:func:`split_accounts`): the book's ``account_number``, with the form's place
    among the row's forms as a suffix where the row gives more than one; "" where the part
    gives no form, the row no account number, or the form is not the plan's to file
    (NOT_THE_PLANS: the Roth IRA custodian numbers its own).  The forms job shows them
    (``form_<part>_account_number``) and the filing files them."""
    every = np.arange(book.num_rows)
    acct = np.where(_custodians(book), "", _text(book, "account_number", every))
    issued = [np.asarray(i, bool) for i in issued]
    forms = np.sum(issued, axis=0) if issued else np.zeros(book.num_rows, np.int64)
    place = np.zeros(book.num_rows, np.int64)
    out = []
    for i in issued:
        place = place + i
        v = np.where(i, acct, "").astype(object)
        split = np.flatnonzero(i & (forms > 1) & (acct != ""))
        v[split] = [acct[r] + ACCOUNT_SUFFIX.format(place[r]) for r in split]
        out.append(v)
    return out


@dataclass(frozen=True)
class AccountClashes:
    """Which rows of a book would file a Form 1099-R under an account number another row's form
    carries, for the same payer, recipient and tax year (:func:`account_clashes`); rows counted
    from the book's first (the results' ``row``)."""

    #: the first earlier row giving the same account number, -1 where none
    earlier: np.ndarray
    #: the smallest suffix k (1, 2 …) such that another row gives this row's number + "-k"; 0
    #: where none
    suffix: np.ndarray
    #: that other row, -1 where none
    suffix_row: np.ndarray

    def take(self, start: int, stop: int) -> AccountClashes:
        """The rows ``start`` to ``stop`` (a chunk or a partition of the book)."""
        return AccountClashes(self.earlier[start:stop], self.suffix[start:stop],
                              self.suffix_row[start:stop])


def _key_column(book: pa.Table, name: str) -> pa.Array:
    """A key column as trimmed text ("" where absent or null), without numpy objects (a
    book of millions of rows is keyed in one pass)."""
    if name not in book.column_names:
        return pa.array([""] * book.num_rows, pa.string())
    col = pc.utf8_trim_whitespace(pc.fill_null(pc.cast(book.column(name), pa.string()), ""))
    return col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col


def account_clashes(book: pa.Table, first_row: int = 0) -> AccountClashes:
    """For each row of ``book`` (the whole book, or the key columns ACCOUNT_KEY_COLUMNS of it):
    the earlier row whose ``account_number`` it repeats, and the row whose number one of its
    suffixed numbers would repeat, among the rows of the same payer TIN, recipient TIN (their
    digits) and tax year (``request_date``'s) that give an account number and may give a plan
    form (not NO_FORM_ROUTES, NOT_THE_PLANS).  Such forms would be two returns of one type for
    one recipient with one account number, which the IRS requires to be unique to each
    (General Instructions for Certain Information Returns, part L; docs/forms.md, "Account
    numbers"); the forms job refuses the later row (:data:`REPEATED_ACCOUNT`) and a row whose
    suffixes reach another's number (:data:`SUFFIXED_ACCOUNT`).  Figured from the book alone,
    so a chunk, a Dask partition or a resumed run gives the same rows."""
    n = book.num_rows
    rows = np.arange(first_row, first_row + n, dtype=np.int64)
    digits = {k: pc.replace_substring_regex(_key_column(book, k), r"[\s().-]", "")
              for k in ("payer_tin", "recipient_tin")}
    year = pc.utf8_slice_codeunits(_key_column(book, "request_date"), 0, 4)
    acct = _key_column(book, "account_number")
    route = pc.utf8_lower(_key_column(book, "request_route"))
    keyed = np.asarray(pc.and_(pc.and_(pc.not_equal(acct, ""),
                                       pc.not_equal(digits["recipient_tin"], "")),
                               pc.invert(pc.is_in(route, pa.array(
                                   [*NO_FORM_ROUTES, *NOT_THE_PLANS], pa.string()))))
                       .to_numpy(zero_copy_only=False), bool)
    sub = np.flatnonzero(keyed)
    earlier = np.full(n, -1, np.int64)
    suffix = np.zeros(n, np.int64)
    suffix_row = np.full(n, -1, np.int64)
    if not len(sub):
        return AccountClashes(earlier, suffix, suffix_row)
    take = pa.array(sub)
    group = pc.binary_join_element_wise(digits["payer_tin"].take(take),
                                        digits["recipient_tin"].take(take), year.take(take),
                                        "\x1f")
    own = acct.take(take)
    encoded = pc.binary_join_element_wise(group, own, "\x1f").dictionary_encode()
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    _, first = np.unique(codes, return_index=True)  # each number's first row, by its code
    firsts = first[codes]
    earlier[sub] = np.where(firsts != np.arange(len(sub)), rows[sub[firsts]], -1)
    for k in range(len(PARTS), 0, -1):  # the smallest k wins
        other = pc.binary_join_element_wise(
            group, pc.binary_join_element_wise(own, ACCOUNT_SUFFIX.format(k), ""), "\x1f")
        found = pc.index_in(other, value_set=encoded.dictionary)
        hit = np.asarray(pc.is_valid(found).to_numpy(zero_copy_only=False), bool)
        at = pc.fill_null(found, 0).to_numpy(zero_copy_only=False).astype(np.int64)
        suffix[sub[hit]] = k
        suffix_row[sub[hit]] = rows[sub[first[at[hit]]]]
    return AccountClashes(earlier, suffix, suffix_row)


def filing_records(book: pa.Table, results: pa.Table, fmt: str = "iris-csv") -> Records:
    """The forms issued in a chunk of the forms job (``results``, one row per ``book`` row),
    each with its payer and recipient as the book names them, in row order and, within a
    row, in the order of the parts (docs/forms.md); a form whose row lacks a required column
    is counted, not filed, and so is the Roth IRA custodian's form (NOT_THE_PLANS).  The
    forms of one row each carry their own account number (:func:`split_accounts`)."""
    issued = _issued(book, results, fmt)
    rows = issued.rows
    row = np.concatenate(rows)
    order = np.lexsort((np.concatenate([np.full(len(r), k) for k, r in enumerate(rows)]), row))
    at = row[order]
    cols: dict[str, np.ndarray] = {"Form Type": np.full(len(at), FORM_TYPE, dtype=object),
                                   "Tax Year": np.asarray([d[:4] for d in _text(
                                       book, "request_date", at)], dtype=object)}
    for k in PARTY_COLUMNS:
        cols[k] = _party(book, k, at)
    # The forms job's own numbers (form_<part>_account_number), so the filing and the results
    # agree by construction; a results table without them is numbered here the same way.
    cols["account_number"] = (
        _boxes(results, "account_number", "text", rows, order)
        if f"form_{PARTS[0]}_account_number" in results.column_names
        else split_accounts(cols["account_number"], at))
    names = [" ".join(p for p in parts if p) for parts in zip(
        cols["recipient_first_name"], cols["recipient_middle_name"], cols["recipient_last_name"],
        strict=True)]
    cols["recipient_name"] = np.where(cols["recipient_name"] != "", cols["recipient_name"],
                                      np.asarray(names, dtype=object))
    for k, header in PARTY_HEADERS.items():
        cols[header] = cols[k]
    for box, header, _, kind in BOXES:
        cols[header] = _boxes(results, box, kind, rows, order)
    cols[PAYER_STATE_NO] = np.where(cols["Box 15 State"] != "", cols["payer_state_id"], "")
    unknown = Counter(box for boxes in _boxes(results, "not_figured", "text", rows, order)
                      for box in boxes.split(";") if box)
    return Records(cols, issued.left_out, issued.not_the_plans, unknown,
                   int((_boxes(results, "below_filing_threshold", "flag", rows, order) == "1").sum()),
                   issued.long_accounts)


def _boxes(results: pa.Table, box: str, kind: str, rows: list[np.ndarray],
           order: np.ndarray) -> np.ndarray:
    """One box of every form filed, the parts' forms in the filing's order."""
    if not len(order):
        return np.zeros(0, dtype=object)
    return np.concatenate([_column(results, f"form_{part}_{box}", kind, r)
                           for part, r in zip(PARTS, rows, strict=True)])[order]


def _quoted(s: str) -> str:
    """A CSV field, quoted where it must be (RFC 4180)."""
    return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\n\r') else s


@dataclass
class FilingSummary:
    forms: int = 0
    left_out: Counter[str] = field(default_factory=Counter)
    submissions: int = 0

    #: False where nothing was written: an XML transmission needs at least one form.
    written: bool = True
    #: Forms the run issued that are not the plan's (money from the Roth IRA): not filed.
    not_the_plans: int = 0
    #: Forms filed with a box left blank for want of facts, by box (unknown, not zero).
    not_figured: Counter[str] = field(default_factory=Counter)
    #: Forms filed whose payment is under the Form 1099-R filing threshold (the forms job's
    #: ``below_filing_threshold``): required only if the year's distributions reach it.
    below_threshold: int = 0
    #: Forms not exported: one payment's forms whose account number, with its suffix, would be
    #: too long for the field (ACCOUNT_NUMBER_LENGTH).
    long_accounts: int = 0

    def __str__(self) -> str:
        text = f"{self.forms:,} Forms 1099-R exported"
        if not self.written:
            text += " (no transmission written: it would hold no form)"
        if self.left_out["forms"]:
            lacking = ", ".join(f"{k} ({n:,})" for k, n in sorted(self.left_out.items())
                                if k != "forms")
            text += f"; {self.left_out['forms']:,} not exported: their rows give no {lacking}"
        if self.not_the_plans:
            text += (f"; {self.not_the_plans:,} not the plan's to file: money from the Roth IRA, "
                     "whose custodian files its Form 1099-R")
        if self.not_figured:
            boxes = ", ".join(f"{k} ({n:,})" for k, n in sorted(self.not_figured.items()))
            text += (f"; exported with a box left blank for want of facts (unknown, not zero: "
                     f"the forms job's not_figured): {boxes}")
        if self.long_accounts:
            text += (f"; {self.long_accounts:,} not exported: account_number, with the suffix "
                     f"each of one payment's forms takes (-1, -2), is longer than "
                     f"{ACCOUNT_NUMBER_LENGTH} characters: give those rows a shorter one")
        if self.below_threshold:
            text += (f"; {self.below_threshold:,} exported for a payment under the Form 1099-R "
                     "filing threshold (the forms job's below_filing_threshold): required only "
                     "where the year's distributions to the person from the plan reach it")
        return text


class MixedTaxYears(ValueError):
    """A filing whose forms are of more than one tax year: refused (exit 2, one line)."""


def one_tax_year(seen: set[str], years: np.ndarray) -> set[str]:
    """The tax years of the forms filed so far, ``seen``, with a chunk's; more than one is
    refused.  An IRIS filing is of one tax year: the transmission's manifest carries one
    ``TaxYr`` and one ``PriorYearDataInd``, the IRS releases IRIS schemas and business rules by
    tax year (irs.gov/irisschema), and FIRE's files, IRIS's predecessor, could not mix tax
    years either; one file per year is the safe reading (docs/forms.md: IRS Publications 5717
    and 5718 themselves could not be read here)."""
    found = seen | set(years.tolist())
    if len(found) > 1:
        raise MixedTaxYears(
            f"--export: the forms to file are of tax years {', '.join(sorted(found))}, and an "
            "IRIS filing holds one tax year: file each year separately, from a book of that "
            "year's request_date only; nothing was written")
    return found


@dataclass
class _Writer:
    fmt: str
    out: Any
    body: IO[str] | None
    transmitter: Transmitter
    csv: pacsv.CSVWriter | None = None
    years: set[str] = field(default_factory=set)
    records: int = 0
    summary: FilingSummary = field(default_factory=FilingSummary)

    def write(self, book: pa.Table, results: pa.Table) -> None:
        rec = filing_records(book, results, self.fmt)
        self.years = one_tax_year(self.years, rec.columns["Tax Year"])
        self.summary.forms += len(rec)
        self.summary.left_out.update(rec.left_out)
        self.summary.not_the_plans += rec.not_the_plans
        self.summary.not_figured.update(rec.not_figured)
        self.summary.below_threshold += rec.below_threshold
        self.summary.long_accounts += rec.long_accounts
        if self.fmt == "iris-csv":
            table = pa.table({h: pa.array(rec.columns[h].tolist(), pa.string())
                              for h in CSV_HEADER})
            if self.csv is None:
                self.csv = pacsv.CSVWriter(self.out, table.schema, write_options=pacsv.WriteOptions(
                    quoting_style="needed"))
            self.csv.write_table(table)
            return
        self._submissions(rec)

    def _submissions(self, rec: Records) -> None:
        """One IRSubmission1Grp for each payer and tax year of the chunk (one submission
        holds one form type and one tax year; docs/forms.md)."""
        keys = [f"{t}|{y}" for t, y in zip(rec.columns["payer_tin"], rec.columns["Tax Year"],
                                           strict=True)]
        keys_arr = np.asarray(keys, dtype=object)
        for key in dict.fromkeys(keys):
            at = np.flatnonzero(keys_arr == key)
            self.summary.submissions += 1
            assert self.body is not None
            self.body.write(_submission_xml(rec, at, self.summary.submissions, self.records))
            self.records += len(at)


def _el(name: str, value: str) -> str:
    return f"<{name}>{escape(value)}</{name}>" if value != "" else ""


def _group(name: str, *inner: str) -> str:
    body = "".join(inner)
    return f"<{name}>{body}</{name}>" if body else ""


def _address(c: dict, who: str, i: int) -> str:
    """MailingAddressGrp/USAddress: line 1, city, state, ZIP (every one required)."""
    return _group("MailingAddressGrp", _group(
        "USAddress", _el("AddressLine1Txt", c[f"{who}_address"][i]),
        _el("CityNm", c[f"{who}_city"][i]), _el("StateAbbreviationCd", c[f"{who}_state"][i]),
        _el("ZIPCd", c[f"{who}_zip"][i])))


def _recipient(c: dict, i: int) -> str:
    """RecipientDetail: the TIN, its type, the name (a person's or, for an EIN, a business
    name line), the address."""
    tin_type = TIN_TYPES.get(c["recipient_tin_type"][i] or "SSN", "")
    if tin_type == "BUSINESS_TIN":
        name = _group("BusinessName", _el("BusinessNameLine1Txt", c["recipient_name"][i]))
    else:
        name = _group("PersonName", _el("PersonFirstNm", c["recipient_first_name"][i]),
                      _el("PersonMiddleNm", c["recipient_middle_name"][i]),
                      _el("PersonLastNm", c["recipient_last_name"][i]))
    return _group("RecipientDetail", _el("TIN", c["recipient_tin"][i]),
                  _el("TINSubmittedTypeCd", tin_type), name, _address(c, "recipient", i))


def _form_xml(c: dict, i: int, record_id: int) -> str:
    """One Form1099RDetail: the record, the recipient, then the boxes (blank amounts left
    out, check boxes 0 or 1, one F1099RDistributionCd per code), then the state."""
    parts = [_el("TaxYr", c["Tax Year"][i]), _el("RecordId", str(record_id)),
             _el("VoidInd", "0"), _el("CorrectedInd", "0"), _recipient(c, i),
             _el("RecipientAccountNum", c["account_number"][i])]
    state: dict[str, str] = {}
    for _, header, element, kind in BOXES:
        v = c[header][i]
        if kind == "state":
            state[element] = v
        elif kind == "codes":
            parts.append("".join(_el(element, code) for code in _codes(v)))
        else:
            parts.append(_el(element, v))
    if state["StateAbbreviationCd"]:
        parts.append(_group("StateLocalTaxGrp", _el("StateAbbreviationCd",
                                                    state["StateAbbreviationCd"]),
                            _group("StateTaxGrp", *(_el(e, state[e]) for e in STATE_TAX_GRP))))
    return "<Form1099RDetail>" + "".join(parts) + "</Form1099RDetail>"


def _codes(v: str) -> list[str]:
    """Box 7's codes one by one (a number first, then a letter: "1L", "B7")."""
    return list(v)


def _submission_xml(rec: Records, at: np.ndarray, number: int, records_before: int) -> str:
    c = rec.columns
    first = int(at[0])
    issuer = _group("IssuerDetail", _el("ForeignEntityInd", "0"),
                    _el("TIN", c["payer_tin"][first]), _el("TINSubmittedTypeCd", "BUSINESS_TIN"),
                    _group("BusinessName", _el("BusinessNameLine1Txt", c["payer_name"][first])),
                    _address(c, "payer", first), _el("PhoneNum", c["payer_phone"][first]))
    header = "".join((_el("SubmissionId", str(number)), _el("TaxYr", c["Tax Year"][first]),
                      issuer, _el("FormTypeCd", FORM_TYPE_CD),
                      _el("ParentFormTypeCd", PARENT_FORM_TYPE_CD), _el("CFSFElectionInd", "0"),
                      _el("TotalReportedRcpntFormCnt", str(len(at)))))
    forms = "".join(_form_xml(c, int(i), records_before + k + 1) for k, i in enumerate(at))
    return (f"<IRSubmission1Grp><IRSubmission1Header>{header}</IRSubmission1Header>"
            f"<IRSubmission1Detail>{forms}</IRSubmission1Detail></IRSubmission1Grp>\n")


def _manifest(t: Transmitter, years: set[str], summary: FilingSummary,
              today: dt.date) -> str:
    """IRTransmissionManifest: the unique transmission id (``UUID:IRIS:TCC::A``, A for the
    A2A channel), the tax year, prior-year data (a tax year before last year), an original
    transmission, test or production, the transmitter, in-house software and its Software ID,
    the counts, and the channel."""
    tax_year = min(years) if years else str(today.year - 1)
    prior = "1" if int(tax_year) < today.year - 1 else "0"
    transmitter = _group("TransmitterGrp", _el("TIN", re.sub(r"[\s-]", "", t.tin)),
                         _el("TINSubmittedTypeCd", "BUSINESS_TIN"),
                         _el("TransmitterControlCd", t.tcc), _el("ForeignEntityInd", "0"))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<IRTransmission xmlns="{NAMESPACE}"><IRTransmissionManifest>'
            + _el("UniqueTransmissionId", f"{uuid.uuid4()}:IRIS:{t.tcc}::A")
            + _el("TaxYr", tax_year) + _el("PriorYearDataInd", prior)
            + _el("TransmissionTypeCd", "O") + _el("TestCd", "T" if t.test else "P")
            + transmitter + _el("VendorCd", "I") + _el("SoftwareId", t.software_id)
            + _el("TotalIssuerFormCnt", str(summary.submissions))
            + _el("TotalRecipientFormCnt", str(summary.forms))
            + _el("PaperSubmissionInd", "0") + _el("MediaSourceCd", "M")
            + _el("SubmissionChannelCd", "A2A") + "</IRTransmissionManifest>\n")


@contextmanager
def filing_export(fmt: str, path: Path, transmitter: Transmitter | None = None,
                  today: dt.date | None = None) -> Iterator[_Writer]:
    """A writer of the filing ``path`` in format ``fmt`` (EXPORTS), fed chunk by chunk
    (``write(book, results)``); the file appears, whole, when the block completes.  An
    iris-xml filing needs its ``transmitter`` (:meth:`Transmitter.problem`)."""
    if fmt not in EXPORTS:
        raise ValueError(f"--export must be one of {', '.join(EXPORTS)}")
    t = transmitter or Transmitter()
    if fmt == "iris-xml" and (problem := t.problem()):
        raise ValueError(problem)
    try:
        yield from _export(fmt, Path(path), t, today)
    except _NoForms as stop:
        stop.writer.summary.written = False


class _NoForms(Exception):
    """An XML filing that would hold no form: no transmission is written."""

    def __init__(self, writer: _Writer):
        super().__init__("no form to transmit")
        self.writer = writer


def _export(fmt: str, path: Path, t: Transmitter, today: dt.date | None) -> Iterator[_Writer]:
    """:func:`filing_export`'s body: the file written under a temporary name, renamed whole."""
    with atomic_output(path) as tmp, ExitStack() as stack:
        if fmt == "iris-csv":
            out = stack.enter_context(pa.OSFile(str(tmp), "wb"))
            w = _Writer(fmt, out, None, t)
            yield w
            if w.csv is None:  # no forms: the header alone
                out.write(",".join(_quoted(h) for h in CSV_HEADER).encode() + b"\n")
            else:
                w.csv.close()
            return
        body_path = exclusive_temporary(path.with_suffix(".body"))  # full TINs: 0600, O_EXCL
        stack.callback(lambda: body_path.unlink(missing_ok=True))
        with open(body_path, "w", encoding="utf-8") as body:
            w = _Writer(fmt, body, body, t)
            yield w
        if not w.summary.forms:
            raise _NoForms(w)
        with open(tmp, "w", encoding="utf-8") as out, open(body_path, encoding="utf-8") as b:
            out.write(_manifest(t, w.years, w.summary, today or dt.date.today()))
            shutil.copyfileobj(b, out)
            out.write("</IRTransmission>\n")
