import pytest

STATION_TOWNSHIP = "440106001000"  # 五山街道, 天河区
YINGDE_TOWNSHIP = "441881001000"  # 英城街道, 英德市


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    from django.core.cache import cache

    cache.clear()
