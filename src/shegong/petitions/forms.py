from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shegong.accounts.models import User
from shegong.core.attachments import clean_attachment
from shegong.core.forms import ShegongForm
from shegong.orgs.models import Organisation
from shegong.petitions import selectors
from shegong.petitions.models import (
    Category,
    Channel,
    ConfirmationChoice,
    FollowUp,
    Kind,
    Mediation,
    MediationAgreement,
    MediationConsent,
    Rating,
    RatingReview,
    ReplyKind,
    Tier,
    Urgency,
)
from shegong.regions.forms import RegionField, RegionInput

TEXT = {"class": "form-control"}
# Where a matter takes place: a county, a township or a village (regions levels 3–5).
COUNTY_AND_BELOW = (3, 4, 5)
SELECT = {"class": "form-select"}


def _leaf_categories():
    return Category.objects.filter(is_active=True, children__isnull=True).select_related("parent")


REVIEW_CHOICES = [
    ("", _("—")),
    ("review", _("申请复查（复核）：在原事项上登记申请，不作为新事项")),
    ("repeat", _("不申请：作为原事项的重复件登记，不计为新事项")),
]


def _review_choice_field():
    """Hidden until a filing repeats a matter still within its review window; then the filer
    is offered the review path (`offer_review`)."""
    return forms.ChoiceField(
        label=_("复查（复核）申请"),
        required=False,
        choices=REVIEW_CHOICES,
        widget=forms.HiddenInput,
    )


class ReviewChoiceMixin:
    def offer_review(self) -> None:
        """Show the choice between a review request and a repeat (after `ReviewOffered`)."""
        field = self.fields["review_choice"]
        field.widget = forms.RadioSelect(choices=REVIEW_CHOICES[1:])


class CategoryField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class RegisterForm(ReviewChoiceMixin, ShegongForm):
    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices, widget=forms.Select(SELECT))
    channel = forms.ChoiceField(
        label=_("来源渠道"), choices=Channel.choices, widget=forms.Select(SELECT)
    )
    received_on = forms.DateField(
        label=_("收到日期"), widget=forms.DateInput({"class": "form-control", "type": "date"})
    )
    region = RegionField(
        label=_("事发地区划代码"),
        levels=COUNTY_AND_BELOW,
        widget=RegionInput(
            suggest_url="regions:suggest",
            levels=COUNTY_AND_BELOW,
            attrs={**TEXT, "placeholder": _("输入名称或代码，如 天河区 / 440106001000")},
        ),
    )
    address = forms.CharField(
        label=_("详细地址"), required=False, max_length=200, widget=forms.TextInput(TEXT)
    )
    category = CategoryField(
        label=_("分类"), queryset=Category.objects.none(), widget=forms.Select(SELECT)
    )
    title = forms.CharField(label=_("标题"), max_length=100, widget=forms.TextInput(TEXT))
    request = forms.CharField(label=_("诉求"), widget=forms.Textarea({**TEXT, "rows": 3}))
    facts = forms.CharField(
        label=_("事实和理由"), required=False, widget=forms.Textarea({**TEXT, "rows": 3})
    )
    urgency = forms.ChoiceField(
        label=_("紧急程度"), choices=Urgency.choices, widget=forms.Select(SELECT)
    )
    anonymous = forms.BooleanField(
        label=_("匿名（仅限网上投诉）"),
        required=False,
        widget=forms.CheckboxInput({"class": "form-check-input"}),
    )
    name = forms.CharField(
        label=_("第一信访人姓名"), required=False, max_length=50, widget=forms.TextInput(TEXT)
    )
    phone = forms.CharField(
        label=_("联系电话"), required=False, max_length=20, widget=forms.TextInput(TEXT)
    )
    id_number = forms.CharField(
        label=_("身份证号"), required=False, max_length=18, widget=forms.TextInput(TEXT)
    )
    others = forms.CharField(
        label=_("其他信访人 / 代表"),
        required=False,
        widget=forms.Textarea({**TEXT, "rows": 3}),
        help_text=_("每行一人：姓名 电话，代表在行末加“代表”，如：王芳 13800001111 代表"),
    )
    people_count = forms.IntegerField(
        label=_("涉及人数"), min_value=1, initial=1, widget=forms.NumberInput(TEXT)
    )
    attachment = forms.FileField(
        label=_("附件（来信扫描件、照片等）"),
        required=False,
        widget=forms.ClearableFileInput({"class": "form-control"}),
    )
    finding_ref = forms.CharField(required=False, widget=forms.HiddenInput)
    review_choice = _review_choice_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _leaf_categories()

    def clean_attachment(self):
        return clean_attachment(self.cleaned_data.get("attachment"))

    def petitioners(self) -> list[dict]:
        data = self.cleaned_data
        rows = [{"name": data["name"], "phone": data["phone"], "id_number": data["id_number"]}]
        for line in (data.get("others") or "").splitlines():
            parts = line.split()
            if not parts:
                continue
            representative = parts[-1] == "代表"
            if representative:
                parts = parts[:-1]
            rows.append(
                {
                    "name": parts[0] if parts else "",
                    "phone": parts[1] if len(parts) > 1 else "",
                    "is_representative": representative,
                }
            )
        return rows


# The forms of a matter's actions (workflow.MATTER): each gets the matter as `subject` and the
# user as `acting_user`, and parses the page's POST and the API's JSON body alike.


class RouteForm(ShegongForm):
    organisation = forms.ModelChoiceField(
        label=_("承办单位"), queryset=Organisation.objects.none(), widget=forms.Select(SELECT)
    )
    note = forms.CharField(label=_("交办意见"), required=False, widget=forms.TextInput(TEXT))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.subject is not None:
            self.fields["organisation"].queryset = selectors.routing_targets(matter=self.subject)
            if not self.is_bound:
                proposal = selectors.routing_proposal(self.subject)
                self.initial.setdefault("organisation", proposal.pk if proposal else None)


class RouteOutForm(ShegongForm):
    procedure = forms.CharField(label=_("法定途径"), max_length=100, widget=forms.TextInput(TEXT))
    notice = forms.CharField(label=_("书面告知内容"), widget=forms.Textarea({**TEXT, "rows": 3}))


class ReasonForm(ShegongForm):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea({**TEXT, "rows": 2}))


class ExtendForm(ShegongForm):
    days = forms.IntegerField(
        label=_("延长天数"), min_value=1, max_value=30, widget=forms.NumberInput(TEXT)
    )
    reason = forms.CharField(
        label=_("延期理由（将告知信访人）"), widget=forms.Textarea({**TEXT, "rows": 2})
    )


class ReplyForm(ShegongForm):
    reply_kind = forms.ChoiceField(
        label=_("处理意见"), choices=ReplyKind.choices, widget=forms.Select(SELECT)
    )
    text = forms.CharField(label=_("处理意见书"), widget=forms.Textarea({**TEXT, "rows": 4}))


class HearingForm(ShegongForm):
    days = forms.IntegerField(
        label=_("听证用时（天）"), min_value=1, max_value=60, widget=forms.NumberInput(TEXT)
    )
    note = forms.CharField(label=_("说明"), required=False, widget=forms.TextInput(TEXT))


class SuperviseForm(ShegongForm):
    due_date = forms.DateField(
        label=_("督办期限"), widget=forms.DateInput({**TEXT, "type": "date"})
    )
    note = forms.CharField(label=_("督办意见"), widget=forms.Textarea({**TEXT, "rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("due_date", timezone.localdate() + timedelta(days=7))


class FollowUpForm(ShegongForm):
    method = forms.ChoiceField(
        label=_("回访方式"), choices=FollowUp.Method.choices, widget=forms.Select(SELECT)
    )
    notes = forms.CharField(label=_("回访记录"), widget=forms.Textarea({**TEXT, "rows": 2}))
    rating = forms.ChoiceField(
        label=_("信访人评价"),
        required=False,
        choices=[("", "—"), *Rating.choices],
        widget=forms.Select(SELECT),
    )


class NoteForm(ShegongForm):
    text = forms.CharField(
        label=_("内部备注（不对外公开）"), widget=forms.Textarea({**TEXT, "rows": 2})
    )


class MergeForm(ShegongForm):
    target = forms.CharField(label=_("并入事项编号"), max_length=24, widget=forms.TextInput(TEXT))

    def clean_target(self):
        number = self.cleaned_data["target"].strip()
        found = selectors.matter_by_number(fetched_by=self.acting_user, number=number)
        if found is None:
            raise forms.ValidationError(_("未找到该编号的事项。"))
        return found


class LeaderForm(ShegongForm):
    leader = forms.ModelChoiceField(
        label=_("包案领导"), queryset=User.objects.none(), widget=forms.Select(SELECT)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.subject is not None:
            self.fields["leader"].queryset = selectors.leaders_for(matter=self.subject)


class MediationStartForm(ShegongForm):
    committee = forms.ModelChoiceField(
        label=_("调解组织"), queryset=Organisation.objects.none(), widget=forms.Select(SELECT)
    )
    mediators = forms.CharField(label=_("调解员"), max_length=200, widget=forms.TextInput(TEXT))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.subject is not None:
            self.fields["committee"].queryset = selectors.mediation_committees(matter=self.subject)


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("日期"), widget=forms.DateInput({**TEXT, "type": "date"}))
    place = forms.CharField(label=_("地点"), required=False, widget=forms.TextInput(TEXT))
    participants = forms.CharField(label=_("参加人员"), widget=forms.TextInput(TEXT))
    record = forms.CharField(label=_("调解记录"), widget=forms.Textarea({**TEXT, "rows": 3}))


class ConcludeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("调解结果"),
        choices=[c for c in Mediation.Outcome.choices if c[0] != "pending"],
        widget=forms.Select(SELECT),
    )
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea({**TEXT, "rows": 2})
    )
    parties = forms.CharField(
        label=_("当事人（每行一位）"), required=False, widget=forms.Textarea({**TEXT, "rows": 2})
    )
    facts = forms.CharField(
        label=_("纠纷事实"), required=False, widget=forms.Textarea({**TEXT, "rows": 2})
    )
    disputed_points = forms.CharField(
        label=_("争议事项"), required=False, widget=forms.Textarea({**TEXT, "rows": 2})
    )
    responsibilities = forms.CharField(
        label=_("各方责任"), required=False, widget=forms.Textarea({**TEXT, "rows": 2})
    )
    terms = forms.CharField(
        label=_("协议内容"), required=False, widget=forms.Textarea({**TEXT, "rows": 3})
    )
    performance_manner = forms.CharField(
        label=_("履行方式"), required=False, widget=forms.TextInput(TEXT)
    )
    performance_deadline = forms.DateField(
        label=_("履行期限"), required=False, widget=forms.DateInput({**TEXT, "type": "date"})
    )
    agreement_form = forms.ChoiceField(
        label=_("协议形式"),
        required=False,
        choices=MediationAgreement.Form.choices,
        initial=MediationAgreement.Form.WRITTEN,
        widget=forms.Select(SELECT),
    )
    content = forms.CharField(
        label=_("口头协议内容（口头协议必填）"),
        required=False,
        widget=forms.Textarea({**TEXT, "rows": 2}),
    )


class PublicForm(ReviewChoiceMixin, ShegongForm):
    """The public online form (no login: the region is resolved in the whole country).
    `website` is a honeypot; `token` a signed timestamp."""

    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[(k, v) for k, v in Kind.choices if k != Kind.DISPUTE],
        widget=forms.Select(SELECT),
    )
    category = CategoryField(
        label=_("分类"), queryset=Category.objects.none(), widget=forms.Select(SELECT)
    )
    region = RegionField(
        label=_("事发地（街道/社区）"),
        levels=COUNTY_AND_BELOW,
        suggest_url="petitions:public_regions",
        widget=RegionInput(
            suggest_url="petitions:public_regions",
            levels=COUNTY_AND_BELOW,
            attrs={**TEXT, "placeholder": _("输入街道或社区名称，从列表中选择")},
        ),
    )
    address = forms.CharField(
        label=_("详细地址"), required=False, max_length=200, widget=forms.TextInput(TEXT)
    )
    title = forms.CharField(label=_("标题"), max_length=100, widget=forms.TextInput(TEXT))
    request = forms.CharField(
        label=_("您的诉求"), max_length=4000, widget=forms.Textarea({**TEXT, "rows": 4})
    )
    facts = forms.CharField(
        label=_("事实和理由"),
        required=False,
        max_length=4000,
        widget=forms.Textarea({**TEXT, "rows": 3}),
    )
    anonymous = forms.BooleanField(
        label=_("匿名投诉（仅投诉可匿名）"),
        required=False,
        widget=forms.CheckboxInput({"class": "form-check-input"}),
    )
    name = forms.CharField(
        label=_("姓名"), required=False, max_length=50, widget=forms.TextInput(TEXT)
    )
    phone = forms.RegexField(
        label=_("手机号（用于查询进度）"),
        regex=r"^1\d{10}$",
        error_messages={"invalid": _("请填写 11 位手机号。")},
        widget=forms.TextInput({**TEXT, "inputmode": "numeric"}),
    )
    website = forms.CharField(
        required=False, widget=forms.TextInput({"tabindex": "-1", "autocomplete": "off"})
    )
    token = forms.CharField(widget=forms.HiddenInput)
    review_choice = _review_choice_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _leaf_categories()


class TrackForm(forms.Form):
    number = forms.CharField(label=_("登记编号"), max_length=24, widget=forms.TextInput(TEXT))
    suffix = forms.CharField(
        label=_("手机号后四位"),
        max_length=4,
        widget=forms.TextInput({**TEXT, "inputmode": "numeric"}),
    )


class PublicRateForm(TrackForm):
    rating = forms.ChoiceField(label=_("评价"), choices=Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("意见"), required=False, max_length=200, widget=forms.TextInput(TEXT)
    )


class RoutingRuleForm(forms.Form):
    category = CategoryField(
        label=_("分类"),
        queryset=Category.objects.select_related("parent").order_by("order", "code"),
        widget=forms.Select(SELECT),
    )
    level = forms.TypedChoiceField(
        label=_("办理层级"), coerce=int, choices=Tier.choices, widget=forms.Select(SELECT)
    )
    org_kind = forms.ChoiceField(label=_("责任单位类型"), choices=(), widget=forms.Select(SELECT))
    sector = forms.ChoiceField(
        label=_("职能领域"), required=False, choices=(), widget=forms.Select(SELECT)
    )
    statutory_procedure = forms.CharField(
        label=_("法定途径提示"), required=False, max_length=200, widget=forms.TextInput(TEXT)
    )

    def __init__(self, *args, **kwargs):
        from shegong.orgs.models import Kind as OrgKind
        from shegong.orgs.models import Sector

        super().__init__(*args, **kwargs)
        self.fields["org_kind"].choices = OrgKind.choices
        self.fields["sector"].choices = Sector.choices


class MediationSessionForm(ShegongForm, SessionForm):
    """A mediation session, as the form of the mediation's `session` transition (the
    mediation is the `subject`: a session cannot predate its start)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.subject is not None:
            self.fields["held_on"].widget.attrs["min"] = self.subject.started_on.isoformat()

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if self.subject is not None and held_on < self.subject.started_on:
            raise forms.ValidationError(
                _("调解会日期不能早于调解开始日期（%s）。") % self.subject.started_on.isoformat()
            )
        return held_on


class ConsentForm(forms.Form):
    side = forms.ChoiceField(
        label=_("当事人一方"), choices=MediationConsent.Side.choices, widget=forms.Select(SELECT)
    )
    party = forms.CharField(label=_("当事人"), max_length=100, widget=forms.TextInput(TEXT))
    given_on = forms.DateField(
        label=_("表示日期"), widget=forms.DateInput({**TEXT, "type": "date"})
    )
    method = forms.ChoiceField(
        label=_("表示方式"), choices=MediationConsent.Method.choices, widget=forms.Select(SELECT)
    )
    note = forms.CharField(label=_("说明"), required=False, widget=forms.TextInput(TEXT))


class MediationConsentForm(ShegongForm, ConsentForm):
    """A party's consent or refusal, as the form of the mediation's consent/refuse transitions
    (the decision is the transition itself)."""


class MediationConcludeForm(ShegongForm, ConcludeForm):
    """The end of a mediation, as the form of its agreement/fail/withdraw transitions (the
    outcome is the transition itself)."""

    outcome = None


class ConfirmationForm(ShegongForm):
    """Whether the parties chose to apply for court confirmation (人民调解法 Art. 33)."""

    choice = forms.ChoiceField(
        label=_("当事人是否申请司法确认"),
        choices=[
            (ConfirmationChoice.APPLY, ConfirmationChoice.APPLY.label),
            (ConfirmationChoice.DECLINE, ConfirmationChoice.DECLINE.label),
        ],
        widget=forms.Select({"class": "form-select form-select-sm"}),
    )


class RatingReviewCloseForm(ShegongForm):
    outcome = forms.ChoiceField(
        label=_("复核结果"),
        choices=RatingReview.Outcome.choices,
        widget=forms.Select({"class": "form-select"}),
    )
    note = forms.CharField(label=_("复核意见"), widget=forms.Textarea({**TEXT, "rows": 2}))

    def __init__(self, *args, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review
