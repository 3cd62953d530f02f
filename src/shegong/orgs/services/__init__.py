"""Writes for organisations, by subdomain: the register of organisations with its import and
the staffing standards (`organisations`), and the duty lists (`duties`)."""

from shegong.orgs.services.duties import (  # noqa: F401
    duty_list_draft,
    duty_list_publish,
)
from shegong.orgs.services.organisations import (  # noqa: F401
    EDITABLE_FIELDS,
    EXPORT_COLUMNS,
    IMPORT_COLUMNS,
    clean_code,
    credit_code_holders,
    credit_code_taken_message,
    organisation_create,
    organisation_update,
    organisations_import,
    staffing_standard_set,
)
