"""Forms of contact: they parse input; the rules are in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shegong.contact import selectors
from shegong.contact.models import Invitation, Meeting
from shegong.core.attachments import clean_attachment
from shegong.core.forms import DATE, ShegongForm


class MeetingForm(ShegongForm):
    kind = forms.ChoiceField(label=_("会议类型"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("会议名称"), max_length=200)
    held_on = forms.DateField(label=_("会议日期"), widget=DATE)
    place = forms.CharField(label=_("会议地点"), max_length=200)
    agenda = forms.CharField(label=_("议程"), widget=forms.Textarea({"rows": 4}), required=False)


class InviteForm(ShegongForm):
    kind = forms.ChoiceField(label=_("受邀人类型"), choices=Invitation.Kind.choices)
    user = forms.ModelChoiceField(label=_("平台用户"), queryset=None, required=False)
    volunteer = forms.ModelChoiceField(label=_("志愿者"), queryset=None, required=False)
    organisation = forms.ModelChoiceField(label=_("组织联系人"), queryset=None, required=False)
    resident = forms.ModelChoiceField(label=_("居民"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.acting_user
        self.fields["user"].queryset = selectors.invitee_accounts(fetched_by=user)
        self.fields["volunteer"].queryset = selectors.invitee_volunteers(fetched_by=user)
        self.fields["organisation"].queryset = selectors.invitee_organisations(fetched_by=user)
        self.fields["resident"].queryset = selectors.invitee_residents(fetched_by=user)

    FIELD_OF = {
        Invitation.Kind.ACCOUNT: "user",
        Invitation.Kind.VOLUNTEER: "volunteer",
        Invitation.Kind.ORGANISATION: "organisation",
        Invitation.Kind.RESIDENT: "resident",
    }

    def clean(self):
        data = super().clean()
        field = self.FIELD_OF.get(data.get("kind"))
        if field and not data.get(field) and field not in self.errors:
            self.add_error(field, _("请选择受邀人。"))
        return data

    def service_inputs(self) -> dict:
        kind = self.cleaned_data["kind"]
        return {"kind": kind, "reference": self.cleaned_data[self.FIELD_OF[kind]]}


class AttendanceForm(ShegongForm):
    present = forms.TypedMultipleChoiceField(
        label=_("出席人"),
        coerce=int,
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, invitations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(i.pk, i.display_name) for i in invitations]
        self.fields["present"].initial = [i.pk for i in invitations if i.attended]


class ItemForm(ShegongForm):
    raised_by = forms.TypedChoiceField(label=_("反映人"), coerce=int, choices=())
    text = forms.CharField(label=_("反映内容"), widget=forms.Textarea({"rows": 3}))
    consent_publish = forms.BooleanField(label=_("同意随会议摘要公开答复"), required=False)

    def __init__(self, *args, invitations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.invitations = {i.pk: i for i in invitations}
        self.fields["raised_by"].choices = [(i.pk, i.display_name) for i in invitations]

    def service_inputs(self) -> dict:
        data = dict(self.cleaned_data)
        data["raiser"] = self.invitations[data.pop("raised_by")]
        return data


class MinutesForm(ShegongForm):
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea({"rows": 6}))
    summary = forms.CharField(
        label=_("公开摘要"),
        widget=forms.Textarea({"rows": 3}),
        required=False,
        help_text=_("随会议摘要公开；同意公开的答复会列在摘要之后。"),
    )
    attachment = forms.FileField(label=_("附件（签到表、纪要扫描件等）"), required=False)

    def clean_attachment(self):
        return clean_attachment(self.cleaned_data.get("attachment"))


class CancelForm(ShegongForm):
    reason = forms.CharField(label=_("取消原因"), widget=forms.Textarea({"rows": 2}))


class AssignForm(ShegongForm):
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=None)
    due_days = forms.IntegerField(
        label=_("办理时限（工作日）"), min_value=1, max_value=60, initial=15
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = self.subject.meeting if self.subject is not None else None
        self.fields["unit"].queryset = (
            selectors.responsible_units(fetched_by=self.acting_user, meeting=meeting)
            if meeting is not None
            else selectors.Organisation.objects.none()
        )


class AnswerForm(ShegongForm):
    answer = forms.CharField(label=_("答复内容"), widget=forms.Textarea({"rows": 4}))


class ConvertForm(ShegongForm):
    kind = forms.ChoiceField(
        label=_("事项类型"),
        choices=[("dispute", _("矛盾纠纷")), ("petition", _("信访")), ("request", _("求助建议"))],
    )
    category = forms.ModelChoiceField(label=_("事项分类"), queryset=None)

    def __init__(self, *args, **kwargs):
        from shegong.petitions.selectors import leaf_categories

        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = leaf_categories()
