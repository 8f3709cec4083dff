"""The forms of two-factor log-in: one field for a code, from the app or a recovery code."""

from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Код подтверждения",
        max_length=20,
        help_text="6 цифр из приложения-аутентификатора или один из резервных кодов.",
        error_messages={"required": "Введите код."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class AppCodeForm(CodeForm):
    """At set-up only the app's code will do: it proves the app was paired."""

    code = forms.CharField(
        label="Код из приложения",
        max_length=10,
        help_text="6 цифр, которые показывает приложение после добавления учётной записи.",
        error_messages={"required": "Введите код из приложения."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}),
    )
