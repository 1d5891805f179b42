"""A filing holds one tax year.  An IRIS transmission's manifest carries one `TaxYr` (and one
`PriorYearDataInd`), and the IRS releases IRIS schemas and business rules by tax year
(irs.gov/irisschema: "Tax year/version" packages 2023v1.x, 2024v1.x …): a book whose forms
span two tax years was filed as one transmission whose manifest said 2025 while a submission
and its forms said 2026.  The export now refuses such a book in one line (exit 2) naming the
years, and writes nothing (docs/forms.md, "Filing")."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.filing import filing_export
from dist401k.law.loader import default_law
from dist401k.runner import run_local
from forms.test_filing import NS, TRANSMITTER, TRANSMITTER_ARGS, _two_payments

runner = CliRunner()
#: The second payment a year earlier: paid November 20, 2025, after a separation in January
#: 2025 (the first stays in 2026).
IN_2025 = {"request_date": dt.date(2025, 11, 20), "separation_date": dt.date(2025, 1, 31)}


@pytest.mark.parametrize("fmt, name", [("iris-xml", "filing.xml"), ("iris-csv", "filing.csv")])
def test_a_book_spanning_two_tax_years_is_refused_in_one_line(tmp_path, fmt, name, monkeypatch):
    monkeypatch.chdir(tmp_path)
    book = _two_payments(tmp_path, IN_2025)
    extra = TRANSMITTER_ARGS if fmt == "iris-xml" else []
    r = runner.invoke(app, ["batch", str(book), "--job", "forms", "-o", "out.parquet",
                            "--export", fmt, "--export-output", name, *extra])
    assert r.exit_code == 2, r.output
    lines = [line for line in r.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, r.output
    assert "2025" in lines[0] and "2026" in lines[0] and "separately" in lines[0]
    assert "Traceback" not in r.output
    # Nothing is written: no filing, no results, no temporary file.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.parquet"]


def test_the_writer_refuses_a_second_tax_year_in_a_later_chunk(tmp_path):
    """Chunk by chunk (one row each): the second chunk's year differs from the first's."""
    book = _two_payments(tmp_path, IN_2025)
    with pytest.raises(ValueError, match="2025.*2026"):
        with filing_export("iris-xml", tmp_path / "filing.xml", TRANSMITTER,
                           today=dt.date(2027, 1, 15)) as w:
            run_local(book, "forms", tmp_path / "out.parquet", law=default_law(), batch_rows=1,
                      sink=w.write)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.parquet"]


def test_one_tax_year_gives_one_tax_year_throughout_the_transmission(tmp_path):
    """Both payments in 2025, filed in January 2027: the manifest, every submission and every
    form say 2025; 2025 is before the year being filed in the 2027 season (2026), so the
    manifest marks prior-year data (the rule docs/forms.md states; unconfirmed at IRIS's own
    publication)."""
    book = _two_payments(tmp_path, IN_2025)
    rows = [{**row, **IN_2025} for row in pq.read_table(book).to_pylist()]
    pq.write_table(pa.Table.from_pylist(rows), book)
    filing = tmp_path / "filing.xml"
    with filing_export("iris-xml", filing, TRANSMITTER, today=dt.date(2027, 1, 15)) as w:
        run_local(book, "forms", tmp_path / "out.parquet", law=default_law(), sink=w.write)
    root = ET.parse(filing).getroot()
    years = {e.text for e in root.iter(f"{{{NS['ir']}}}TaxYr")}
    assert years == {"2025"}
    assert root.findtext("ir:IRTransmissionManifest/ir:PriorYearDataInd", namespaces=NS) == "1"
    assert w.summary.forms == 2
