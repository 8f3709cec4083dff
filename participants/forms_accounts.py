"""The form of «Доступ родителя»: who the parent is and where the letter goes; the service decides the rest."""

from __future__ import annotations

from django import forms


class GuardianAccessForm(forms.Form):
    """The parent's (legal representative's) full name and e-mail, for their account and the letter."""

    full_name = forms.CharField(
        label="ФИО родителя (законного представителя)",
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text="Например, Сидорова Ольга Николаевна. Если у родителя уже есть учётная запись с этой почтой, "
        "доступ добавится к ней.",
    )
    email = forms.EmailField(
        label="Электронная почта родителя",
        max_length=150,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "inputmode": "email"}),
        help_text="На неё придёт письмо со ссылкой, чтобы задать пароль.",
    )
