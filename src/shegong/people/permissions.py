from shegong.accounts.models import Role

FIELD_ROLES = {Role.STATION_WORKER, Role.SUPERVISOR}
DEPARTMENT = {Role.DEPT_LEADER, Role.DEPT_STAFF}

GRANTS = {
    "people.view": FIELD_ROLES | DEPARTMENT | {Role.ORG_STAFF},
    "people.edit": FIELD_ROLES | {Role.DEPT_STAFF},
    # Children under 14 and health details (PIPL Art. 28): only those who serve them.
    "people.view_sensitive": FIELD_ROLES | {Role.DEPT_LEADER},
    "people.reveal_id": FIELD_ROLES | {Role.DEPT_LEADER},
    "people.assess": FIELD_ROLES,
    "people.visit": FIELD_ROLES,
    "people.assist": FIELD_ROLES | {Role.DEPT_STAFF},
    "people.merge": {Role.SUPERVISOR, Role.DEPT_STAFF},
    "people.import": {Role.DEPT_STAFF, Role.STATION_WORKER},
    "people.export": DEPARTMENT | FIELD_ROLES,
    "people.rollup": DEPARTMENT | FIELD_ROLES,
    "people.configure": {Role.DEPT_LEADER, Role.DEPT_STAFF},
}

# The category taxonomy is national: the grant lets a department edit it only where its
# jurisdiction is a province or the nation (selectors.may_edit_categories); others read it.
GRANTS["people.categories"] = {Role.DEPT_LEADER, Role.DEPT_STAFF}
