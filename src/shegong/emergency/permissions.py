from shegong.accounts.models import Role

R = Role
GRANTS = {
    # See events, their board and tasks inside the jurisdiction.
    "emergency.view": {R.DEPT_LEADER, R.DEPT_STAFF, R.STATION_WORKER, R.SUPERVISOR},
    # Declare, start and close an event (the service also requires a county or higher unit).
    "emergency.declare": {R.DEPT_LEADER, R.DEPT_STAFF},
    # Record the outcome of reaching a resident.
    "emergency.record": {R.DEPT_LEADER, R.DEPT_STAFF, R.STATION_WORKER, R.SUPERVISOR},
}
