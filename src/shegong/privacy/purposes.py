"""What each processing purpose needs and what withdrawing consent to it does (PIPL Art. 15: a
withdrawal does not affect processing already carried out; Art. 47: what was processed on
consent alone is then deleted).

`requires_basis`: the processing may happen only while a record is in effect (consent or a
statutory duty). Otherwise it may happen while nobody has withdrawn (most residents are served
under the assistance rules, a statutory duty), and stops on withdrawal.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shegong.privacy.models import Purpose

# Organisations outside the public administration: referring a case to one provides the
# resident's information to another processor (PIPL Art. 23).
SHARING_KINDS = frozenset({"sw_organisation", "social_organisation", "hospital"})


@dataclass(frozen=True)
class PurposeRule:
    purpose: str
    requires_basis: bool
    statutory_allowed: bool
    enforced_at: Promise
    on_withdrawal: Promise


RULES: dict[str, PurposeRule] = {
    Purpose.REFERRAL: PurposeRule(
        Purpose.REFERRAL,
        requires_basis=True,
        statutory_allowed=True,
        enforced_at=_("个案转介给社会工作服务机构、其他社会组织或医疗机构（发起和接收时）"),
        on_withdrawal=_("不能再向上述机构转介或由其接收；已完成的转介不受影响（第十五条）。"),
    ),
    Purpose.HEALTH: PurposeRule(
        Purpose.HEALTH,
        requires_basis=False,
        statutory_allowed=True,
        enforced_at=_("服务对象的健康状况、残疾/失能等级，探访记录中的身体健康和精神状态"),
        on_withdrawal=_(
            "已记录的健康状况、残疾/失能等级及探访中的身体健康、精神状态（含变更历史）即行删除，"
            "此后不能再记录，直至重新同意或登记法定职责依据。"
        ),
    ),
    Purpose.PHOTOS: PurposeRule(
        Purpose.PHOTOS,
        requires_basis=False,
        statutory_allowed=False,
        enforced_at=_("探访记录的照片"),
        on_withdrawal=_("已上传的探访照片即行删除，此后探访不能再上传照片。"),
    ),
    Purpose.VOLUNTEER_VISITS: PurposeRule(
        Purpose.VOLUNTEER_VISITS,
        requires_basis=False,
        statutory_allowed=False,
        enforced_at=_(
            "志愿服务记录关联已登记的服务对象时（已撤回的不能关联）；平台不向志愿者派送服务对象"
            "信息，由工作人员安排探访时核对"
        ),
        on_withdrawal=_(
            "不再安排志愿者上门探访，此后志愿服务记录不能再关联该服务对象；已关联的记录不受影响"
            "（第十五条）。"
        ),
    ),
}
