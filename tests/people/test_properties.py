"""Property tests: ID numbers round-trip through validation; the day's route is a permutation
and never longer than visiting in the given order."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from shegong.core.crypto import mask_id, validate_resident_id
from shegong.people import selectors
from shegong.people.synthetic import make_id_number


@given(
    birth=st.dates(min_value=date(1920, 1, 1), max_value=date(2020, 12, 31)),
    seq=st.integers(min_value=0, max_value=499),
    sex=st.sampled_from("MF"),
    area=st.sampled_from(["440106", "441881", "522722", "110101"]),
)
@settings(max_examples=150, deadline=None)
def test_generated_ids_validate_and_give_back_birth_and_sex(birth, seq, sex, area):
    number = make_id_number(area, birth, seq, sex)
    rid = validate_resident_id(number)
    assert (rid.birth_date, rid.sex) == (birth, sex)
    masked = mask_id(number)
    assert masked[:6] == number[:6] and masked[-4:] == number[-4:] and "*" * 8 in masked


class _R:
    def __init__(self, lat, lon):
        self.latitude, self.longitude, self.address = lat, lon, ""


class _P:
    def __init__(self, lat, lon):
        self.resident = _R(lat, lon)


def _point(p):
    return (p.resident.latitude, p.resident.longitude)


@given(st.lists(st.tuples(st.floats(23.0, 23.3), st.floats(113.2, 113.5)), min_size=1, max_size=30))
@settings(max_examples=100, deadline=None)
def test_route_visits_everyone_once_and_is_not_longer_than_the_given_order(points):
    plans = [_P(a, b) for a, b in points]
    start = (23.1, 113.3)
    route = selectors.visit_route(plans, start=start)
    assert sorted(map(id, route)) == sorted(map(id, plans))
    assert selectors.route_length(route, _point, start) <= (
        selectors.route_length(plans, _point, start) + 1e-6
    )
