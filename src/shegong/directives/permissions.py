from shegong.accounts.models import Role

R = Role
_UNITS = {R.DEPT_LEADER, R.DEPT_STAFF, R.STATION_WORKER, R.SUPERVISOR}
GRANTS = {
    "directives.view": _UNITS,
    # Issue a directive, record an inspection, accept or return a copy sent by the unit.
    "directives.issue": {R.DEPT_LEADER, R.DEPT_STAFF},
    "directives.review": {R.DEPT_LEADER, R.DEPT_STAFF},
    # Acknowledge, cascade, report on and submit the unit's own copy.
    "directives.handle": {R.DEPT_LEADER, R.DEPT_STAFF, R.STATION_WORKER},
    "directives.inspect": {R.DEPT_LEADER, R.DEPT_STAFF, R.SUPERVISOR},
}
