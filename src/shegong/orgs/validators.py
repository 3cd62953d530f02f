from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
)
from stdnum.exceptions import (
    ValidationError as StdnumError,
)


def clean_credit_code(value: str) -> str:
    """A unified social credit code (GB 32100), validated with python-stdnum; '' stays ''."""
    value = (value or "").strip().upper().replace(" ", "")
    if not value:
        return ""
    try:
        return uscc.validate(value)
    except InvalidLength:
        raise ValidationError(_("统一社会信用代码应为 18 位。"), code="length")
    except InvalidChecksum:
        raise ValidationError(_("统一社会信用代码校验位错误，请核对。"), code="checksum")
    except (InvalidFormat, InvalidComponent):
        raise ValidationError(
            _("统一社会信用代码格式不正确（只能包含数字和大写字母，不含 I、O、Z、S、V）。"),
            code="format",
        )
    except StdnumError:
        raise ValidationError(_("统一社会信用代码无效。"), code="invalid")
