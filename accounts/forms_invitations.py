"""Forms of the invitation pages: «Пригласить» and the acceptance of an invitation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm

from mentorship import access
from mentorship.choices import ROLE_LEVELS, Level, Role
from mentorship.models import Municipality, Organisation, Region, User
from mentorship.selectors import place_label

from .models import Invitation

LEVEL_MODELS = {Level.REGION: Region, Level.MUNICIPALITY: Municipality, Level.ORGANISATION: Organisation}
LEVEL_GROUPS = {
    Level.REGION: "Регион",
    Level.MUNICIPALITY: "Муниципалитеты",
    Level.ORGANISATION: "Образовательные организации",
}
PLACE_GENITIVE = {
    Level.REGION: "регион",
    Level.MUNICIPALITY: "муниципалитет",
    Level.ORGANISATION: "образовательную организацию",
}


class InvitationForm(forms.Form):
    """Whom to invite, to which role and where: the roles and places the user may grant."""

    last_name = forms.CharField(label="Фамилия", max_length=150)
    first_name = forms.CharField(label="Имя", max_length=150)
    patronymic = forms.CharField(label="Отчество", max_length=150, required=False)
    email = forms.EmailField(label="Электронная почта", help_text="На этот адрес придёт письмо со ссылкой.")
    position = forms.CharField(label="Должность", max_length=255, required=False)
    role = forms.ChoiceField(label="Роль")
    place = forms.ChoiceField(label="Где", help_text="Место уровня роли: регион, муниципалитет или школа.")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        roles = access.roles_grantable(user)
        self.fields["role"].choices = [("", "—"), *((role, Role(role).label) for role in roles)]
        self.places: dict[str, Any] = {}
        groups: dict[Level, list[tuple[str, str]]] = {level: [] for level in Level}
        for role in roles:
            level = ROLE_LEVELS[role]
            queryset = access.places_for_role(user, role)
            if level == Level.ORGANISATION:
                queryset = queryset.select_related("municipality").order_by("municipality__name", "short_name")
            else:
                queryset = queryset.order_by("name")
            for place in queryset:
                key = f"{level.value}:{place.pk}"
                if key not in self.places:
                    self.places[key] = place
                    groups[level].append((key, place_label(place)))
        self.fields["place"].choices = [("", "—")] + [
            (LEVEL_GROUPS[level], options) for level, options in groups.items() if options
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        role, key = cleaned.get("role"), cleaned.get("place")
        if not role or not key:
            return cleaned
        place = self.places[key]
        level = ROLE_LEVELS[role]
        if not isinstance(place, LEVEL_MODELS[level]):
            self.add_error("place", f"Для роли «{Role(role).label}» выберите {PLACE_GENITIVE[level]}.")
        elif not access.may_grant(self.user, role, place):
            self.add_error("place", f"Назначать роль «{Role(role).label}» здесь вам не разрешено.")
        else:
            cleaned["place_object"] = place
        return cleaned


class AcceptNewAccountForm(SetPasswordForm):
    """The password of the new account (Django's own form: the password validators apply)."""

    def __init__(self, invitation: Invitation, *args: Any, **kwargs: Any) -> None:
        user = User(
            username=invitation.email,
            email=invitation.email,
            first_name=invitation.first_name,
            last_name=invitation.last_name,
        )
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = "Пароль"
        self.fields["new_password2"].label = "Пароль ещё раз"

    def chosen_password(self) -> str:
        return self.cleaned_data["new_password1"]


class AcceptExistingAccountForm(forms.Form):
    """The password of the account the address already has: the role is added to it."""

    password = forms.CharField(
        label="Пароль вашей учётной записи",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="У вас уже есть учётная запись с этим адресом: роль будет добавлена к ней.",
    )

    def __init__(self, invitation: Invitation, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def chosen_password(self) -> str:
        return self.cleaned_data["password"]
