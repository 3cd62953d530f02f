"""Done-when 3: the optimised allocation respects every bound, matches independent optima,
names conflicts, and solves the national county-level instance (how fast: bench/bench_funds.py)."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shegong.funds import optimiser
from shegong.funds.optimiser import Unit


def _units(needs, floors, caps, committed=None):
    committed = committed or [0] * len(needs)
    return [
        Unit(key=str(i), name=f"单位{i}", need=n, floor=f, cap=c, committed=k)
        for i, (n, f, c, k) in enumerate(zip(needs, floors, caps, committed, strict=True))
    ]


@st.composite
def instances(draw, max_units=40):
    n = draw(st.integers(min_value=1, max_value=max_units))
    raw = draw(st.lists(st.integers(0, 1000), min_size=n, max_size=n))
    values = [{"a": v, "b": draw(st.integers(0, 50))} for v in raw]
    needs = optimiser.need_indices(values, {"a": 2.0, "b": 1.0})
    pot = draw(st.integers(min_value=n, max_value=10**9))
    equity = draw(st.sampled_from([10, 25, 50, 100, 200]))
    floors = [draw(st.integers(0, max(pot // (3 * n), 0))) for _ in range(n)]
    caps = [draw(st.one_of(st.none(), st.integers(pot // n, pot))) for _ in range(n)]
    committed = [draw(st.integers(0, max(pot // (4 * n), 0))) for _ in range(n)]
    return pot, _units(needs, floors, caps, committed), equity


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_every_bound_holds_or_the_conflict_is_named(instance):
    pot, units, equity = instance
    outcome = optimiser.optimise(pot, units, equity)
    bounds = optimiser.bounds_of(pot, units, equity)
    if outcome.status != "optimal":
        assert outcome.conflicts  # an infeasible plan always says why
        assert optimiser.greedy(pot, units, equity) is None
        return
    assert sum(outcome.amounts) == pot
    avg = pot  # needs are shares summing to 1: the average amount per unit of need is the pot
    for u, a, b in zip(units, outcome.amounts, bounds, strict=True):
        assert isinstance(a, int)
        assert a >= u.floor and a >= u.committed
        if u.cap is not None:
            assert a <= u.cap
        if u.need > 0:
            assert a >= (1 - equity / 100) * u.need * avg - 1
            assert a <= (1 + equity / 100) * u.need * avg + 1
        assert b.lo <= a and (b.hi is None or a <= b.hi)
    # the independent greedy (exact for one sum row with box bounds) reaches the same optimum
    greedy = optimiser.greedy(pot, units, equity)
    assert greedy is not None
    best = sum(u.need * g for u, g in zip(units, greedy, strict=True))
    assert outcome.objective == pytest.approx(best, rel=1e-9, abs=1e-6)


@pytest.mark.parametrize("seed", range(8))
def test_small_instances_match_a_brute_force_grid_search(seed):
    r = random.Random(seed)
    n, pot, step = 3, 60, 1
    needs = optimiser.need_indices([{"a": r.randint(1, 9)} for _ in range(n)], {"a": 1})
    floors = [r.randint(0, 10) for _ in range(n)]
    caps = [r.choice([None, r.randint(15, 50)]) for _ in range(n)]
    units = _units(needs, floors, caps)
    equity = r.choice([50, 100, 200])
    best = None
    for x in itertools.product(range(0, pot + 1, step), repeat=n - 1):
        last = pot - sum(x)
        amounts = [*x, last]
        if last < 0:
            continue
        ok = all(
            a >= u.floor
            and (u.cap is None or a <= u.cap)
            and (1 - equity / 100) * u.need * pot - 1e-9
            <= a
            <= (1 + equity / 100) * u.need * pot + 1e-9
            for u, a in zip(units, amounts, strict=True)
        )
        if ok:
            value = sum(u.need * a for u, a in zip(units, amounts, strict=True))
            best = value if best is None else max(best, value)
    outcome = optimiser.optimise(pot, units, equity, integer=True)
    if best is None:
        assert outcome.status == "infeasible" and outcome.conflicts
    else:
        assert outcome.status == "optimal"
        assert outcome.objective == pytest.approx(best, rel=1e-9)


def test_infeasible_constraints_are_named_in_plain_words():
    units = _units([0.5, 0.5], floors=[700, 100], caps=[600, None])
    outcome = optimiser.optimise(1000, units, 1000)
    assert outcome.status == "infeasible"
    assert any("单位0" in c and "保底" in c and "吸纳能力上限" in c for c in outcome.conflicts)
    too_small = optimiser.optimise(100, _units([0.5, 0.5], [80, 80], [None, None]), 1000)
    assert any("超过资金池" in c for c in too_small.conflicts)
    too_big = optimiser.optimise(1000, _units([0.5, 0.5], [0, 0], [100, 100]), 1000)
    assert any("小于资金池" in c for c in too_big.conflicts)


def test_optimised_differs_from_proportional_only_where_constraints_allow():
    units = _units([0.6, 0.3, 0.1], floors=[0, 0, 0], caps=[None, None, None])
    proportional = optimiser.proportional(1000, units)
    assert proportional == [600, 300, 100]
    outcome = optimiser.optimise(1000, units, 20)
    # the less needy units are held at their equity floor (80% of their proportional share),
    # the rest goes to the neediest unit, which stays below its ceiling (720)
    assert outcome.amounts == [680, 240, 80]
    assert outcome.binding[1] == [optimiser.EQUITY_LOW]
    assert outcome.binding[0] == []
    assert outcome.pot_dual == pytest.approx(0.6)
    text = optimiser.explain_marginal(
        outcome.pot_dual, units, outcome.amounts, optimiser.bounds_of(1000, units, 20), money=True
    )
    assert "单位0" in text and "每增加1元" in text


def test_all_county_level_units_with_five_indicators_solve_within_every_bound():
    r = random.Random(2900)
    values = [{k: r.randint(0, 5000) for k in "abcde"} for _ in range(2900)]
    needs = optimiser.need_indices(values, {"a": 3, "b": 2, "c": 1, "d": 1, "e": 0.5})
    pot = 5_000_000_000_00  # five billion yuan in fen
    units = _units(
        needs,
        floors=[300_000_00] * 2900,
        caps=[int(n * pot * 1.4) + 400_000_00 for n in needs],
    )
    outcome = optimiser.optimise(pot, units, 30)
    assert outcome.status == "optimal", outcome.conflicts[:3]
    assert sum(outcome.amounts) == pot
    bounds = optimiser.bounds_of(pot, units, 30)
    assert all(b.lo <= a <= b.hi for a, b in zip(outcome.amounts, bounds, strict=True))


def test_posts_are_placed_as_whole_numbers():
    units = _units([0.5, 0.3, 0.2], floors=[1, 1, 1], caps=[None, 3, None])
    outcome = optimiser.optimise(10, units, 100, integer=True)
    assert outcome.status == "optimal"
    assert sum(outcome.amounts) == 10 and all(isinstance(a, int) for a in outcome.amounts)
    assert outcome.amounts[1] <= 3
