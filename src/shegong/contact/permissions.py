from shegong.accounts.models import Role

R = Role
_UNITS = {R.DEPT_LEADER, R.DEPT_STAFF, R.STATION_WORKER, R.SUPERVISOR}
GRANTS = {
    "contact.view": _UNITS | {R.ORG_STAFF},
    # Plan a meeting, invite, record attendance, minutes and raised items; assign, feed back,
    # convert an item into a matter.
    "contact.manage": {R.DEPT_LEADER, R.DEPT_STAFF, R.STATION_WORKER},
    # Answer an item assigned to the user's unit.
    "contact.answer": {R.DEPT_LEADER, R.DEPT_STAFF, R.STATION_WORKER, R.ORG_STAFF},
}
