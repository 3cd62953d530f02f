"""The assignment proposal respects skills and capacities and is optimal (brute force)."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shegong.volunteers import matching
from shegong.volunteers.matching import Candidate, Slot

SKILLS = ["a", "b", "c"]
PLACES = ["440106001001", "440106001002", "440106002008", "441881001001"]

candidates_st = st.lists(
    st.builds(
        Candidate,
        id=st.integers(1, 10_000),
        skills=st.frozensets(st.sampled_from(SKILLS), max_size=3),
        region_code=st.sampled_from(PLACES),
        availability=st.frozensets(st.integers(0, 6), max_size=7),
        recent_hours=st.floats(0, 60, allow_nan=False),
    ),
    max_size=5,
    unique_by=lambda c: c.id,
)
slots_st = st.lists(
    st.builds(
        Slot,
        id=st.integers(1, 10_000),
        required=st.frozensets(st.sampled_from(SKILLS), max_size=2),
        capacity=st.integers(0, 2),
        region_code=st.sampled_from(PLACES),
        weekday=st.integers(0, 6),
    ),
    min_size=1,
    max_size=3,
    unique_by=lambda s: s.id,
)


def brute_force(candidates, slots) -> float:
    """Try every way of giving each volunteer one shift or none."""
    best = 0.0
    options = [None, *range(len(slots))]
    for choice in itertools.product(options, repeat=len(candidates)):
        load = [0] * len(slots)
        total = 0.0
        ok = True
        for c, si in zip(candidates, choice, strict=True):
            if si is None:
                continue
            if not matching.eligible(c, slots[si]):
                ok = False
                break
            load[si] += 1
            total += matching.pair_score(c, slots[si])
        if ok and all(load[i] <= slots[i].capacity for i in range(len(slots))):
            best = max(best, total)
    return round(best, 4)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(candidates_st, slots_st)
def test_assignment_respects_skills_and_capacities(candidates, slots):
    proposal, total = matching.assign(candidates, slots)
    by_id = {s.id: s for s in slots}
    cands = {c.id: c for c in candidates}
    for vid, sid in proposal.items():
        assert by_id[sid].required <= cands[vid].skills
    for s in slots:
        assert sum(1 for sid in proposal.values() if sid == s.id) <= s.capacity
    assert total == pytest.approx(
        sum(matching.pair_score(cands[v], by_id[s]) for v, s in proposal.items()), abs=1e-3
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(candidates_st, slots_st)
def test_assignment_is_optimal_on_small_cases(candidates, slots):
    _proposal, total = matching.assign(candidates, slots)
    assert total == pytest.approx(brute_force(candidates, slots), abs=1e-3)


def test_scarce_skill_goes_where_it_is_needed():
    medic = Candidate(1, frozenset({"medical"}), "440106001001", frozenset({5}))
    helper = Candidate(2, frozenset(), "440106001001", frozenset({5}))
    slots = [
        Slot(10, frozenset({"medical"}), 1, "440106001001", 5),
        Slot(11, frozenset(), 1, "440106001001", 5),
    ]
    proposal, _ = matching.assign([medic, helper], slots)
    assert proposal == {1: 10, 2: 11}


def test_suggestions_rank_skill_fit_then_nearness():
    slot = Slot(1, frozenset({"law"}), 3, "440106001001", 2)
    near_lawyer = Candidate(1, frozenset({"law"}), "440106001001", frozenset({2}))
    far_lawyer = Candidate(2, frozenset({"law"}), "441881001001", frozenset({2}))
    near_no_skill = Candidate(3, frozenset(), "440106001001", frozenset({2}))
    busy_lawyer = Candidate(4, frozenset({"law"}), "440106001001", frozenset({2}), 80)
    ranked = [
        s.candidate.id
        for s in matching.suggest([far_lawyer, near_no_skill, busy_lawyer, near_lawyer], slot)
    ]
    assert ranked == [1, 4, 2, 3]
