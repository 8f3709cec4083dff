from __future__ import annotations

from typing import Any

from django import forms

from . import registry


class PreferenceForm(forms.Form):
    """Which reminder topics the user gets, and how; the topics come from the registry."""

    topics = forms.MultipleChoiceField(
        label="Напоминать о",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Снимите отметку, чтобы не получать напоминания этой темы.",
    )
    email_digest = forms.BooleanField(
        label="Присылать ежедневное письмо со сводкой",
        required=False,
        help_text="Одно письмо в день со всеми новыми напоминаниями; нужен адрес электронной почты в профиле.",
    )
    portal = forms.BooleanField(label="Показывать уведомления на портале", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = registry.topic_choices()

    def disabled_topics(self) -> list[str]:
        enabled = set(self.cleaned_data["topics"])
        return [key for key, _ in registry.topic_choices() if key not in enabled]
