from shegong.accounts.models import Role

GRANTS = {
    # The outbound delivery log of the jurisdiction (system administrators hold every permission).
    "inbox.view_deliveries": {Role.DEPT_LEADER},
}
