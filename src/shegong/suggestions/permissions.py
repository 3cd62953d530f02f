from shegong.accounts.models import Role

R = Role
GRANTS = {
    # Read the suggestions of the jurisdiction, their groups and figures.
    "suggestions.view": {R.DEPT_LEADER, R.DEPT_STAFF, R.STATION_WORKER, R.SUPERVISOR},
    # Answer (one or a whole group), publish an answer, convert into a matter.
    "suggestions.answer": {R.DEPT_LEADER, R.DEPT_STAFF, R.STATION_WORKER},
}
