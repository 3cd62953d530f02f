from shegong.accounts.models import Role

GRANTS = {
    # Record a resident's consent (or the statutory basis) and its withdrawal.
    "privacy.record_consent": {
        Role.STATION_WORKER,
        Role.SUPERVISOR,
        Role.DEPT_STAFF,
        Role.DEPT_LEADER,
    },
    # The per-resident processing log (what was done with one person's information).
    "privacy.processing_log": {Role.SUPERVISOR, Role.DEPT_LEADER},
    # The retention policy and what is due for anonymisation (administrators).
    "privacy.retention": {Role.DEPT_LEADER},
}
