"""Need indicators come from the region-counter registry: a counter of need becomes an indicator
of new plans; a counter of capacity does not; no app's tables are probed."""

from __future__ import annotations

from types import SimpleNamespace

from shegong.core import registry
from shegong.funds import indicators


def test_need_counters_become_indicators_and_capacity_counters_do_not():
    keys = {i.key for i in indicators.available()}
    assert {"stations", "staffing_shortfall", "population"} <= keys
    assert {"residents", "open_matters"} <= keys  # registered by people and petitions
    assert not keys & {"staff", "volunteers", "organisations"}


def test_a_counter_is_read_once_over_the_parent_range_per_child_region(monkeypatch):
    calls = []

    def count(low, high, child_len):
        calls.append((low, high, child_len))
        return {"440106001": 7}

    counter = registry.RegionCounter(key="open_cases", label="在办个案", count=count)
    monkeypatch.setattr(registry, "region_counters", [counter])
    parent = SimpleNamespace(prefix="440106")
    children = [
        SimpleNamespace(code="440106001000", prefix="440106001", level=4),
        SimpleNamespace(code="440106002000", prefix="440106002", level=4),
    ]
    (indicator,) = [i for i in indicators.available() if i.key == "open_cases"]
    assert indicator.collect(parent, children) == {"440106001000": 7.0, "440106002000": 0.0}
    assert calls == [("440106000000", "440106999999", 9)]
    assert "在办个案" in str(indicator.source)
