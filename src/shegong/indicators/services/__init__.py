"""Writes of the indicators app, by subdomain: definitions (a department's own indicators) and
refresh (the cached values)."""

from shegong.indicators.services.definitions import indicator_create, indicator_validate
from shegong.indicators.services.refresh import values_refresh

__all__ = ["indicator_create", "indicator_validate", "values_refresh"]
