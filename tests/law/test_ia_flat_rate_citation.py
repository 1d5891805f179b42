"""Iowa's flat 3.8% rate, cited to the act that set it, checked at the Department's own text.

The Iowa Department of Revenue's announcement of the 2025 rate (October 16, 2024): "Since the
enactment of Iowa Senate File 2442 in May, 2024, Iowa law provides for a flat tax rate of 3.8
percent for all levels of taxable individual income beginning with tax year 2025."  HF 2317 is the
2022 act (the phase-down to 3.9% in 2026 that the Department's October 2023 announcement still
describes as "current law"), not a 2024 one.  The 2026 figure stays unconfirmed: the Department's
2026 announcement, withholding formula and instructions were not read.
"""

from __future__ import annotations

from dist401k.law import default_law

LAW = default_law()


def test_the_flat_rate_is_cited_to_sf_2442_of_2024():
    for name in ("state.ia.rates", "state.ia.brackets"):
        cite = LAW.param(name).citation
        assert "2024 Iowa Acts SF 2442" in cite, name
        assert "2022 Iowa Acts HF 2317" in cite, name
        assert "2024 Iowa Acts HF 2317" not in cite, name


def test_the_departments_announcement_is_a_reference_of_the_rate():
    hrefs = [r.href for r in LAW.param("state.ia.rates").references]
    assert any("2024-10-16/idr-announces-2025" in h for h in hrefs)


def test_one_rate_of_3_8_percent_from_2025_and_2026_still_unconfirmed():
    # "a flat tax rate of 3.8 percent for all levels of taxable individual income beginning with
    # tax year 2025": every place of the schedule bears 0.038.
    assert [float(r) for r in LAW.get("state.ia.rates", 2025)] == [0.038, 0.038, 0.038]
    assert [float(r) for r in LAW.get("state.ia.rates", 2026)] == [0.038, 0.038, 0.038]
    assert 2026 in LAW.param("state.ia.rates").unconfirmed
