from __future__ import annotations

from django import forms

from shegong.core.forms import ShegongForm
from shegong.inbox.models import Channel, Notification


def field_name(kind: str, channel: str) -> str:
    return f"{kind}__{channel}"


class ChannelPreferenceForm(ShegongForm):
    """One tick box per kind of notification and channel in service: receive this kind also by
    this channel (the inbox always receives everything)."""

    def __init__(self, *args, channels: list[str], initial_choices: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.channels = [c for c in Channel if c in channels]
        for kind in Notification.Kind:
            for channel in self.channels:
                self.fields[field_name(kind, channel)] = forms.BooleanField(
                    label=f"{kind.label} · {channel.label}",
                    required=False,
                    initial=initial_choices.get((str(kind), str(channel)), False),
                )

    def rows(self):
        """(kind label, [bound field per channel]) for the table."""
        return [
            (kind.label, [self[field_name(kind, c)] for c in self.channels])
            for kind in Notification.Kind
        ]

    def chosen(self) -> set[tuple[str, str]]:
        return {
            (str(kind), str(channel))
            for kind in Notification.Kind
            for channel in self.channels
            if self.cleaned_data.get(field_name(kind, channel))
        }
