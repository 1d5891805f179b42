"""The rates `dist401k sepp` prints carry every place the rule tests: 120% of a 4.28% federal
mid-term rate is a 5.136% ceiling (Notice 2022-6, §3.02(c)), so a chosen 5.14% — above it — is
not told a ceiling of "5.14%"."""

from __future__ import annotations

import pytest

from dist401k.commands.sepp import _pct


@pytest.mark.parametrize("rate, text", [(0.05, "5.00%"), (1.2 * 0.0428, "5.136%"),
                                        (0.0514, "5.14%"), (0.04, "4.00%"), (0.0, "0.00%"),
                                        (0.012345, "1.2345%")])
def test_a_rate_is_printed_to_its_places(rate, text):
    assert _pct(rate) == text
