"""The unified social credit code (统一社会信用代码, GB 32100-2015): one validator for forms, the
API, imports and donors.

`clean_credit_code` checks the code itself (python-stdnum `cn.uscc`: length, alphabet, check
character). `check_credit_code_kind` checks its first two characters — the registration
authority (登记管理部门代码) and the kind of body (机构类别代码) — against what the organisation is:
a social work service organisation is a private non-enterprise unit registered with civil
affairs (52), a department of the Party or government an organ (11), and so on.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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

from shegong.orgs.models import Kind

# GB 32100-2015 table 1: registration authority (1st character) and kind (2nd character).
CATEGORIES: dict[str, object] = {
    "11": gettext_lazy("机构编制部门登记的机关"),
    "12": gettext_lazy("机构编制部门登记的事业单位"),
    "13": gettext_lazy("中央编办直接管理机构编制的群众团体"),
    "19": gettext_lazy("机构编制部门登记的其他机构"),
    "21": gettext_lazy("外国常驻新闻机构"),
    "29": gettext_lazy("外交部门登记的其他机构"),
    "31": gettext_lazy("律师执业机构"),
    "32": gettext_lazy("公证处"),
    "33": gettext_lazy("基层法律服务所"),
    "34": gettext_lazy("司法鉴定机构"),
    "35": gettext_lazy("仲裁委员会"),
    "39": gettext_lazy("司法行政部门登记的其他机构"),
    "41": gettext_lazy("外国在华文化中心"),
    "49": gettext_lazy("文化部门登记的其他机构"),
    "51": gettext_lazy("民政部门登记的社会团体"),
    "52": gettext_lazy("民政部门登记的民办非企业单位（社会服务机构）"),
    "53": gettext_lazy("民政部门登记的基金会"),
    "59": gettext_lazy("民政部门登记的其他组织"),
    "61": gettext_lazy("外国旅游部门常驻代表机构"),
    "62": gettext_lazy("港澳台地区旅游部门常驻内地（大陆）代表机构"),
    "69": gettext_lazy("旅游部门登记的其他机构"),
    "71": gettext_lazy("宗教活动场所"),
    "72": gettext_lazy("宗教院校"),
    "79": gettext_lazy("宗教部门登记的其他机构"),
    "81": gettext_lazy("基层工会"),
    "89": gettext_lazy("工会登记的其他机构"),
    "91": gettext_lazy("市场监管（工商）部门登记的企业"),
    "92": gettext_lazy("个体工商户"),
    "93": gettext_lazy("农民专业合作社"),
    "A1": gettext_lazy("军队事业单位"),
    "A9": gettext_lazy("中央军委改革和编制办公室登记的其他机构"),
    "N1": gettext_lazy("组级集体经济组织"),
    "N2": gettext_lazy("村级集体经济组织"),
    "N3": gettext_lazy("乡镇级集体经济组织"),
    "N9": gettext_lazy("农业部门登记的其他机构"),
    "Y1": gettext_lazy("其他登记管理部门登记的机构"),
}

# The prefixes an organisation of each kind may carry. A kind not
# listed takes any prefix of the table above, except the kinds in UNCHECKED_KINDS.
KIND_PREFIXES: dict[str, tuple[str, ...]] = {
    # 社会工作部 is an organ of the Party committee: registered by the establishment office.
    Kind.SOCIAL_WORK_DEPARTMENT: ("11",),
    # 社会工作服务机构: registered with civil affairs as a social service organisation (民非).
    Kind.SOCIAL_WORK_ORGANISATION: ("52",),
    # 其他社会组织: a social group, a social service organisation, a foundation or other (民政).
    Kind.SOCIAL_ORGANISATION: ("51", "52", "53", "59"),
    # 政府部门: an organ; the people's organisations among them (妇联, 残联) are 13.
    Kind.GOVERNMENT_DEPARTMENT: ("11", "13"),
    # 医疗机构: a public hospital (事业单位), a non-profit private one (民非) or an enterprise.
    Kind.HOSPITAL: ("12", "52", "91"),
}
# Residents' and villagers' committees and people's mediation committees receive codes under
# arrangements outside GB 32100's table (civil affairs and justice notices); not checked here.
UNCHECKED_KINDS = frozenset(
    {Kind.RESIDENTS_COMMITTEE, Kind.VILLAGERS_COMMITTEE, Kind.MEDIATION_COMMITTEE}
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


def expected_prefixes(kind: str) -> tuple[str, ...]:
    """The first two characters a code may have for an organisation of this kind ('' = any)."""
    if kind in UNCHECKED_KINDS:
        return ()
    return KIND_PREFIXES.get(kind, tuple(CATEGORIES))


def check_credit_code_kind(code: str, *, kind: str, kind_label: str = "") -> None:
    """Refuse a (valid) code whose registration authority and kind digits do not fit `kind`."""
    if not code:
        return
    allowed = expected_prefixes(kind)
    if not allowed or code[:2] in allowed:
        return
    found = CATEGORIES.get(code[:2])
    if kind in KIND_PREFIXES:
        raise ValidationError(
            _(
                "统一社会信用代码前两位应为 %(expected)s（%(meaning)s），"
                "与组织类型“%(kind)s”相符；填写的代码以 %(found)s 开头%(found_meaning)s。"
            )
            % {
                "expected": "、".join(allowed),
                "meaning": "；".join(str(CATEGORIES[p]) for p in allowed),
                "kind": kind_label or kind,
                "found": code[:2],
                "found_meaning": _("（%(m)s）") % {"m": found} if found else "",
            },
            code="kind",
        )
    raise ValidationError(
        _(
            "统一社会信用代码前两位 %(found)s 不是 GB 32100 规定的登记管理部门和机构类别代码"
            "（如 11 机关、12 事业单位、51 社会团体、52 民办非企业单位、53 基金会、91 企业）。"
        )
        % {"found": code[:2]},
        code="category",
    )
