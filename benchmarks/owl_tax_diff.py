"""Why Owl's own tax figures for its plan differ from dist401k's exact tax on the same plan.

For one benchmark case: Owl solves it (``benchmarks/owl_side.py`` in .venv-owl, whose spec output
carries Owl's own yearly tax figures), then dist401k runs Owl's plan -- its Roth conversions and
withdrawals, the Policy ``planner_vs_owl.owl_plan_priced_by_us`` builds -- at Owl's own spending
level, with dist401k's exact tax engine.  The year-by-year difference is split in two chains of
one-at-a-time substitutions (each step's effect depends on the order given):

* rules, on Owl's own incomes: Owl's tax as it reports it -> the same tax recomputed from Owl's
  reported parameters (residual: Owl's LP/loop) -> dist401k's §86 taxable Social Security ->
  dist401k's standard deduction with the 65+ amounts -> dist401k's senior deduction -> dist401k's
  ordinary brackets -> dist401k's 0/15/20% thresholds -> dist401k's NIIT = dist401k's
  ``federal_tax`` on Owl's incomes;
* incomes, under dist401k's law: Owl's taxable-account interest, dividends, realised gains,
  pre-tax withdrawals and conversions replaced one by one by the ones dist401k's run of the same
  plan produces = dist401k's tax in that run.

    python benchmarks/owl_tax_diff.py [--case single|couple|early|jackjill] [--years 10] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from planner_vs_owl import JACK_JILL, case_from_example, owl, owl_policy, owl_spec  # noqa: E402

from dist401k.law import default_law  # noqa: E402
from dist401k.law.filing_status import MARRIED_JOINT, SINGLE  # noqa: E402
from dist401k.law.loader import Lookup  # noqa: E402
from dist401k.planner.household import parse_household  # noqa: E402
from dist401k.planner.plan import fixed_returns, max_spending  # noqa: E402
from dist401k.planner.simulate import simulate  # noqa: E402
from dist401k.planner.timeline import build_timeline  # noqa: E402
from dist401k.tax.federal import federal_tax  # noqa: E402
from dist401k.tax.units import TaxUnits  # noqa: E402

CASES = {"single": "single-retiree", "couple": "couple-social-security", "early": "early-retiree",
         "jackjill": None}

RULE_STEPS = ("owl_loop_residual", "ss_taxable", "std_deduction_65", "senior_deduction",
              "ordinary_brackets", "ltcg_thresholds", "niit", "engine_residual")
INCOME_STEPS = ("interest", "dividends", "realized_gains", "pretax_withdrawals", "conversions",
                "ss_pension")


def case_data(name: str) -> dict:
    return JACK_JILL if name == "jackjill" else case_from_example(CASES[name])


def _units(tl, fs, **cols) -> TaxUnits:
    T = tl.T
    z = np.zeros(T)
    f = np.zeros(T, bool)
    div = cols.get("dividends", z)
    return TaxUnits(
        tax_year=np.asarray(tl.years, int), filing_status=np.asarray(fs, np.int8),
        age_head=np.asarray(tl.age_head, float), age_spouse=np.asarray(tl.age_spouse, float),
        blind_head=f, blind_spouse=f, lived_apart=f, wages=z,
        taxable_interest=cols.get("interest", z), tax_exempt_interest=z, ordinary_dividends=div,
        qualified_dividends=div, long_term_gains=cols.get("gains", z),
        taxable_distributions=cols["distributions"], early_distributions=z,
        social_security=cols["ss"], other_income=z, itemized_deductions=z)


def _bracket_tax(income, tops, rates):
    """Tax of ``income`` (T,) on brackets with tops ``tops`` (6, T) and ``rates`` (7, T)."""
    lower = np.vstack([np.zeros_like(income), tops])  # (7, T)
    upper = np.vstack([tops, np.full_like(income, np.inf)])
    return (rates * np.clip(income[None, :] - lower, 0.0, upper - lower)).sum(0)


def _tax(ord_ex_ss, qualified, nii, p: dict):
    """Ordinary + 0/15/20% + NIIT tax from explicit parameters (every array is per year)."""
    return sum(_tax_parts(ord_ex_ss, qualified, nii, p))


def _tax_parts(ord_ex_ss, qualified, nii, p: dict):
    """(ordinary, 0/15/20%, NIIT) tax from explicit parameters: ``p`` gives the taxable Social
    Security (ss), the deduction (ded), the bracket tops and rates, the 0/15/20% thresholds (cg)
    and the NIIT threshold (niit)."""
    ss_taxable, deduction, tops, rates, cg, niit_thr = (p[k] for k in (
        "ss", "ded", "tops", "rates", "cg", "niit"))
    agi = ord_ex_ss + ss_taxable + qualified
    taxable = np.maximum(0.0, agi - deduction)
    pref = np.minimum(taxable, qualified)
    ordinary = taxable - pref
    at0 = np.minimum(pref, np.maximum(0.0, cg[0] - ordinary))
    at15 = np.minimum(pref - at0, np.maximum(0.0, cg[1] - np.maximum(ordinary, cg[0])))
    at20 = pref - at0 - at15
    niit = 0.038 * np.minimum(nii, np.maximum(0.0, agi - niit_thr))
    return _bracket_tax(ordinary, tops, rates), 0.15 * at15 + 0.20 * at20, niit


def _income_steps(tl, law, owl_incomes: dict, col: dict) -> tuple[dict, dict, np.ndarray]:
    """dist401k's tax on Owl's incomes, then the change as each income is swapped for the one
    of dist401k's own run (INCOME_STEPS), and what is left against that run's tax (0)."""
    fs = np.asarray(tl.filing_status)

    def ours_on(c):
        u = _units(tl, fs, interest=c["interest"], dividends=c["dividends"], gains=c["gains"],
                   distributions=c["pre"] + c["conv"] + c["pension"], ss=c["ss"])
        return federal_tax(u, law)

    on_owl = ours_on(owl_incomes)
    income = {}
    prev = on_owl["income_tax"]
    swaps = {"interest": {"interest": col["interest"]},
             "dividends": {"dividends": col["dividends"]},
             "realized_gains": {"gains": col["realized_gains"]},
             "pretax_withdrawals": {"pre": col["pretax_withdrawal"]},
             "conversions": {"conv": col["conversion"]},
             "ss_pension": {"ss": col["social_security"], "pension": col["pension"]}}
    cur = owl_incomes
    for step in INCOME_STEPS:
        cur = dict(cur, **swaps[step])
        now = ours_on(cur)["income_tax"]
        income[step] = now - prev
        prev = now
    return on_owl, income, col["income_tax"] - prev


def analyse(name: str) -> dict:
    data = case_data(name)
    theirs = owl(owl_spec(data), 1)
    if "schedule" not in theirs:
        raise SystemExit(f"Owl did not solve {name}: {theirs.get('error', theirs.get('status'))}")
    sched = theirs["schedule"]
    ot = {k: np.asarray(v, float) for k, v in sched["tax"].items()}
    law = default_law()
    hh = parse_household(data)
    tl = build_timeline(hh, law)
    T = tl.T
    assert list(sched["years"][:T]) == [int(y) for y in tl.years], "Owl's years differ"
    pol = owl_policy(tl, sched)
    spend = float(theirs["objective"])
    res = simulate(hh, tl, law, fixed_returns(hh, law, T, 1), pol, np.array([spend]))
    col = {k: v[0] for k, v in res.cols.items()}
    sustained = max_spending(hh, tl, law, pol, spend)

    # Owl's incomes, nominal.
    w = np.asarray(sched["withdrawals"])[:, :, :T]
    x = np.asarray(sched["conversions"])[:, :T]
    o_pre = w[:, 1, :].sum(0)
    o_conv = x.sum(0)
    o_pen = ot["pension"][:T]
    o_int, o_div, o_gain = ot["interest"][:T], ot["dividends"][:T], ot["realized_gains"][:T]
    o_ss = ot["ss_benefits"][:T]
    owl_tax = (ot["ordinary_tax"] + ot["ltcg_tax"] + ot["niit"] + ot["early_withdrawal_penalty"])[:T]

    # dist401k's law on Owl's incomes, then the incomes swapped one by one for dist401k's run's.
    fs = np.asarray(tl.filing_status)
    owl_incomes = dict(interest=o_int, dividends=o_div, gains=o_gain, pre=o_pre, conv=o_conv,
                       pension=o_pen, ss=o_ss)
    on_owl, income, income_residual = _income_steps(tl, law, owl_incomes, col)

    # The rule chain on Owl's incomes.
    lk = Lookup(law, np.asarray(tl.years, int), fs)
    our_tops = lk.get("income_tax.brackets").T  # (6, T)
    our_rates = lk.get("income_tax.rates").T  # (7, T)
    our_cg = lk.get("capital_gains.thresholds").T  # (2, T)
    our_niit_thr = lk.get("niit.threshold")
    owl_tops, owl_rates = ot["bracket_tops"][:, :T], ot["bracket_rates"][:, :T]
    owl_cg = ot["ltcg_thresholds"][:, :T]
    owl_niit_thr = np.where(ot["filing_status"][:T] == 1, 250_000.0, 200_000.0)
    ord_ex_ss = o_pre + o_conv + o_pen + o_int
    qual = o_div + o_gain
    nii = o_int + qual
    owl_ded = ot["standard_deduction"][:T]
    owl_base = ot["deduction_without_senior_bonus"][:T]
    our_base = on_owl["standard_deduction"]
    our_senior = on_owl["senior_deduction"]
    chain = [
        ("owl_loop_residual", dict(ss=ot["ss_taxable"][:T], ded=owl_ded, tops=owl_tops,
                                   rates=owl_rates, cg=owl_cg, niit=owl_niit_thr)),
        ("ss_taxable", dict(ss=on_owl["taxable_social_security"])),
        ("std_deduction_65", dict(ded=owl_ded - owl_base + our_base)),
        ("senior_deduction", dict(ded=our_base + our_senior)),
        ("ordinary_brackets", dict(tops=our_tops, rates=our_rates)),
        ("ltcg_thresholds", dict(cg=our_cg)),
        ("niit", dict(niit=our_niit_thr)),
    ]
    rules = {}
    prev = owl_tax
    p = {}
    for step, change in chain:
        p.update(change)
        now = _tax(ord_ex_ss, qual, nii, p)
        rules[step] = now - prev
        prev = now
    rules["engine_residual"] = on_owl["income_tax"] - prev  # AMT, worksheet details (0 here)
    # Owl's loop residual by part: its reported ordinary / 0-15-20% / NIIT tax against the same
    # parts recomputed from its own reported deduction, taxable Social Security and thresholds.
    o_parts = _tax_parts(ord_ex_ss, qual, nii, chain[0][1])
    loop_split = {"ordinary": o_parts[0] - (ot["ordinary_tax"] + ot["early_withdrawal_penalty"])[:T],
                  "ltcg": o_parts[1] - ot["ltcg_tax"][:T], "niit": o_parts[2] - ot["niit"][:T]}
    # Owl's own §86 formula at its final MAGI against dist401k's on the same incomes: the rule is
    # the same, so what the ss_taxable step measures is Owl's loop leaving Psi unsettled.
    psi_final_gap = float(np.max(np.abs(ot["ss_taxable_fraction_at_final_magi"][:T] * o_ss
                                        - on_owl["taxable_social_security"])))

    deflate = (1 + hh.market.inflation) ** np.arange(T)
    ws_rows = []
    for t in range(T):
        ws_rows.append({
            "year": int(tl.years[t]), "fs": "MFJ" if fs[t] == MARRIED_JOINT else "S",
            "owl_ord": ot["ordinary_tax"][t], "owl_ltcg": ot["ltcg_tax"][t], "owl_niit": ot["niit"][t],
            "owl_tax": owl_tax[t], "our_tax": col["income_tax"][t],
            "owl_ss_tx": ot["ss_taxable"][t], "our_ss_tx_on_owl": on_owl["taxable_social_security"][t],
            "owl_ded": owl_ded[t], "our_ded": our_base[t] + our_senior[t],
            "owl_agi": ot["magi"][t], "our_agi": col["agi"][t],
            "owl_rmd": ot["rmd"][:, t].sum(), "our_rmd": col["rmd"][t],
            "owl_pre": o_pre[t], "our_pre": col["pretax_withdrawal"][t],
            "owl_div": o_div[t], "our_div": col["dividends"][t],
            "owl_int": o_int[t], "owl_gain": o_gain[t], "our_gain": col["realized_gains"][t],
            "shortfall": col["shortfall"][t],
            **{f"r_{k}": v[t] for k, v in rules.items()},
            **{f"loop_{k}": v[t] for k, v in loop_split.items()},
            **{f"i_{k}": v[t] for k, v in income.items()},
        })
    tot = lambda a: float(np.sum(a))  # noqa: E731
    real = lambda a: float(np.sum(np.asarray(a) / deflate))  # noqa: E731
    return {
        "case": name, "owl_spending": spend, "sustained_by_dist401k": sustained,
        "first_single_year": (int(fs.tolist().index(SINGLE) + tl.years[0])
                              if SINGLE in fs and tl.people == 2 else None),
        "lifetime_nominal": {"owl_tax": tot(owl_tax), "our_tax": tot(col["income_tax"]),
                             **{f"rule:{k}": tot(v) for k, v in rules.items()},
                             **{f"income:{k}": tot(v) for k, v in income.items()},
                             "income:residual": tot(income_residual)},
        "lifetime_real": {"owl_tax": real(owl_tax), "our_tax": real(col["income_tax"]),
                          **{f"rule:{k}": real(v) for k, v in rules.items()},
                          **{f"income:{k}": real(v) for k, v in income.items()}},
        "shortfall_nominal": tot(col["shortfall"]),
        "owl_loop_residual_split_nominal": {k: tot(v) for k, v in loop_split.items()},
        "owl_ss_formula_at_final_magi_vs_ours_max_abs": psi_final_gap,
        "ss_benefits_nominal": {"owl": tot(o_ss), "dist401k": tot(col["social_security"])},
        "owl_convergence": theirs.get("convergence"), "owl_warnings": theirs.get("owl_warnings"),
        "estate_real": {"owl": theirs.get("estate"), "dist401k": float(res.estate_real[0])},
        "rows": ws_rows,
    }


def _print(out: dict, years: int) -> None:
    print(f"\n== {out['case']}: Owl spending {out['owl_spending']:,.0f}/yr; dist401k sustains "
          f"{out['sustained_by_dist401k']:,.0f} with Owl's plan; shortfall at Owl's level "
          f"{out['shortfall_nominal']:,.0f} nominal; first single year {out['first_single_year']}")
    print(f"Owl's loop: {out['owl_convergence']}; Social Security received, nominal: Owl "
          f"{out['ss_benefits_nominal']['owl']:,.0f}, dist401k {out['ss_benefits_nominal']['dist401k']:,.0f}")
    head = ("year", "fs", "owl_ord", "owl_ltcg", "owl_tax", "our_tax", "owl_ss_tx", "our_ss_tx_on_owl",
            "owl_ded", "our_ded", "owl_agi", "our_agi", "owl_pre", "our_pre", "owl_gain", "our_gain",
            "owl_div", "our_div", "owl_int")
    print(" ".join(f"{h:>9}" for h in head))
    for r in out["rows"][:years]:
        print(" ".join(f"{r[h]:>9}" if isinstance(r[h], str) else f"{r[h]:>9.0f}" for h in head))
    print("\nOwl tax minus dist401k tax, split (rules on Owl's incomes, then incomes under dist401k's law):")
    keys = [f"r_{k}" for k in RULE_STEPS] + [f"i_{k}" for k in INCOME_STEPS]
    print(f"{'year':>6} {'owl-ours':>9} " + " ".join(f"{k[2:][:11]:>11}" for k in keys))
    for r in out["rows"][:years]:
        d = r["owl_tax"] - r["our_tax"]
        # Each step is (tax after) - (tax before) going from Owl to dist401k: flip the sign.
        print(f"{r['year']:>6} {d:>9.0f} " + " ".join(f"{-r[k]:>11.0f}" for k in keys))
    print("\nOwl's loop residual (Owl's reported tax minus its own parameters' tax), by part, nominal:")
    for r in out["rows"]:
        if any(abs(r[f"loop_{k}"]) > 0.5 for k in ("ordinary", "ltcg", "niit")):
            print(f"  {r['year']}: ordinary {-r['loop_ordinary']:,.0f}, 0/15/20% {-r['loop_ltcg']:,.0f}, "
                  f"NIIT {-r['loop_niit']:,.0f}")
    print(f"Owl's own §86 formula at its final MAGI vs dist401k's on Owl's incomes: max |diff| "
          f"{out['owl_ss_formula_at_final_magi_vs_ours_max_abs']:,.2f}")
    print("\nLifetime (nominal / start-year $), Owl minus dist401k:")
    for k in out["lifetime_nominal"]:
        if k in ("owl_tax", "our_tax") or k.startswith(("rule:", "income:")):
            sign = 1 if k in ("owl_tax", "our_tax") else -1
            rv = out["lifetime_real"].get(k)
            print(f"  {k:28} {sign * out['lifetime_nominal'][k]:>12,.0f}"
                  + (f" {sign * rv:>12,.0f}" if rv is not None else ""))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--case", choices=list(CASES), action="append")
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--json", help="write the full result to this file")
    args = ap.parse_args()
    outs = [analyse(c) for c in (args.case or ["single", "couple"])]
    for o in outs:
        _print(o, args.years)
    if args.json:
        Path(args.json).write_text(json.dumps(outs, indent=1, default=float))


if __name__ == "__main__":
    main()
