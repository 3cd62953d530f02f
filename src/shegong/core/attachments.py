"""Files attached to a record (a matter's letter scan, a directive's documents, a progress
report's evidence): one size rule for every form and service, and the fields every attachment
model shares (`AttachedFile`; each app keeps its own table and upload folder)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def attachment_problem(upload) -> str | None:
    """Why this upload cannot be attached (None: it can, or there is none)."""
    if upload and upload.size > MAX_ATTACHMENT_BYTES:
        return _("附件不能超过 20 MB。")  # MAX_ATTACHMENT_BYTES
    return None


def check_attachment(upload, field: str = "attachment") -> None:
    """The services' check: a ValidationError on `field` when the upload cannot be attached."""
    problem = attachment_problem(upload)
    if problem:
        raise ValidationError({field: problem})


def clean_attachment(upload):
    """A form's `clean_<field>`: the same rule, as the field's error."""
    from django import forms

    problem = attachment_problem(upload)
    if problem:
        raise forms.ValidationError(problem)
    return upload


class AttachedFile(models.Model):
    """The fields of every attachment; a subclass adds its record and its `file` folder."""

    name = models.CharField(gettext_lazy("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(gettext_lazy("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name
