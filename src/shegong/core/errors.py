"""Application errors: one shape for forms, htmx fragments and API bodies."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError


class ApplicationError(Exception):
    """A business rule was broken; the message is for a person (Chinese, translatable)."""

    status_code = 400

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str = "invalid",
        details: dict | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        # What an API client needs beyond the sentence to act on it (e.g. the earlier matter and
        # the choices offered); added to the error item as it is.
        self.details = details or {}

    def as_validation_error(self) -> ValidationError:
        if self.field:
            return ValidationError({self.field: [ValidationError(self.message, code=self.code)]})
        return ValidationError(self.message, code=self.code)


class NotPermitted(PermissionDenied):
    """The user's role does not allow this action inside the jurisdiction."""


def error_items(exc: Exception) -> list[dict[str, str]]:
    """`[{"field": ..., "reason": ...}]` for any validation-like exception."""
    if isinstance(exc, ApplicationError):
        return [{"field": exc.field or "__all__", "reason": str(exc.message), **exc.details}]
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return [
                {"field": "__all__" if field == NON_FIELD_ERRORS else field, "reason": str(msg)}
                for field, errors in exc.message_dict.items()
                for msg in errors
            ]
        return [{"field": "__all__", "reason": str(m)} for m in exc.messages]
    return [{"field": "__all__", "reason": str(exc)}]


def apply_to_form(form, exc: Exception, *, fields: dict[str, str] | None = None) -> None:
    """Put a service's error next to the form field it concerns (`fields` renames a service's
    field to the form's, where they differ)."""
    for item in error_items(exc):
        field = (fields or {}).get(item["field"], item["field"])
        form.add_error(field if field in form.fields else None, item["reason"])
