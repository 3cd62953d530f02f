"""The one form field for a region typed by a person, with its suggestion list."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shegong.regions.models import Region
from shegong.regions.selectors import region_resolve


class RegionInput(forms.TextInput):
    """A text box whose suggestions (a <datalist>) are fetched by htmx as the person types."""

    template_name = "regions/widgets/region_input.html"

    def __init__(self, *, suggest_url: str, levels: Iterable[int] | None, attrs=None):
        super().__init__(attrs={"autocomplete": "off", **(attrs or {})})
        self.suggest_url = suggest_url
        self.levels = tuple(levels) if levels is not None else None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if isinstance(value, Region):
            context["widget"]["value"] = value.code
        widget_attrs = context["widget"]["attrs"]
        list_id = f"{widget_attrs.get('id') or name}-options"
        query = f"?field={name}"
        if self.levels:
            query += "&levels=" + ",".join(str(level) for level in self.levels)
        widget_attrs.update(
            {
                "list": list_id,
                "hx-get": reverse(self.suggest_url) + query,
                "hx-trigger": "input changed delay:300ms",
                "hx-target": f"#{list_id}",
                "hx-swap": "innerHTML",
            }
        )
        context["widget"]["list_id"] = list_id
        return context


class RegionField(forms.CharField):
    """Cleans to a `Region` inside the form's `acting_user`'s jurisdiction (or `within`), at
    one of `levels`. A form without an acting user (a public form) resolves in the whole
    country, or under `within`."""

    default_help_text = _("输入区划代码或名称，从提示中选择")

    def __init__(
        self,
        *,
        levels: Iterable[int] | None = None,
        within: str | None = None,
        suggest_url: str = "regions:suggest",
        **kwargs: Any,
    ) -> None:
        self.levels = tuple(levels) if levels is not None else None
        self.within = within
        self.fetched_by = None
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("help_text", self.default_help_text)
        kwargs.setdefault("widget", RegionInput(suggest_url=suggest_url, levels=self.levels))
        super().__init__(**kwargs)

    def bind_to_user(self, user: Any) -> None:
        self.fetched_by = user

    def prepare_value(self, value):
        return value.code if isinstance(value, Region) else value

    def to_python(self, value):
        if isinstance(value, Region):
            return value
        return super().to_python(value)

    def clean(self, value) -> Region | None:
        if isinstance(value, Region):
            return value
        text = self.to_python(value)
        self.validate(text)
        self.run_validators(text)
        if not text:
            return None
        try:
            return region_resolve(
                text, fetched_by=self.fetched_by, within=self.within, levels=self.levels
            )
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["region"]) from None
