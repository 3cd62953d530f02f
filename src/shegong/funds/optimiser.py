"""Allocation arithmetic: the weighted need index, the proportional split and the optimised
linear (or mixed-integer) programme solved with HiGHS.

The programme, for recipients i with need index n_i (shares summing to 1) and a pot P:

    maximise   Σ n_i · x_i                        (weighted need covered)
    subject to Σ x_i = P                          (the whole pot is allocated)
               x_i ≥ floor_i, x_i ≥ committed_i   (保底, 已承诺)
               x_i ≤ cap_i                        (吸纳能力上限)
               (1−e)·n_i·P ≤ x_i ≤ (1+e)·n_i·P    (公平性：每单位需求的金额偏离平均不超过 e)

All amounts are integers (fen, or posts). Bounds are rounded inwards to integers; with one
equality row and box bounds every basic solution is integral, so the LP vertex is already whole
fen; the personnel variant declares integrality anyway (a MIP).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import highspy
import numpy as np

FLOOR = "floor"
COMMITTED = "committed"
EQUITY_LOW = "equity_low"
CAP = "cap"
EQUITY_HIGH = "equity_high"
POT = "pot"

LABELS = {
    FLOOR: "保底",
    COMMITTED: "已承诺",
    EQUITY_LOW: "公平性下限",
    CAP: "吸纳能力上限",
    EQUITY_HIGH: "公平性上限",
    POT: "资金池",
}


@dataclass
class Unit:
    key: str
    name: str
    need: float  # share of total weighted need, 0..1
    floor: int = 0
    cap: int | None = None
    committed: int = 0


@dataclass
class Bound:
    lo: int
    lo_reason: str
    hi: int | None
    hi_reason: str


@dataclass
class Outcome:
    status: str  # "optimal" | "infeasible"
    amounts: list[int] = field(default_factory=list)
    binding: list[list[str]] = field(default_factory=list)
    reduced_costs: list[float] = field(default_factory=list)
    pot_dual: float = 0.0  # objective gain per unit (fen / post) added to the pot
    objective: float = 0.0
    conflicts: list[str] = field(default_factory=list)
    solve_seconds: float = 0.0


def need_indices(values: list[dict[str, float]], weights: dict[str, float]) -> list[float]:
    """Each indicator becomes a share of its column total; the index is the weighted mean of the
    shares, so indicators in different units (people, stations, posts) can be combined."""
    n = len(values)
    if n == 0:
        return []
    total_weight = sum(w for w in weights.values() if w > 0)
    index = [0.0] * n
    if total_weight <= 0:
        return [1.0 / n] * n
    for key, weight in weights.items():
        if weight <= 0:
            continue
        column = [max(float(v.get(key) or 0), 0.0) for v in values]
        column_total = sum(column)
        if column_total <= 0:
            shares = [1.0 / n] * n
        else:
            shares = [c / column_total for c in column]
        for i, share in enumerate(shares):
            index[i] += weight * share / total_weight
    total = sum(index)
    return [x / total for x in index] if total > 0 else [1.0 / n] * n


def largest_remainder(total: int, weights: list[float]) -> list[int]:
    """Whole amounts proportional to `weights` that add up to exactly `total`."""
    s = sum(weights)
    if not weights:
        return []
    if s <= 0:
        weights = [1.0] * len(weights)
        s = float(len(weights))
    raw = [total * w / s for w in weights]
    base = [math.floor(r) for r in raw]
    rest = total - sum(base)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - base[i]), i))
    for i in order[:rest]:
        base[i] += 1
    return base


def proportional(pot: int, units: list[Unit]) -> list[int]:
    return largest_remainder(pot, [u.need for u in units])


def bounds_of(pot: int, units: list[Unit], equity_pct: float) -> list[Bound]:
    e = max(equity_pct, 0) / 100.0
    out = []
    for u in units:
        lows = [(u.floor, FLOOR), (u.committed, COMMITTED)]
        highs: list[tuple[int, str]] = []
        if u.cap is not None:
            highs.append((u.cap, CAP))
        if u.need > 0 and e < 1e6:
            lows.append((math.ceil(max(1 - e, 0) * u.need * pot - 1e-6), EQUITY_LOW))
            highs.append((math.floor((1 + e) * u.need * pot + 1e-6), EQUITY_HIGH))
        lo, lo_reason = max(lows, key=lambda t: (t[0], t[1] != EQUITY_LOW))
        if highs:
            hi, hi_reason = min(highs, key=lambda t: (t[0], t[1] != EQUITY_HIGH))
        else:
            hi, hi_reason = None, ""
        out.append(Bound(max(lo, 0), lo_reason, hi, hi_reason))
    return out


def conflicts_of(pot: int, units: list[Unit], bounds: list[Bound], fmt) -> list[str]:
    """Name the constraints that cannot hold together (complete for this programme's shape)."""
    found = []
    for u, b in zip(units, bounds, strict=True):
        if b.hi is not None and b.lo > b.hi:
            found.append(
                f"{u.name}：{LABELS[b.lo_reason]} {fmt(b.lo)} 高于 {LABELS[b.hi_reason]} "
                f"{fmt(b.hi)}"
            )
    total_lo = sum(b.lo for b in bounds)
    if total_lo > pot:
        found.append(f"各单位保底、已承诺和公平性下限合计 {fmt(total_lo)}，超过资金池 {fmt(pot)}")
    if all(b.hi is not None for b in bounds):
        total_hi = sum(b.hi for b in bounds)  # type: ignore[misc]
        if total_hi < pot:
            found.append(
                f"各单位吸纳能力上限和公平性上限合计 {fmt(total_hi)}，小于资金池 {fmt(pot)}，"
                "资金无法全部分配"
            )
    return found


def optimise(
    pot: int,
    units: list[Unit],
    equity_pct: float,
    *,
    integer: bool = False,
    fmt=str,
) -> Outcome:
    import time

    started = time.perf_counter()
    bounds = bounds_of(pot, units, equity_pct)
    conflicts = conflicts_of(pot, units, bounds, fmt)
    if conflicts:
        return Outcome(
            status="infeasible",
            conflicts=conflicts,
            solve_seconds=time.perf_counter() - started,
        )
    n = len(units)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    inf = highspy.kHighsInf
    lower = np.array([b.lo for b in bounds], dtype=np.float64)
    upper = np.array([inf if b.hi is None else b.hi for b in bounds], dtype=np.float64)
    cost = np.array([u.need for u in units], dtype=np.float64)
    h.addCols(
        n,
        cost,
        lower,
        upper,
        0,
        np.array([], dtype=np.int32),
        np.array([], dtype=np.int32),
        np.array([], dtype=np.float64),
    )
    h.addRow(float(pot), float(pot), n, np.arange(n, dtype=np.int32), np.ones(n))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    if integer:
        h.changeColsIntegrality(
            n,
            np.arange(n, dtype=np.int32),
            np.array([highspy.HighsVarType.kInteger] * n),
        )
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        return Outcome(
            status="infeasible",
            conflicts=[f"求解器未找到可行解（{h.modelStatusToString(status)}）"],
            solve_seconds=time.perf_counter() - started,
        )
    solution = h.getSolution()
    values = list(solution.col_value)
    amounts = _whole(values, pot, bounds)
    pot_dual = 0.0
    reduced: list[float] = [0.0] * n
    if not integer:
        pot_dual = float(solution.row_dual[0])
        reduced = [float(d) for d in solution.col_dual]
    else:
        # The MIP has no duals; the marginal post goes to the neediest unit still below its bound.
        open_units = [
            u.need
            for u, a, b in zip(units, amounts, bounds, strict=True)
            if b.hi is None or a < b.hi
        ]
        pot_dual = max(open_units, default=0.0)
        reduced = [u.need - pot_dual for u in units]
    binding = []
    for a, b in zip(amounts, bounds, strict=True):
        marks = []
        if b.hi is not None and a >= b.hi:
            marks.append(b.hi_reason)
        if a <= b.lo and b.lo > 0:
            marks.append(b.lo_reason)
        binding.append(marks)
    objective = sum(u.need * a for u, a in zip(units, amounts, strict=True))
    return Outcome(
        status="optimal",
        amounts=amounts,
        binding=binding,
        reduced_costs=reduced,
        pot_dual=pot_dual,
        objective=objective,
        solve_seconds=time.perf_counter() - started,
    )


def _whole(values: list[float], pot: int, bounds: list[Bound]) -> list[int]:
    """Round the solver's values to whole units inside the bounds, adding up to the pot."""
    amounts = [
        min(max(math.floor(v + 1e-6), b.lo), b.hi if b.hi is not None else 10**18)
        for v, b in zip(values, bounds, strict=True)
    ]
    rest = pot - sum(amounts)
    order = sorted(range(len(values)), key=lambda i: -(values[i] - math.floor(values[i] + 1e-6)))
    i = 0
    while rest != 0 and i < 4 * len(values) + 4:
        j = order[i % len(order)]
        b = bounds[j]
        if rest > 0 and (b.hi is None or amounts[j] < b.hi):
            amounts[j] += 1
            rest -= 1
        elif rest < 0 and amounts[j] > b.lo:
            amounts[j] -= 1
            rest += 1
        i += 1
    return amounts


def greedy(pot: int, units: list[Unit], equity_pct: float) -> list[int] | None:
    """An independent exact method for this programme's shape (one sum row and box bounds):
    start every unit at its lower bound, then fill the neediest units up to their upper bounds."""
    bounds = bounds_of(pot, units, equity_pct)
    if any(b.hi is not None and b.lo > b.hi for b in bounds):
        return None
    amounts = [b.lo for b in bounds]
    rest = pot - sum(amounts)
    if rest < 0:
        return None
    for i in sorted(range(len(units)), key=lambda i: -units[i].need):
        room = rest if bounds[i].hi is None else min(rest, bounds[i].hi - amounts[i])
        amounts[i] += room
        rest -= room
    return amounts if rest == 0 else None


def explain_marginal(
    pot_dual: float,
    units: list[Unit],
    amounts: list[int],
    bounds: list[Bound] | None,
    *,
    money: bool,
) -> str:
    """The marginal value of one more yuan (or post), in words a department head understands."""
    unit_word = "1元" if money else "1个岗位"
    per = pot_dual * (100 if money else 1)
    if pot_dual <= 0:
        return f"再增加{unit_word}不会提高加权需求覆盖：所有单位都已达到上限。"
    candidates = [
        u.name
        for u, a, b in zip(units, amounts, bounds or [None] * len(units), strict=True)
        if (b is None or b.hi is None or a < b.hi) and abs(u.need - pot_dual) < 1e-12
    ]
    who = f"「{candidates[0]}」" if candidates else "尚未达到上限的需求最高单位"
    return (
        f"资金池每增加{unit_word}，将分给{who}，加权需求覆盖增加 {per:.4f}"
        f"（即该单位需求指数 {pot_dual * 100:.2f}%）。"
    )


def explain_unit(reduced: float, marks: list[str], *, money: bool) -> str:
    unit_word = "1元" if money else "1个岗位"
    factor = 100 if money else 1
    if CAP in marks or EQUITY_HIGH in marks:
        which = "吸纳能力上限" if CAP in marks else "公平性上限"
        if reduced > 1e-12:
            return (
                f"已达{which}；若把该上限放宽{unit_word}，整体加权需求覆盖可再提高 "
                f"{reduced * factor:.4f}。"
            )
        return f"已达{which}。"
    low = [m for m in marks if m in (FLOOR, COMMITTED, EQUITY_LOW)]
    if low:
        which = "、".join(LABELS[m] for m in low)
        if reduced < -1e-12:
            return (
                f"按{which}分配；其需求指数低于边际水平，每多给{unit_word}会使整体覆盖降低 "
                f"{-reduced * factor:.4f}。"
            )
        return f"按{which}分配。"
    return "介于上下限之间，由资金池余量决定（边际单位）。"
