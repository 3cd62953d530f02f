"""Writes of the careers app, split by subdomain: title evaluation (`titles`), appraisal
(`appraisals`), rewards, discipline and pay (`records`), the workforce summary rows
(`tally`)."""

from shegong.careers.services.appraisals import (  # noqa: F401
    appraisal_grade,
    appraisal_review,
    appraisal_run,
    scheme_create,
)
from shegong.careers.services.records import (  # noqa: F401
    conduct_record,
    pay_guidance_set,
    worker_pay_set,
)
from shegong.careers.services.tally import staffing_tally_refresh  # noqa: F401
from shegong.careers.services.titles import (  # noqa: F401
    application_create,
    notice_sweep,
    round_open,
)
