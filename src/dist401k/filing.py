"""Filing a forms run's Forms 1099-R electronically, in the two formats of the IRS's
Information Returns Intake System (IRIS), the only electronic channel for information returns
filed from 2027 (FIRE and the fixed-width files of Publication 1220 end with the 2026 filing
season): the portal's CSV upload and the application-to-application (A2A) XML.

What was and was not checked (docs/forms.md): neither the IRS's CSV template for Form 1099-R
nor the IRIS XML schemas (Publication 5718; distributed to holders of an IRIS Transmitter
Control Code) could be had here.  The CSV's columns are named after the form's own boxes and
the payer's and recipient's fields; the XML follows the IRIS envelope as public descriptions
of Publication 5718 give it (``IRTransmission``, ``IRTransmissionManifest``,
``IRSubmission1Grp``, ``IRSubmission1Header``, ``IRSubmission1Detail``, namespace
``urn:us:gov:treasury:irs:ir``) with the Form 1099-R element names of the IRS's e-file
(MeF) ``IRS1099R`` record as publicly reproduced.  Neither is validated against an IRS schema
or template: both are checked for form (well-formed XML, one CSV row per form) and for content
(every figure equal to the forms job's boxes).

The export streams: each chunk's forms are written as they come; the XML's body goes to a
temporary file and is framed, once the counts are known, under a temporary name renamed when
complete.  Full TINs go only to the filing (the IRS's copy); they are never logged.
"""

from __future__ import annotations

import shutil
import uuid
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

from dist401k.form_1099r_boxes import PARTS
from dist401k.io.outputs import atomic_output, temporary_name

EXPORTS = ("iris-csv", "iris-xml")
#: The book's optional columns that name the payer and the recipient (docs/forms.md).
PARTY_COLUMNS = ("payer_tin", "payer_name", "payer_address", "payer_city", "payer_state",
                 "payer_zip", "recipient_tin", "recipient_name", "recipient_address",
                 "recipient_city", "recipient_state", "recipient_zip", "account_number")
#: The form's boxes in the export: (the forms job's box, CSV column, XML element, kind).
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
    ("box_10", "Box 10 Amount Allocable to IRR Within 5 Years", "AllocableToIRRAmt", "amount"),
    ("box_11", "Box 11 First Year of Designated Roth Contributions",
     "FirstYearDesigRothContriYr", "year"),
    ("box_15", "Box 15 State", "StateAbbreviationCd", "text"),
    ("box_16", "Box 16 State Distribution", "StateDistributionAmt", "amount"),
)
#: The CSV's columns: the form, the payer, the recipient, then the boxes.
PARTY_HEADERS = {"payer_tin": "Payer TIN", "payer_name": "Payer Name",
                 "payer_address": "Payer Address", "payer_city": "Payer City",
                 "payer_state": "Payer State", "payer_zip": "Payer ZIP Code",
                 "recipient_tin": "Recipient TIN", "recipient_name": "Recipient Name",
                 "recipient_address": "Recipient Address", "recipient_city": "Recipient City",
                 "recipient_state": "Recipient State", "recipient_zip": "Recipient ZIP Code",
                 "account_number": "Account Number"}
CSV_HEADER = ("Form Type", "Tax Year", *PARTY_HEADERS.values(), *(b[1] for b in BOXES))
FORM_TYPE = "1099-R"
NAMESPACE = "urn:us:gov:treasury:irs:ir"


def _text(table: pa.Table, name: str, at: np.ndarray) -> np.ndarray:
    """A column of the book at rows ``at``, as text ("" where absent or null)."""
    if name not in table.column_names:
        return np.full(len(at), "", dtype=object)
    col = pc.fill_null(pc.cast(table.column(name).take(pa.array(at)), pa.string()), "")
    return pc.utf8_trim_whitespace(col).to_numpy(zero_copy_only=False).astype(object)


def _digits(values: np.ndarray) -> np.ndarray:
    """A TIN as nine digits (the dashes and spaces the book may hold removed)."""
    out = pc.replace_substring_regex(pa.array(values.tolist(), pa.string()), r"[\s-]", "")
    return out.to_numpy(zero_copy_only=False).astype(object)


def _amounts(v: np.ndarray) -> np.ndarray:
    """Dollars and cents as text ("1234.50"); blank where the box is blank (NaN)."""
    v = np.asarray(v, dtype=float)
    out = np.char.mod("%.2f", np.where(np.isnan(v), 0.0, v)).astype(object)
    return np.where(np.isnan(v), "", out)


def _column(results: pa.Table, name: str, kind: str, at: np.ndarray) -> np.ndarray:
    """A box of the forms job's results at rows ``at``, as the filing writes it."""
    col = results.column(name).take(pa.array(at))
    if kind == "amount":
        return _amounts(pc.fill_null(pc.cast(col, pa.float64()), float("nan")).to_numpy())
    if kind == "flag":
        return np.where(pc.fill_null(col, False).to_numpy(zero_copy_only=False), "1", "0")
    if kind == "year":
        years = pc.fill_null(col, 0).to_numpy(zero_copy_only=False)
        return np.where(years > 0, years.astype(str), "").astype(object)
    return pc.fill_null(col, "").to_numpy(zero_copy_only=False).astype(object)


@dataclass
class Records:
    """The forms of one chunk to file, one entry per form: text columns by name."""

    columns: dict[str, np.ndarray]
    left_out: int  # forms not filed: the row gives no recipient or payer TIN

    def __len__(self) -> int:
        return len(self.columns["Form Type"])


def _issued(book: pa.Table, results: pa.Table) -> tuple[list[np.ndarray], int]:
    """For each part, the rows whose form is issued and filed (both TINs given); and the
    number of forms left out for want of a TIN."""
    ok = pc.fill_null(pc.equal(results.column("status"), "ok"), False).to_numpy(
        zero_copy_only=False)
    every = np.arange(book.num_rows)
    tins = [_text(book, k, every) != "" for k in ("payer_tin", "recipient_tin")]
    has_tins = tins[0] & tins[1]
    rows, left_out = [], 0
    for part in PARTS:
        issued = ok & pc.fill_null(results.column(f"form_{part}_issued"), False).to_numpy(
            zero_copy_only=False)
        left_out += int((issued & ~has_tins).sum())
        rows.append(np.flatnonzero(issued & has_tins))
    return rows, left_out


def filing_records(book: pa.Table, results: pa.Table) -> Records:
    """The forms issued in a chunk of the forms job (``results``, one row per ``book`` row),
    each with its payer and recipient as the book names them, in row order and, within a
    row, in the order of the parts (docs/forms.md); a form whose row gives no TIN is counted,
    not filed."""
    rows, left_out = _issued(book, results)
    row = np.concatenate(rows)
    order = np.lexsort((np.concatenate([np.full(len(r), k) for k, r in enumerate(rows)]), row))
    at = row[order]
    cols: dict[str, np.ndarray] = {"Form Type": np.full(len(at), FORM_TYPE, dtype=object),
                                   "Tax Year": np.asarray([d[:4] for d in _text(
                                       book, "request_date", at)], dtype=object)}
    for k, header in PARTY_HEADERS.items():
        v = _text(book, k, at)
        cols[header] = _digits(v) if k.endswith("_tin") else v
    for box, header, _, kind in BOXES:
        cols[header] = np.concatenate(
            [_column(results, f"form_{part}_{box}", kind, r) for part, r in zip(PARTS, rows, strict=True)]
        )[order] if len(at) else np.zeros(0, dtype=object)
    return Records(cols, left_out)


def _quoted(s: str) -> str:
    """A CSV field, quoted where it must be (RFC 4180)."""
    return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\n\r') else s


@dataclass
class FilingSummary:
    forms: int = 0
    left_out: int = 0
    submissions: int = 0

    def __str__(self) -> str:
        text = f"{self.forms:,} Forms 1099-R exported"
        if self.left_out:
            text += (f"; {self.left_out:,} not exported: their rows give no recipient_tin or "
                     "payer_tin")
        return text


@dataclass
class _Writer:
    fmt: str
    out: Any
    body: IO[str] | None
    tcc: str
    csv: pacsv.CSVWriter | None = None
    years: set[str] = field(default_factory=set)
    summary: FilingSummary = field(default_factory=FilingSummary)

    def write(self, book: pa.Table, results: pa.Table) -> None:
        rec = filing_records(book, results)
        self.summary.forms += len(rec)
        self.summary.left_out += rec.left_out
        if self.fmt == "iris-csv":
            table = pa.table({h: pa.array(rec.columns[h].tolist(), pa.string())
                              for h in CSV_HEADER})
            if self.csv is None:
                self.csv = pacsv.CSVWriter(self.out, table.schema, write_options=pacsv.WriteOptions(
                    quoting_style="needed"))
            self.csv.write_table(table)
            return
        self.years.update(rec.columns["Tax Year"].tolist())
        assert self.body is not None
        self._submissions(rec)

    def _submissions(self, rec: Records) -> None:
        """One IRSubmission1Grp for each payer of the chunk (docs/forms.md)."""
        payer = rec.columns["Payer TIN"]
        for tin in dict.fromkeys(payer.tolist()):
            at = np.flatnonzero(payer == tin)
            self.summary.submissions += 1
            assert self.body is not None
            self.body.write(_submission_xml(rec, at, self.summary.submissions))


def _el(name: str, value: str) -> str:
    return f"<{name}>{escape(value)}</{name}>" if value != "" else ""


def _address(c: dict, who: str, i: int) -> str:
    inner = "".join((_el("AddressLine1Txt", c[f"{who} Address"][i]),
                     _el("CityNm", c[f"{who} City"][i]),
                     _el("StateAbbreviationCd", c[f"{who} State"][i]),
                     _el("ZIPCd", c[f"{who} ZIP Code"][i])))
    return f"<MailingAddressGrp><USAddress>{inner}</USAddress></MailingAddressGrp>" \
        if inner else ""


def _form_xml(c: dict, i: int) -> str:
    """One Form1099RDetail: the recipient, then the boxes (blank boxes left out)."""
    parts = [_el("TaxYr", c["Tax Year"][i]), "<RecipientDetail>",
             _el("TIN", c["Recipient TIN"][i]), _el("RecipientNm", c["Recipient Name"][i]),
             _address(c, "Recipient", i), "</RecipientDetail>",
             _el("RecipientAccountNum", c["Account Number"][i])]
    state = ""
    for _, header, element, kind in BOXES:
        v = c[header][i]
        if header.startswith(("Box 15", "Box 16")):
            state += _el(element, v)
        elif kind == "codes":
            parts.append("".join(_el(element, code) for code in _codes(v)))
        elif kind == "flag":
            parts.append(_el(element, v) if v == "1" else "")
        else:
            parts.append(_el(element, v))
    if state:
        parts.append(f"<StateLocalTaxGrp><StateTaxGrp>{state}</StateTaxGrp></StateLocalTaxGrp>")
    return "<Form1099RDetail>" + "".join(parts) + "</Form1099RDetail>"


def _codes(v: str) -> list[str]:
    """Box 7's codes one by one (a number first, then a letter: "1L", "B7")."""
    return list(v)


def _submission_xml(rec: Records, at: np.ndarray, number: int) -> str:
    c = rec.columns
    first = int(at[0])
    issuer = "".join((_el("TIN", c["Payer TIN"][first]),
                      f"<BusinessName>{_el('BusinessNameLine1Txt', c['Payer Name'][first])}"
                      "</BusinessName>" if c["Payer Name"][first] else "",
                      _address(c, "Payer", first)))
    header = "".join((_el("SubmissionId", str(number)), _el("TaxYr", c["Tax Year"][first]),
                      f"<IssuerDetail>{issuer}</IssuerDetail>", _el("FormTypeCd", "1099R"),
                      _el("ReportedRcpntFormCnt", str(len(at)))))
    forms = "".join(_form_xml(c, int(i)) for i in at)
    return (f"<IRSubmission1Grp><IRSubmission1Header>{header}</IRSubmission1Header>"
            f"<IRSubmission1Detail>{forms}</IRSubmission1Detail></IRSubmission1Grp>\n")


def _manifest(tcc: str, years: set[str], summary: FilingSummary) -> str:
    tax_year = min(years) if years else ""
    uid = f"{uuid.uuid4()}:IRIS:{tcc}::A"
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<IRTransmission xmlns="{NAMESPACE}"><IRTransmissionManifest>'
            + _el("UniqueTransmissionId", uid) + _el("TaxYr", tax_year)
            + _el("TransmissionTypeCd", "O") + _el("TransmitterControlCd", tcc)
            + _el("TotalIssuerFormCnt", str(summary.submissions))
            + _el("TotalRecipientFormCnt", str(summary.forms))
            + "</IRTransmissionManifest>\n")


@contextmanager
def filing_export(fmt: str, path: Path, tcc: str = "") -> Iterator[_Writer]:
    """A writer of the filing ``path`` in format ``fmt`` (EXPORTS), fed chunk by chunk
    (``write(book, results)``); the file appears, whole, when the block completes."""
    if fmt not in EXPORTS:
        raise ValueError(f"--export must be one of {', '.join(EXPORTS)}")
    with atomic_output(Path(path)) as tmp, ExitStack() as stack:
        if fmt == "iris-csv":
            out = stack.enter_context(pa.OSFile(str(tmp), "wb"))
            w = _Writer(fmt, out, None, tcc)
            yield w
            if w.csv is None:  # no forms: the header alone
                out.write(",".join(_quoted(h) for h in CSV_HEADER).encode() + b"\n")
            else:
                w.csv.close()
            return
        body_path = temporary_name(Path(path).with_suffix(".body"))
        stack.callback(lambda: body_path.unlink(missing_ok=True))
        with open(body_path, "w", encoding="utf-8") as body:
            w = _Writer(fmt, body, body, tcc)
            yield w
        with open(tmp, "w", encoding="utf-8") as out, open(body_path, encoding="utf-8") as b:
            out.write(_manifest(tcc, w.years, w.summary))
            shutil.copyfileobj(b, out)
            out.write("</IRTransmission>\n")
