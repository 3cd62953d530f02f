"""Writes of the reporting app, by subdomain: defining forms (`definition`), filling a
submission (`fill`), its approval chain (`flow`) and Excel import (`imports`)."""

from shegong.reporting.services.definition import (  # noqa: F401
    element_create,
    element_delete,
    form_create,
    form_update,
    rule_create,
    rule_delete,
)
from shegong.reporting.services.fill import (  # noqa: F401
    submission_open,
    submission_values_save,
)
from shegong.reporting.services.flow import (  # noqa: F401
    submission_approve,
    submission_forward,
    submission_reopen,
    submission_return,
    submission_submit,
)
