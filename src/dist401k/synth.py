"""A synthetic plan book: participants with realistic ages, balances by money source, employment
status and plan provisions, deterministic by seed — for tests and benchmarks, never for advice.

Shapes follow published aggregate patterns loosely (balances roughly log-normal and growing
with age and tenure; most plans 401(k); most allowing loans and hardship); the numbers are
illustrative, not calibrated to any dataset.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyarrow as pa

from dist401k.case import PLAN_TYPES, PlanType
from dist401k.law.loader import default_law

# The plans in the book allow deferrals in service from the legal age (59½).
DEFERRAL_AGE = float(default_law().param("in_service.deferral_age").raw_values[-1])


#: Rows drawn from one random stream: row ``i`` of a book is row ``i % BLOCK`` of block
#: ``i // BLOCK``, whose stream is seeded by (seed, block) alone, so that a row's values never
#: depend on which rows are asked for with it (the chunk size of `dist401k synth`).
BLOCK = 10_000


def synth_table(n: int, seed: int = 0, start: int = 0, request_date: str = "2026-11-23",
                bad_fraction: float = 0.0, with_payer: bool = False) -> pa.Table:
    """``n`` participants; rows ``start``.. of the book for seed ``seed``: each row depends on
    the seed and its own number only (drawn by its :data:`BLOCK` of rows), so chunks of any size
    concatenate to the same book.  ``with_payer``: the payer and recipient columns of a filing
    too (:func:`party_columns`, fake test values; the other columns are the same)."""
    first, last = start // BLOCK, (start + max(n, 1) - 1) // BLOCK
    parts = []
    for b in range(first, last + 1):
        lo = max(start - b * BLOCK, 0)
        hi = min(start + n - b * BLOCK, BLOCK)
        parts.append(_block(seed, b, request_date, bad_fraction).slice(lo, max(hi - lo, 0)))
    table = pa.concat_tables(parts).combine_chunks() if len(parts) > 1 else parts[0]
    if with_payer:
        for name, column in party_columns(n, start).items():
            table = table.append_column(name, column)
    return table


@lru_cache(maxsize=4)
def _block(seed: int, block: int, request_date: str, bad_fraction: float) -> pa.Table:
    """The :data:`BLOCK` rows of block ``block`` of the book for ``seed``, from their own stream
    (kept a while: chunks smaller than a block read the same block again)."""
    rng = np.random.default_rng([seed, block])
    day = np.datetime64(request_date)
    p = _participants(rng, BLOCK, day)
    # The columns are drawn in their order: the same seed gives the same block.
    table = pa.table({**_person_columns(rng, p, block * BLOCK, day), **_plan_columns(rng, p),
                      **_account_columns(rng, p), **_request_columns(rng, p)})
    if bad_fraction > 0:
        table = _spoiled(table, rng, bad_fraction, day)
    return table


#: The payer of a book ``--with-payer``: one fictitious plan (an EIN of prefix 00, which the
#: IRS never assigns; a 555 phone number).
TEST_PAYER = {"payer_tin": "00-0000401", "payer_name": "Synthetic Test Plan",
              "payer_address": "1 Test Street", "payer_city": "Testville", "payer_state": "NY",
              "payer_zip": "12345", "payer_phone": "555-555-0100"}


def party_columns(n: int, start: int = 0) -> dict[str, pa.Array]:
    """The payer and recipient columns of a filing (docs/forms.md "Filing"), clearly fake,
    for an Assurance Testing System file: the payer :data:`TEST_PAYER`, and each recipient a
    "Test Participant" at "2 Test Street" with an SSN of area 666 (never assigned), its
    account number the participant's id.  Never file them as real returns."""
    rows = range(start, start + n)
    return {
        **{name: pa.array([value] * n) for name, value in TEST_PAYER.items()},
        "recipient_tin": pa.array([f"666-{k // 9999 % 59 + 1:02d}-{k % 9999 + 1:04d}"
                                   for k in rows]),
        "recipient_first_name": pa.array(["Test"] * n),
        "recipient_last_name": pa.array(["Participant"] * n),
        "recipient_name": pa.array(["Test Participant"] * n),
        "recipient_address": pa.array(["2 Test Street"] * n),
        "recipient_city": pa.array(["Testville"] * n),
        "recipient_state": pa.array(["NY"] * n),
        "recipient_zip": pa.array(["12345"] * n),
        "account_number": pa.array([f"P{k:09d}" for k in rows]),
    }


@dataclass
class _Participants:
    """The draws several columns share: who the participants are, their plan and money."""

    n: int
    age: np.ndarray
    birth: np.ndarray
    tenure: np.ndarray
    hire: np.ndarray
    separated: np.ndarray
    separation: np.ndarray
    plan: np.ndarray  # index in PLAN_TYPES
    scale: np.ndarray  # the size of the account
    deferral: np.ndarray
    roth: np.ndarray
    match: np.ndarray
    profit_sharing: np.ndarray
    after_tax: np.ndarray
    rollover: np.ndarray
    filing_status: np.ndarray
    spouse_birth: np.ndarray
    route: np.ndarray  # the way out asked for


def _participants(rng: np.random.Generator, n: int, day: np.datetime64) -> _Participants:
    age = np.clip(rng.normal(47, 13, n), 21, 92)
    birth = day - (age * 365.25).astype("timedelta64[D]")
    tenure = np.minimum(age - 20, rng.gamma(2.0, 4.5, n))
    hire = day - (tenure * 365.25).astype("timedelta64[D]")
    separated = rng.random(n) < np.where(age > 66, 0.85, 0.18)
    sep = np.where(separated, hire + ((day - hire).astype(float) * rng.uniform(0.5, 1.0, n)
                                      ).astype("timedelta64[D]"), np.datetime64("NaT"))
    plan = rng.choice(len(PLAN_TYPES), n, p=[0.70, 0.08, 0.07, 0.10, 0.03, 0.02])
    scale = np.exp(rng.normal(np.log(20000) + 0.09 * tenure, 1.0, n))
    deferral = np.round(scale * 0.55, 2)
    roth = np.where(rng.random(n) < 0.3, np.round(scale * 0.15, 2), 0.0)
    match = np.round(scale * 0.25, 2)
    ps = np.where(rng.random(n) < 0.3, np.round(scale * 0.2, 2), 0.0)
    after_tax = np.where(rng.random(n) < 0.08, np.round(scale * 0.1, 2), 0.0)
    rollover = np.where(rng.random(n) < 0.12, np.round(scale * 0.3, 2), 0.0)
    fs = rng.choice(["single", "married_joint", "married_separate", "head_of_household"], n,
                    p=[0.40, 0.48, 0.02, 0.10])
    spouse_birth = np.where(fs == "married_joint", birth + rng.integers(-3000, 4000, n).astype(
        "timedelta64[D]"), np.datetime64("NaT"))
    route = np.where(separated, np.where(age >= 73, "rmd", "separation"),
                     rng.choice(["in_service", "hardship", "loan"], n, p=[0.4, 0.3, 0.3]))
    return _Participants(n, age, birth, tenure, hire, separated, sep, plan, scale, deferral, roth,
                         match, ps, after_tax, rollover, fs, spouse_birth, route)


def _person_columns(rng: np.random.Generator, p: _Participants, start: int,
                    day: np.datetime64) -> dict[str, pa.Array]:
    n = p.n
    married = p.filing_status == "married_joint"
    return {
        "participant_id": pa.array([f"P{start + i:09d}" for i in range(n)]),
        "request_date": pa.array(np.full(n, day)),
        "birth_date": pa.array(p.birth.astype("datetime64[D]")),
        "filing_status": pa.array(p.filing_status),
        "spouse_birth_date": pa.array(p.spouse_birth.astype("datetime64[D]"), from_pandas=True),
        "spouse_sole_beneficiary": pa.array(married & (rng.random(n) < 0.7)),
        "disabled": pa.array(rng.random(n) < 0.01),
        "five_percent_owner": pa.array(rng.random(n) < 0.02),
        "employment_status": pa.array(np.where(p.separated, "separated", "active")),
        "hire_date": pa.array(p.hire.astype("datetime64[D]")),
        "separation_date": pa.array(p.separation.astype("datetime64[D]"), from_pandas=True),
        "wages": pa.array(np.where(p.separated, 0.0, np.round(np.exp(rng.normal(11.0, 0.6, n)),
                                                               2))),
        "social_security": pa.array(np.where(p.age >= 67, np.round(rng.uniform(15000, 45000, n),
                                                                   2), 0.0)),
    }


def _plan_columns(rng: np.random.Generator, p: _Participants) -> dict[str, pa.Array]:
    n = p.n
    return {
        "plan_type": pa.array(np.array(PLAN_TYPES)[p.plan]),
        "governmental": pa.array(p.plan == PlanType.GOVERNMENTAL_457B),
        "in_service_elective_deferral": pa.array(rng.random(n) < 0.6),
        "in_service_min_age_elective_deferral": pa.array(np.full(n, DEFERRAL_AGE)),
        "in_service_match": pa.array((rng.random(n) < 0.3) & np.isin(p.plan, (0, 4))),
        "seasoning_years_match": pa.array(np.full(n, 2.0)),
        "in_service_after_tax": pa.array(rng.random(n) < 0.5),
        "in_service_rollover_pretax": pa.array(rng.random(n) < 0.5),
        "hardship_allowed": pa.array(rng.random(n) < 0.8),
        "loans_allowed": pa.array(rng.random(n) < 0.75),
        "loans_max_count": pa.array(rng.choice([1, 2], n)),
        "emergency_expense_adopted": pa.array(rng.random(n) < 0.3),
        # every governmental 457(b) of the book offers the small-account cash-out (optional
        # for a plan, §457(e)(9)(A))
        "small_account_cash_out": pa.array(p.plan == PlanType.GOVERNMENTAL_457B),
    }


def _account_columns(rng: np.random.Generator, p: _Participants) -> dict[str, pa.Array]:
    vested = np.round(np.minimum(1.0, p.tenure / 6), 2)
    return {
        "balance_elective_deferral": pa.array(p.deferral),
        "balance_roth_deferral": pa.array(p.roth),
        "roth_contributions_roth_deferral": pa.array(np.round(p.roth * 0.7, 2)),
        "roth_first_year_roth_deferral": pa.array(np.where(p.roth > 0, 2026 - np.minimum(
            p.tenure, 15).astype(int), np.nan), from_pandas=True),
        "balance_match": pa.array(p.match),
        "vested_match": pa.array(vested),
        "seasoned_match": pa.array(np.round(p.match * 0.8, 2)),
        "balance_profit_sharing": pa.array(p.profit_sharing),
        "vested_profit_sharing": pa.array(vested),
        "balance_after_tax": pa.array(p.after_tax),
        "basis_after_tax": pa.array(np.round(p.after_tax * 0.8, 2)),
        "balance_rollover_pretax": pa.array(p.rollover),
        "prior_year_end_balance": pa.array(np.round((p.deferral + p.match + p.profit_sharing
                                                     + p.after_tax + p.rollover) * 0.95, 2)),
        "loan_outstanding": pa.array(np.where(rng.random(p.n) < 0.15,
                                              np.round(p.scale * 0.05, 2), 0.0)),
    }


def _request_columns(rng: np.random.Generator, p: _Participants) -> dict[str, pa.Array]:
    n, hardship = p.n, p.route == "hardship"
    return {
        "request_amount": pa.array(np.round(np.exp(rng.normal(np.log(8000), 0.8, n)), 2)),
        "request_purpose": pa.array(np.where(hardship, rng.choice(
            ["medical", "eviction", "tuition", "funeral"], n), "none")),
        "request_need": pa.array(np.where(hardship, np.round(rng.uniform(2000, 20000, n), 2),
                                          np.nan), from_pandas=True),
        "request_route": pa.array(p.route),
        "request_destination": pa.array(rng.choice(["cash", "traditional_ira", "roth_ira"], n,
                                                   p=[0.6, 0.3, 0.1])),
    }


def _spoiled(table: pa.Table, rng: np.random.Generator, bad_fraction: float,
             day: np.datetime64) -> pa.Table:
    """About ``bad_fraction`` of the rows made invalid, one way each: a negative balance, an
    unknown plan type, or a birth date after the request."""
    n = table.num_rows
    bad = rng.random(n) < bad_fraction
    kind = rng.integers(0, 3, n)
    bal = table.column("balance_elective_deferral").to_numpy()
    bal = np.where(bad & (kind == 0), -100.0, bal)
    table = table.set_column(table.column_names.index("balance_elective_deferral"),
                             "balance_elective_deferral", pa.array(bal))
    ptype = np.asarray(table.column("plan_type").to_pylist(), dtype=object)
    ptype[bad & (kind == 1)] = "401z"
    table = table.set_column(table.column_names.index("plan_type"), "plan_type",
                             pa.array(ptype.astype(str)))
    birth2 = table.column("birth_date").to_numpy(zero_copy_only=False)
    birth2 = np.where(bad & (kind == 2), day + np.timedelta64(400, "D"), birth2)
    return table.set_column(table.column_names.index("birth_date"), "birth_date",
                            pa.array(birth2.astype("datetime64[D]")))
