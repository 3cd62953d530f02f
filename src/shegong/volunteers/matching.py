"""Matching volunteers to shifts: a ranked suggestion list per shift, and an optimal assignment of
available volunteers to all shifts of an activity solved as a 0/1 programme with HiGHS.

Objective (stated, and checked by brute force in the tests): maximise the sum of pair scores of
the assigned (volunteer, shift) pairs, where a pair is allowed only if the volunteer has every
skill the shift requires; each shift takes at most its free places and each volunteer at most one
shift of the activity in a proposal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Weights of the pair score (0–100).
W_SKILL, W_DISTANCE, W_AVAILABILITY, W_LOAD = 40, 30, 20, 10
LOAD_FULL_HOURS = 40.0  # 40 h served in the last 30 days counts as fully loaded


@dataclass(frozen=True)
class Candidate:
    id: int
    skills: frozenset[str]
    region_code: str
    availability: frozenset[int] = frozenset()
    recent_hours: float = 0.0


@dataclass(frozen=True)
class Slot:
    id: int
    required: frozenset[str]
    capacity: int
    region_code: str
    weekday: int


@dataclass
class Suggestion:
    candidate: Candidate
    score: float
    skill_fit: float
    distance: float
    available: bool
    parts: dict = field(default_factory=dict)


def skill_fit(candidate: Candidate, slot: Slot) -> float:
    if not slot.required:
        return 1.0
    return len(slot.required & candidate.skills) / len(slot.required)


def closeness(home: str, place: str) -> float:
    """1 same village/community, 0.75 same township, 0.5 same county, 0.25 same city, else 0."""
    for length, value in ((12, 1.0), (9, 0.75), (6, 0.5), (4, 0.25)):
        if home[:length] == place[:length]:
            return value
    return 0.0


def availability_fit(candidate: Candidate, slot: Slot) -> float:
    if not candidate.availability:
        return 0.5
    return 1.0 if slot.weekday in candidate.availability else 0.0


def load_fit(candidate: Candidate) -> float:
    return 1.0 - min(candidate.recent_hours / LOAD_FULL_HOURS, 1.0)


def pair_score(candidate: Candidate, slot: Slot) -> float:
    return round(
        W_SKILL * skill_fit(candidate, slot)
        + W_DISTANCE * closeness(candidate.region_code, slot.region_code)
        + W_AVAILABILITY * availability_fit(candidate, slot)
        + W_LOAD * load_fit(candidate),
        4,
    )


def eligible(candidate: Candidate, slot: Slot) -> bool:
    return slot.required <= candidate.skills


def suggest(candidates: list[Candidate], slot: Slot, *, limit: int = 20) -> list[Suggestion]:
    """Rank candidates for one shift: skill fit, distance, availability, recent load."""
    ranked = [
        Suggestion(
            candidate=c,
            score=pair_score(c, slot),
            skill_fit=skill_fit(c, slot),
            distance=closeness(c.region_code, slot.region_code),
            available=availability_fit(c, slot) > 0,
        )
        for c in candidates
    ]
    ranked.sort(key=lambda s: (-s.score, s.candidate.id))
    return ranked[:limit]


def assign(candidates: list[Candidate], slots: list[Slot]) -> tuple[dict[int, int], float]:
    """Optimal proposal `{volunteer id: shift id}` and its total score, solved with HiGHS."""
    pairs = [
        (ci, si, pair_score(c, s))
        for ci, c in enumerate(candidates)
        for si, s in enumerate(slots)
        if s.capacity > 0 and eligible(c, s)
    ]
    if not pairs:
        return {}, 0.0
    import highspy
    import numpy as np

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    n = len(pairs)
    inf = highspy.kHighsInf
    costs = np.array([p[2] for p in pairs], dtype=np.float64)
    h.addCols(
        n,
        costs,
        np.zeros(n),
        np.ones(n),
        0,
        np.array([], dtype=np.int32),
        np.array([], dtype=np.int32),
        np.array([], dtype=np.float64),
    )
    h.changeColsIntegrality(
        n, np.arange(n, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * n)
    )
    rows: list[tuple[float, list[int]]] = []
    by_candidate: dict[int, list[int]] = {}
    by_slot: dict[int, list[int]] = {}
    for k, (ci, si, _score) in enumerate(pairs):
        by_candidate.setdefault(ci, []).append(k)
        by_slot.setdefault(si, []).append(k)
    rows += [(1.0, cols) for cols in by_candidate.values()]
    rows += [(float(slots[si].capacity), cols) for si, cols in by_slot.items()]
    starts, indices = [], []
    for _upper, cols in rows:
        starts.append(len(indices))
        indices.extend(cols)
    h.addRows(
        len(rows),
        np.full(len(rows), -inf),
        np.array([r[0] for r in rows]),
        len(indices),
        np.array(starts, dtype=np.int32),
        np.array(indices, dtype=np.int32),
        np.ones(len(indices)),
    )
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    h.run()
    values = h.getSolution().col_value
    proposal: dict[int, int] = {}
    total = 0.0
    for k, (ci, si, score) in enumerate(pairs):
        if values[k] > 0.5:
            proposal[candidates[ci].id] = slots[si].id
            total += score
    return proposal, round(total, 4)
