"""Forms of monitoring's pages: they bind and check input; every write goes through ``services``."""

from __future__ import annotations

from typing import Any

from django import forms

from .choices import IndicatorCode, ManualIndicator, PeriodKind

YEAR_FIELD = {"min_value": 2019, "max_value": 2100, "label": "Год"}


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label="Показатель", choices=IndicatorCode.choices)
    year = forms.IntegerField(**YEAR_FIELD, help_text="Календарный год; относится к учебному году, начатому в нём.")
    value = forms.DecimalField(label="Целевое значение (не менее)", min_value=0, max_digits=9, decimal_places=2)
    source = forms.CharField(
        label="Основание", required=False, max_length=500, help_text="Например: приказ № 38 от 24.02.2021."
    )


class IndicatorValueForm(forms.Form):
    indicator = forms.ChoiceField(label="Показатель", choices=ManualIndicator.choices)
    year = forms.IntegerField(**YEAR_FIELD)
    period = forms.ChoiceField(label="Отчётный период", choices=PeriodKind.choices)
    value = forms.IntegerField(
        label="Значение", min_value=0, max_value=100_000, help_text="Нарастающим итогом с начала учебного года."
    )
    evidence = forms.CharField(
        label="Подтверждение",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text="Документ, отчёт или публикация: название, номер, дата.",
    )
    evidence_url = forms.URLField(
        label="Ссылка на подтверждение", required=False, max_length=1000, assume_scheme="https"
    )


class ReportSubmitForm(forms.Form):
    year = forms.IntegerField(**YEAR_FIELD)
    period = forms.ChoiceField(label="Отчётный период", choices=PeriodKind.choices)
    comment = forms.CharField(
        label="Комментарий", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ReportDecisionForm(forms.Form):
    comment = forms.CharField(
        label="Комментарий", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args: Any, comment_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if comment_required:
            # Only the hint: the service refuses a return without a comment, in its own words, on this field.
            self.fields["comment"].help_text = "Обязательно: что исправить."
