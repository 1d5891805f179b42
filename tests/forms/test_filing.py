"""The filing export of the forms job (`dist401k batch --job forms --export iris-csv|iris-xml`):
one record per Form 1099-R issued, every figure the forms job's box, the payer and the
recipient as the book names them, streamed chunk by chunk into a file that appears whole.

The IRS's own IRIS schema and CSV template could not be had (docs/forms.md): the XML is
checked against the structure this project derived from public sources
(tests/forms/data/iris_1099r_structure.yaml, read by tests/forms/iris_structure.py), its
counts and figures against the forms job; the CSV for its rows and figures."""

from __future__ import annotations

import csv
import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from iris_structure import STRUCTURE, problems
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.filing import CSV_HEADER, NAMESPACE, Transmitter, filing_export
from dist401k.form_1099r_boxes import PARTS
from dist401k.law.loader import default_law
from dist401k.runner import run_local

runner = CliRunner()
NS = {"ir": NAMESPACE}
TRANSMITTER = Transmitter(tcc="TEST1", tin="11-2223334", software_id="SW12345678")
TRANSMITTER_ARGS = ["--tcc", "TEST1", "--transmitter-tin", "112223334", "--software-id",
                    "SW12345678"]


def _book(path: Path, **changes) -> Path:
    """Six participants: a loan gone bad (1L), a loan offset (1M), a Roth and pre-tax payment
    at 60 (two forms), a direct rollover (G), a row without TIN, and a row with a malformed
    TIN (an error row); two payers, every address given."""
    n = 6
    table = pa.table({
        "request_date": [dt.date(2026, 11, 20)] * n,
        "birth_date": [dt.date(1980, 5, 10), dt.date(1975, 3, 15), dt.date(1966, 5, 10),
                       dt.date(1970, 1, 1), dt.date(1970, 1, 1), dt.date(1970, 1, 1)],
        "plan_type": ["401k"] * n,
        "employment_status": ["active", "separated", "separated", "separated", "separated",
                              "separated"],
        "separation_date": [None, dt.date(2026, 6, 30), dt.date(2026, 1, 31),
                            dt.date(2026, 1, 31), dt.date(2026, 1, 31), dt.date(2026, 1, 31)],
        "wages": [60000.0, 50000.0, 0.0, 0.0, 0.0, 0.0],
        "balance_elective_deferral": [40000.0, 60000.0, 100000.0, 50000.0, 20000.0, 20000.0],
        "balance_roth_deferral": [0.0, 0.0, 30000.0, 0.0, 0.0, 0.0],
        "roth_contributions_roth_deferral": [0.0, 0.0, 20000.0, 0.0, 0.0, 0.0],
        "roth_first_year_roth_deferral": [None, None, 2012.0, None, None, None],
        "loan_outstanding": [10000.0, 15000.0, 0.0, 0.0, 0.0, 0.0],
        "loan_interest_rate": [0.08, 0.085, 0.085, 0.085, 0.085, 0.085],
        "loan_missed_payment_date": [dt.date(2026, 5, 31), None, None, None, None, None],
        "request_route": ["loan_deemed", "loan_offset", "separation", "separation",
                          "separation", "separation"],
        "request_destination": ["cash", "cash", "cash", "traditional_ira", "cash", "cash"],
        "request_amount": [None, None, 40000.0, None, None, None],
        "state": ["", "", "NY", "", "", ""],
        "recipient_tin": ["400-00-0001", "400000002", "900 70 0003", "400000004", None,
                          "12345"],
        "payer_tin": ["12-3456780"] * 3 + ["98-7654320"] * 3,
        "recipient_name": ["Ann O'Neil", "Bob & Co", "Cy <Smith>", "Di", "Ed", "Flo"],
        "recipient_first_name": ["Ann", "Bob", "Cy", "Di", "Ed", "Flo"],
        "recipient_last_name": ["O'Neil", "Co", "<Smith>", "Doe", "Eng", "Fox"],
        "recipient_tin_type": ["SSN", None, "itin", "SSN", "SSN", "SSN"],
        "payer_name": ["Acme 401(k) Plan"] * 3 + ["Beta, Inc. Plan"] * 3,
        "payer_address": ["1 Main St"] * 3 + ["2 Elm St"] * 3,
        "payer_city": ["Albany"] * 3 + ["Troy"] * 3,
        "payer_state": ["NY"] * n,
        "payer_zip": ["12207"] * 3 + ["12180-1234"] * 3,
        "payer_phone": ["(518) 555-0100"] * 3 + [None] * 3,
        "recipient_address": [f"{k} Oak Ave" for k in range(1, n + 1)],
        "recipient_city": ["Albany"] * n,
        "recipient_state": ["NY"] * n,
        "recipient_zip": ["12208"] * n,
    })
    for name, values in changes.items():
        table = table.set_column(table.column_names.index(name), name, pa.array(values))
    pq.write_table(table, path)
    return path


def _export(tmp_path: Path, fmt: str, batch_rows: int = 1000, **changes
            ) -> tuple[Path, Path, object]:
    book = _book(tmp_path / "book.parquet", **changes)
    out = tmp_path / f"forms-{fmt}-{batch_rows}.parquet"
    filing = tmp_path / f"filing-{batch_rows}.{fmt.split('-')[1]}"
    with filing_export(fmt, filing, TRANSMITTER, today=dt.date(2027, 1, 15)) as w:
        run_local(book, "forms", out, law=default_law(), batch_rows=batch_rows, sink=w.write)
    return out, filing, w.summary


def _forms_of(results: Path) -> list[dict]:
    """The forms the forms job issued, in row order and part order."""
    rows = pq.read_table(results).to_pylist()
    return [{"row": i, "part": p, **{k[len(f"form_{p}_"):]: v for k, v in r.items()
                                    if k.startswith(f"form_{p}_")}}
            for i, r in enumerate(rows) for p in PARTS
            if r["status"] == "ok" and r[f"form_{p}_issued"]]


def test_the_csv_has_one_row_per_form_with_the_forms_jobs_boxes(tmp_path):
    results, filing, summary = _export(tmp_path, "iris-csv")
    with open(filing, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0].keys()) == CSV_HEADER
    forms = [f for f in _forms_of(results) if f["row"] != 4]  # row 4 gives no TIN
    assert summary.left_out == {"forms": 1, "recipient_tin": 1}
    assert summary.forms == len(rows) == len(forms) == 5
    for row, form in zip(rows, forms, strict=True):
        assert float(row["Box 1 Gross Distribution"]) == pytest.approx(form["box_1"], abs=0.001)
        assert row["Box 7 Distribution Code(s)"] == form["box_7"]
        assert float(row["Box 4 Federal Income Tax Withheld"]) == pytest.approx(form["box_4"])
    codes = [r["Box 7 Distribution Code(s)"] for r in rows]
    assert codes == ["1L", "1M", "7", "B7", "G"]
    # TINs as nine digits, the payer's name and the recipient's as the book gives them.
    assert [r["Recipient TIN"] for r in rows] == ["400000001", "400000002", "900700003",
                                                  "900700003", "400000004"]
    assert rows[1]["Recipient Name"] == "Bob & Co" and rows[4]["Payer Name"] == "Beta, Inc. Plan"
    assert rows[2]["Box 15 State"] == "NY" and rows[2]["Box 16 State Distribution"]
    assert rows[3]["Box 11 First Year of Designated Roth Contributions"] == "2012"
    # Blank boxes are empty, not zero (box 3 not figured, box 6 none).
    assert rows[0]["Box 3 Capital Gain"] == "" and rows[0]["Box 6 Net Unrealized Appreciation "
                                                                "in Employer's Securities"] == ""
    assert rows[4]["Payer ZIP Code"] == "121801234"


def test_the_xml_is_well_formed_and_counts_and_figures_match(tmp_path):
    results, filing, summary = _export(tmp_path, "iris-xml")
    root = ET.parse(filing).getroot()
    assert root.tag == f"{{{NAMESPACE}}}IRTransmission"
    manifest = root.find("ir:IRTransmissionManifest", NS)
    uid = manifest.findtext("ir:UniqueTransmissionId", namespaces=NS)
    assert uid.endswith(":IRIS:TEST1::A")
    assert manifest.findtext("ir:TaxYr", namespaces=NS) == "2026"
    # Tax year 2026 filed in January 2027 is not prior-year data; an ATS test by default.
    assert manifest.findtext("ir:PriorYearDataInd", namespaces=NS) == "0"
    assert manifest.findtext("ir:TestCd", namespaces=NS) == "T"
    assert manifest.findtext("ir:TransmitterGrp/ir:TIN", namespaces=NS) == "112223334"
    assert manifest.findtext("ir:SoftwareId", namespaces=NS) == "SW12345678"
    groups = root.findall("ir:IRSubmission1Grp", NS)
    # One submission for each payer of the chunk.
    assert int(manifest.findtext("ir:TotalIssuerFormCnt", namespaces=NS)) == len(groups) == 2
    details = root.findall(".//ir:Form1099RDetail", NS)
    assert int(manifest.findtext("ir:TotalRecipientFormCnt", namespaces=NS)) == len(details) \
        == summary.forms == 5
    for g in groups:
        head = g.find("ir:IRSubmission1Header", NS)
        assert int(head.findtext("ir:TotalReportedRcpntFormCnt", namespaces=NS)) == len(
            g.findall(".//ir:Form1099RDetail", NS))
        assert head.findtext("ir:FormTypeCd", namespaces=NS) == "1099R"
    # Record ids run through the transmission: 1 to 5.
    assert [d.findtext("ir:RecordId", namespaces=NS) for d in details] == list("12345")
    forms = [f for f in _forms_of(results) if f["row"] != 4]
    for d, form in zip(details, forms, strict=True):
        assert float(d.findtext("ir:GrossDistributionAmt", namespaces=NS)) == pytest.approx(
            form["box_1"], abs=0.001)
        codes = [c.text for c in d.findall("ir:F1099RDistributionCd", NS)]
        assert "".join(codes) == form["box_7"]
        assert d.findtext("ir:TotalDistributionInd", namespaces=NS) == (
            "1" if form["box_2b_total"] else "0")
    person = "ir:RecipientDetail/ir:PersonName/ir:"
    assert [d.findtext(person + "PersonLastNm", namespaces=NS) for d in details][2] \
        == "<Smith>"  # escaped in the file, read back whole
    assert {d.findtext("ir:RecipientDetail/ir:TINSubmittedTypeCd", namespaces=NS)
            for d in details} == {"INDIVIDUAL_TIN"}
    # The Roth form of row 2: its first Roth year under MeF's name; the state's group.
    assert details[3].findtext("ir:DesignatedROTHAcctFirstYr", namespaces=NS) == "2012"
    assert details[2].findtext("ir:StateLocalTaxGrp/ir:StateAbbreviationCd",
                               namespaces=NS) == "NY"


def test_the_xml_follows_the_structure_derived_from_public_sources(tmp_path):
    """Every element in its allowed order, the required ones present, amounts as dollars and
    cents, check boxes 0 or 1, TIN types and distribution codes from their enumerations."""
    _, filing, _ = _export(tmp_path, "iris-xml")
    assert problems(ET.parse(filing).getroot()) == []
    _, filing, summary = _export(tmp_path, "iris-xml", batch_rows=2)
    assert problems(ET.parse(filing).getroot()) == [] and summary.forms == 5


@pytest.mark.parametrize("edit, found", [
    (lambda d: d.insert(0, d.find("ir:RecordId", NS)), "TaxYr is not allowed here"),
    (lambda d: d.remove(d.find("ir:RecipientDetail", NS)), "RecipientDetail missing"),
    (lambda d: setattr(d.find("ir:GrossDistributionAmt", NS), "text", "1,000"), "not a amount"),
    (lambda d: setattr(d.find("ir:VoidInd", NS), "text", "X"), "not a indicator"),
    (lambda d: setattr(d.find("ir:F1099RDistributionCd", NS), "text", "Z"),
     "not a distribution_code"),
    (lambda d: setattr(d.find("ir:RecipientDetail/ir:TINSubmittedTypeCd", NS), "text", "SSN"),
     "not a tin_type"),
    (lambda d: d.append(ET.Element(f"{{{NAMESPACE}}}FirstYearDesigRothContriYr")),
     "FirstYearDesigRothContriYr is not allowed here"),
])
def test_the_structure_check_finds_what_departs_from_it(tmp_path, edit, found):
    """The check itself: an element out of order, a required one missing, a malformed amount,
    check box, code or TIN type, an element the structure does not know."""
    _, filing, _ = _export(tmp_path, "iris-xml")
    root = ET.parse(filing).getroot()
    edit(root.find(".//ir:Form1099RDetail", NS))
    assert any(found in p for p in problems(root)), problems(root)


def test_the_structure_file_names_its_sources():
    """Every element of the structure says which public source shows it; those no IRIS source
    shows say so."""
    def nodes(node):
        yield node
        for child in node.get("children", []):
            yield from nodes(child)

    for node in nodes(STRUCTURE["root"]["children"][0]):
        assert set(node["seen"]) <= set(STRUCTURE["sources"])
    boxes = [n for n in nodes(STRUCTURE["root"]) if n.get("seen") == ["mef"]]
    assert boxes and all(n["iris"] == "unconfirmed" for n in boxes)


def test_chunks_give_the_same_filing_as_one_run(tmp_path):
    _, whole, _ = _export(tmp_path, "iris-csv", batch_rows=1000)
    _, chunked, _ = _export(tmp_path, "iris-csv", batch_rows=2)
    assert whole.read_text() == chunked.read_text()


def test_chunks_give_the_same_xml_forms_as_one_run(tmp_path):
    """In chunks of two rows the payers' forms come in more submissions (one per payer and
    chunk), with the same forms in the same order and record ids."""
    def forms(batch_rows):
        _, filing, _ = _export(tmp_path, "iris-xml", batch_rows=batch_rows)
        root = ET.parse(filing).getroot()
        return (len(root.findall("ir:IRSubmission1Grp", NS)),
                [ET.tostring(d) for d in root.iter(f"{{{NAMESPACE}}}Form1099RDetail")])

    (whole_groups, whole), (chunked_groups, chunked) = forms(1000), forms(2)
    assert whole == chunked and len(whole) == 5
    assert (whole_groups, chunked_groups) == (2, 3)


def test_the_cli_files_and_never_shows_a_tin(tmp_path):
    book = _book(tmp_path / "book.parquet")
    r = runner.invoke(app, ["batch", str(book), "--job", "forms", "-o",
                            str(tmp_path / "out.parquet"), "--export", "iris-xml",
                            "--export-output", str(tmp_path / "filing.xml"), *TRANSMITTER_ARGS,
                            "--production"])
    assert r.exit_code == 0, r.output
    assert "5 Forms 1099-R exported; 1 not exported: their rows give no recipient_tin (1)" \
        in r.output
    assert "<TestCd>P</TestCd>" in (tmp_path / "filing.xml").read_text()
    for tin in ("400000001", "400-00-0001", "12345"):
        assert tin not in r.output
    # The results carry the truncated TIN only; the filing the full one.
    results = pq.read_table(tmp_path / "out.parquet")
    assert not any("400000001" in str(v) for c in results.columns for v in c.to_pylist())
    assert "<TIN>400000001</TIN>" in (tmp_path / "filing.xml").read_text()
    # The malformed TIN is an error row naming the column, not the number.
    bad = results.to_pylist()[5]
    assert bad["status"] == "error" and bad["error_column"] == "recipient_tin"


@pytest.mark.parametrize("args, words", [
    (["--job", "outcome", "--export", "iris-csv", "--export-output", "f.csv"], "--job forms"),
    (["--job", "forms", "--export", "fire"], "--export must be one of"),
    (["--job", "forms", "--export", "iris-csv"], "--export-output"),
    (["--job", "forms", "--export-output", "f.csv"], "needs --export"),
    (["--job", "forms", "--export", "iris-xml", "--export-output", "f.xml", "--tcc", "TEST1"],
     "--export iris-xml needs --transmitter-tin, --software-id"),
    (["--job", "forms", "--export", "iris-xml", "--export-output", "f.xml", "--tcc", "AB",
      "--transmitter-tin", "1", "--software-id", "S"], "--tcc: an IRIS Transmitter Control"),
    (["--job", "forms", "--export", "iris-xml", "--export-output", "f.xml", "--tcc", "TEST1",
      "--transmitter-tin", "1", "--software-id", "S"], "--transmitter-tin: the transmitter's"),
])
def test_a_bad_export_request_exits_2_in_one_line(tmp_path, args, words, monkeypatch):
    monkeypatch.chdir(tmp_path)
    book = _book(tmp_path / "book.parquet")
    r = runner.invoke(app, ["batch", str(book), "-o", "out.parquet", *args])
    assert r.exit_code == 2 and words in r.output
    assert "Traceback" not in r.output
    assert not list(tmp_path.glob("f.*"))


def test_a_failed_run_leaves_no_filing(tmp_path):
    book = _book(tmp_path / "book.parquet")
    filing = tmp_path / "filing.xml"

    def failing(table, results):
        w.write(table, results)
        raise RuntimeError("the disk is full")

    with pytest.raises(Exception, match="disk is full"):
        with filing_export("iris-xml", filing, TRANSMITTER) as w:
            run_local(book, "forms", tmp_path / "out.parquet", law=default_law(), sink=failing)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.parquet"]


def test_no_form_to_file_writes_no_transmission(tmp_path):
    """Every row lacks the payer's ZIP code: no form can be filed, so no XML transmission is
    written (one would carry zero counts, which the IRS cannot take) and the summary says so;
    the CSV is the header alone."""
    _, filing, summary = _export(tmp_path, "iris-xml", payer_zip=[None] * 6)
    assert summary.forms == 0 and not summary.written and not filing.exists()
    assert str(summary).startswith("0 Forms 1099-R exported (no transmission written")
    assert sorted(p.name for p in tmp_path.iterdir() if "filing" in p.name) == []
    _, filing, summary = _export(tmp_path, "iris-csv", payer_zip=[None] * 6)
    assert summary.written and filing.read_text().count("\n") == 1


@pytest.mark.parametrize("fmt", ["iris-csv", "iris-xml"])
def test_a_form_without_a_required_column_is_counted_not_filed(tmp_path, fmt):
    """Row 0 gives no payer ZIP code, row 3 no recipient address: their forms (one each) are
    left out and counted by the column; the others are filed."""
    _, filing, summary = _export(tmp_path, fmt, payer_zip=[None] + ["12207"] * 2 + ["12180"] * 3,
                                 recipient_address=["1 Oak"] * 3 + [""] + ["5 Oak", "6 Oak"])
    assert summary.forms == 3
    assert summary.left_out == {"forms": 3, "payer_zip": 1, "recipient_address": 1,
                                "recipient_tin": 1}
    assert str(summary).endswith("3 not exported: their rows give no payer_zip (1), "
                                 "recipient_address (1), recipient_tin (1)")
    text = filing.read_text()
    assert "400000001" not in text and "400000004" not in text and "400000002" in text


def test_the_xml_needs_a_persons_first_and_last_name(tmp_path):
    """iris-xml files a person's name in its parts: a row with its full name only is left
    out there, while the CSV files it."""
    kw = {"recipient_first_name": [None] + ["Bob", "Cy", "Di", "Ed", "Flo"]}
    _, _, xml_summary = _export(tmp_path, "iris-xml", **kw)
    assert xml_summary.left_out["recipient_first_name"] == 1 and xml_summary.forms == 4
    _, _, csv_summary = _export(tmp_path, "iris-csv", **kw)
    assert csv_summary.forms == 5


def test_an_ein_recipient_is_filed_under_a_business_name(tmp_path):
    """An estate or trust (recipient_tin_type EIN) is a BUSINESS_TIN with its name on
    BusinessNameLine1Txt; an unknown TIN type is an error row naming the column."""
    results, filing, _ = _export(tmp_path, "iris-xml",
                                 recipient_tin_type=["EIN", "SSN", "SSN", "bogus", "SSN", "SSN"])
    detail = ET.parse(filing).getroot().find(".//ir:Form1099RDetail", NS)
    assert detail.findtext("ir:RecipientDetail/ir:TINSubmittedTypeCd", namespaces=NS) \
        == "BUSINESS_TIN"
    assert detail.findtext("ir:RecipientDetail/ir:BusinessName/ir:BusinessNameLine1Txt",
                           namespaces=NS) == "Ann O'Neil"
    bad = pq.read_table(results).to_pylist()[3]
    assert bad["status"] == "error" and bad["error_column"] == "recipient_tin_type"
    assert problems(ET.parse(filing).getroot()) == []


def test_a_malformed_state_zip_or_phone_is_an_error_row(tmp_path):
    """A party's state that is not a two-letter code, a ZIP code of neither five nor nine
    digits, a phone number of other than ten digits: error rows naming the column; a state in
    small letters, a ZIP+4 with its dash and a phone with brackets are fine."""
    results, filing, _ = _export(
        tmp_path, "iris-xml", payer_state=["New York", "ny"] + ["NY"] * 4,
        recipient_zip=["12208", "1220", "12208-1234", "12208", "12208", "12208"],
        payer_phone=["(518) 555-0100", "518-555-0100", "555-0100", None, None, None])
    rows = pq.read_table(results).to_pylist()
    assert [(r["status"], r["error_column"]) for r in rows[:4]] == [
        ("error", "payer_state"), ("error", "recipient_zip"), ("error", "payer_phone"),
        ("ok", None)]
    assert "is not a two-letter state code" in rows[0]["error_message"]
    root = ET.parse(filing).getroot()
    assert problems(root) == []
    assert root.findtext(".//ir:Form1099RDetail/ir:RecipientDetail/ir:MailingAddressGrp/"
                         "ir:USAddress/ir:StateAbbreviationCd", namespaces=NS) == "NY"


def test_a_synthetic_book_with_payer_files_a_test_transmission(tmp_path, monkeypatch):
    """docs/batch.md's filing example on a `dist401k synth` book filed nothing (no payer or
    recipient columns: every form "not exported"); `synth --with-payer` adds fake ones, so the
    example writes an ATS test file that follows the structure, and leaves the book's other
    columns as they were."""
    from dist401k.synth import synth_table

    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, ["synth", "300", "-o", "book.parquet", "--seed", "7", "--with-payer"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["batch", "book.parquet", "--job", "forms", "-o", "forms.parquet",
                            "--export", "iris-xml", "--export-output", "filing.xml",
                            "--tcc", "ABCDE", "--transmitter-tin", "00-0000401",
                            "--software-id", "12345678"])
    assert r.exit_code == 0, r.output
    summary = next(line for line in r.output.splitlines() if "exported" in line)
    assert "not exported" not in summary and not summary.startswith("0 "), summary
    root = ET.parse(tmp_path / "filing.xml").getroot()
    assert problems(root) == []
    assert root.findtext("ir:IRTransmissionManifest/ir:TestCd", namespaces=NS) == "T"
    assert "666010001" not in r.output and "666-01-0001" not in r.output  # no TIN shown
    plain, with_payer = synth_table(50, seed=7), synth_table(50, seed=7, with_payer=True)
    assert with_payer.select(plain.column_names).equals(plain)
    assert all(t.startswith("666-") for t in with_payer.column("recipient_tin").to_pylist())


def _two_payments(tmp_path: Path, second: dict) -> Path:
    """Two participants of one plan paid $10,000 in cash on November 20, 2026, both born in
    1980 and separated in January 2026, every payer and recipient column given; ``second``
    changes the second row."""
    row = {"request_date": dt.date(2026, 11, 20), "birth_date": dt.date(1980, 5, 10),
           "plan_type": "401k", "employment_status": "separated",
           "separation_date": dt.date(2026, 1, 31), "wages": 0.0,
           "balance_elective_deferral": 50000.0, "request_route": "separation",
           "request_destination": "cash", "request_amount": 10000.0, "state": "",
           "ira_roth": 0.0, "ira_roth_contributions": 0.0, "ira_roth_first_year": None,
           "payer_tin": "12-3456780", "payer_name": "Acme 401(k) Plan",
           "payer_address": "1 Main St", "payer_city": "Albany", "payer_state": "NY",
           "payer_zip": "12207", "recipient_first_name": "Ann", "recipient_last_name": "Lee",
           "recipient_address": "2 Oak Ave", "recipient_city": "Albany",
           "recipient_state": "NY", "recipient_zip": "12208"}
    rows = [{**row, "recipient_tin": "400-00-0001"},
            {**row, "recipient_tin": "400-00-0002", **second}]
    path = tmp_path / "book.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


def _file(tmp_path: Path, book: Path, fmt: str) -> tuple[list[dict], Path, object]:
    out = tmp_path / f"forms-{fmt}.parquet"
    filing = tmp_path / f"filing.{fmt.split('-')[1]}"
    with filing_export(fmt, filing, TRANSMITTER, today=dt.date(2027, 1, 15)) as w:
        run_local(book, "forms", out, law=default_law(), sink=w.write)
    return pq.read_table(out).to_pylist(), filing, w.summary


@pytest.mark.parametrize("fmt", ["iris-csv", "iris-xml"])
def test_money_from_the_roth_ira_is_not_filed_as_the_plans(tmp_path, fmt):
    """Instructions for Forms 1099-R and 5498: "File Form 1099-R for each person to whom you
    have made a designated distribution" — the payer that made it.  A row of request_route
    roth_ira takes $10,000 from the participant's own Roth IRA (contributions $4,000, first
    year 2020, 46 years old: the rest is earnings, not qualified, box 7 code J by the Guide to
    Distribution Codes); the plan paid nothing, so its form is the Roth IRA custodian's. The
    forms job still shows it, but the filing holds only the plan's form of the first row,
    under the plan's EIN, and counts the other apart."""
    book = _two_payments(tmp_path, {"request_route": "roth_ira", "ira_roth": 30000.0,
                                    "ira_roth_contributions": 4000.0,
                                    "ira_roth_first_year": 2020})
    results, filing, summary = _file(tmp_path, book, fmt)
    assert [r["form_roth_cash_box_7"] for r in results] == [None, "J"]
    assert results[1]["form_roth_cash_issued"] and results[0]["form_pretax_cash_issued"]
    assert summary.forms == 1 and summary.not_the_plans == 1 and not summary.left_out
    assert str(summary) == ("1 Forms 1099-R exported; 1 not the plan's to file: money from "
                            "the Roth IRA, whose custodian files its Form 1099-R")
    text = filing.read_text()
    assert "400000001" in text and "400000002" not in text
    if fmt == "iris-xml":
        root = ET.parse(filing).getroot()
        assert root.findtext("ir:IRTransmissionManifest/ir:TotalRecipientFormCnt",
                             namespaces=NS) == "1"
        assert [c.text for c in root.iter(f"{{{NAMESPACE}}}F1099RDistributionCd")] == ["1"]
        assert problems(root) == []
    else:
        assert [r["Box 7 Distribution Code(s)"] for r in csv.DictReader(text.splitlines())] \
            == ["1"]


def test_box_14_state_tax_withheld_is_filed_beside_boxes_15_and_16(tmp_path):
    """A Californian paid $10,000 in cash at 46 after leaving the job: federal withholding
    20% of the eligible rollover distribution, $2,000 (IRC §3405(c)(1)(B)); California's
    default withholding 10% of the federal withholding, $200 (Cal. Unemp. Ins. Code
    §13028(c)(3); EDD, California Withholding Schedules, DE 4P).  Box 14 $200.00 is filed in
    the CSV ("Box 14 State Tax Withheld") and in the XML's state group (StateTaxGrp/
    StateTaxWithheldAmt, before StateDistributionAmt, box 16 $10,000.00); the row beside it
    gives no state, so its boxes 14 to 16 are blank and it files no state group."""
    book = _two_payments(tmp_path, {"state": "CA", "recipient_state": "CA",
                                    "recipient_city": "Oakland", "recipient_zip": "94612"})
    results, filing, _ = _file(tmp_path, book, "iris-csv")
    assert results[1]["form_pretax_cash_box_14"] == pytest.approx(200.0)
    rows = list(csv.DictReader(filing.read_text().splitlines()))
    assert [r["Box 14 State Tax Withheld"] for r in rows] == ["", "200.00"]
    assert [r["Box 15 State"] for r in rows] == ["", "CA"]
    assert rows[1]["Box 16 State Distribution"] == "10000.00"
    assert rows[1]["Box 4 Federal Income Tax Withheld"] == "2000.00"
    header = list(CSV_HEADER)
    assert header.index("Box 14 State Tax Withheld") + 1 == header.index("Box 15 State")
    _, filing, _ = _file(tmp_path, book, "iris-xml")
    root = ET.parse(filing).getroot()
    details = root.findall(".//ir:Form1099RDetail", NS)
    assert details[0].find("ir:StateLocalTaxGrp", NS) is None
    group = details[1].find("ir:StateLocalTaxGrp", NS)
    assert group.findtext("ir:StateAbbreviationCd", namespaces=NS) == "CA"
    assert [(e.tag.split("}")[1], e.text) for e in group.find("ir:StateTaxGrp", NS)] == [
        ("StateTaxWithheldAmt", "200.00"), ("StateDistributionAmt", "10000.00")]
    assert problems(root) == []
