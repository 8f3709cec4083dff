"""«Пользователи»: the users a person administers, their cards, and the roles granted and taken there.

Who may open these pages is ``access.may_administer_users`` (someone who may grant some role);
a user is reached only through the role assignments the viewer sees, so anyone else's id answers
404. Every write goes through a service: ``role_assign`` / ``role_revoke`` (mentorship), the
account switched off and on (``accounts.services.users``), a duty handed over (its app's service).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.generic import TemplateView

from mentorship import access
from mentorship import services as core_services
from mentorship.models import RoleAssignment, User
from mentorship.views.generic import ActionView, ObjectListView, enforce

from .. import handover, selectors
from ..filters import UserFilter
from ..forms import HandoverForm, RoleChoiceForm, RoleGrantForm
from ..services import users as services


class AdministersUsersMixin:
    """The users' pages answer 403 to anyone who may grant no role anywhere."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        enforce(services.users_ensure_administrator, request.user)
        return super().dispatch(request, *args, **kwargs)


def card_url(user: User) -> str:
    return reverse("accounts:user", args=[user.pk])


class UserListView(AdministersUsersMixin, ObjectListView):
    """«Пользователи»: whoever holds a role at the viewer's places and below, with those roles."""

    model = User
    template_name = "accounts/users/user_list.html"
    title = "Пользователи"
    paginate_by = 50
    search_fields = ("last_name", "first_name", "patronymic", "email", "username")
    filterset_class = UserFilter

    def base_queryset(self) -> Any:
        return selectors.users_administered(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        users = list(context["object_list"])
        roles = selectors.roles_of(viewer=self.request.user, user_ids=[u.pk for u in users])
        context["rows"] = [(u, roles.get(u.pk, [])) for u in users]
        return context


class UserCardView(AdministersUsersMixin, LoginRequiredMixin, TemplateView):
    """A user's card: who they are, their roles (with «Снять роль»), «Назначить роль», what they answer for."""

    template_name = "accounts/users/user_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        viewer = self.request.user
        person = selectors.user_administered(user=viewer, pk=self.kwargs["pk"])
        context = super().get_context_data(**kwargs)
        context.update(
            title=person.get_full_name(),
            person=person,
            roles=selectors.user_roles(viewer=viewer, user=person),
            role_form=RoleChoiceForm(user=viewer),
            history=selectors.role_history(viewer=viewer, user=person),
            duties=handover.duties_of(person, viewer),
            may_switch=access.may_deactivate(viewer, person),
            is_self=person.pk == viewer.pk,
        )
        return context


class UserActionView(AdministersUsersMixin, ActionView):
    """A form about the user in the URL (found among those the viewer administers, else 404)."""

    model = User
    template_name = "accounts/users/user_action.html"
    form_class = Form
    form_takes_user = False

    def get_target(self) -> User:
        return selectors.user_administered(user=self.request.user, pk=self.kwargs["pk"])

    def back_url(self) -> str:
        return card_url(self.target)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"title": f"{self.heading}: {self.target.get_full_name()}"}


class RoleGrantView(UserActionView):
    """«Назначить роль», second step: the role chosen on the card (``?role=``), the place picked here."""

    form_class = RoleGrantForm
    form_takes_user = True
    template_name = "accounts/users/role_grant.html"
    heading = "Назначение роли"
    button = "Назначить"

    @property
    def role(self) -> str:
        # The address names the role the places are offered for; a posted role must be the same.
        return self.request.GET.get("role", "")

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"role": self.role}

    @property
    def success_message(self) -> str:
        return f"Роль назначена: {self.target.get_full_name()}."

    def perform(self, form: RoleGrantForm) -> RoleAssignment:
        return core_services.role_assign(
            actor=self.request.user,
            user=self.target,
            role=form.cleaned_data["role"],
            place=form.cleaned_data["place"],
            request=self.request,
        )


class RoleRevokeView(AdministersUsersMixin, ActionView):
    """«Снять роль», with a confirmation: only an assignment the viewer may revoke (403 for one seen only)."""

    model = RoleAssignment
    action = "revoke"
    select_related = ("user", *selectors.PLACE_JOINS)
    form_class = Form
    form_takes_user = False
    template_name = "accounts/users/user_action.html"
    heading = "Снятие роли"
    button = "Снять роль"
    button_class = "btn-danger"
    success_message = "Роль снята."

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        assignment = self.target
        context.update(
            title=f"Снять роль: {assignment.user.get_full_name()}",
            warning=(
                f"Будет снята роль «{assignment.get_role_display()}»: {selectors.place_label(assignment.place)}. "
                "Пользователь потеряет доступ к данным этого места."
            ),
        )
        return context

    def perform(self, form: Form) -> None:
        core_services.role_revoke(actor=self.request.user, assignment=self.target, request=self.request)

    def back_url(self) -> str:
        return card_url(self.target.user)

    def get_success_url(self) -> str:
        # The last role the viewer saw gone, the user is no longer theirs: back to the list.
        still = selectors.users_administered(user=self.request.user).filter(pk=self.target.user_id).exists()
        return self.back_url() if still else reverse("accounts:users")


class UserSwitchView(UserActionView):
    """«Отключить учётную запись» / «Включить снова», with a confirmation."""

    active = False

    def get_target(self) -> User:
        user = super().get_target()
        enforce(services.user_ensure_may_switch, self.request.user, user)
        return user

    @property
    def heading(self) -> str:
        return "Включение учётной записи" if self.active else "Отключение учётной записи"

    @property
    def button(self) -> str:
        return "Включить снова" if self.active else "Отключить учётную запись"

    @property
    def button_class(self) -> str:
        return "btn-primary" if self.active else "btn-danger"

    @property
    def warning(self) -> str:
        if self.active:
            return ""
        return (
            "Пользователь больше не сможет войти, его открытые сеансы перестанут работать сразу. Учётная запись "
            "не удаляется: роли, история, приказы и пункты дорожных карт остаются за ним. Перед отключением "
            "передайте его пары и пункты дорожных карт другим (список — на карточке пользователя)."
        )

    @property
    def note(self) -> str:
        return "Пользователь снова сможет войти с прежними ролями." if self.active else ""

    @property
    def success_message(self) -> str:
        return "Учётная запись включена." if self.active else "Учётная запись отключена."

    def perform(self, form: Form) -> User:
        switch = services.user_activate if self.active else services.user_deactivate
        return switch(actor=self.request.user, user=self.target, request=self.request)


class HandoverView(UserActionView):
    """«Передать другому»: the chosen duties of one kind go to another active user of the same place."""

    form_class = HandoverForm
    template_name = "accounts/users/handover.html"
    heading = "Передать другому"
    button = "Передать"

    def get_target(self) -> User:
        user = super().get_target()
        try:
            self.duty = handover.duty(self.kwargs["key"])
        except KeyError:
            raise Http404("Такого раздела нет.") from None
        if self.duty.transfer is None:
            raise Http404("Этот раздел не передаётся списком.")
        self.rows = [row for row in self.duty.provider(user, self.request.user) if row.transferable]
        return user

    def get_form_kwargs(self) -> dict[str, Any]:
        candidates = selectors.colleagues(viewer=self.request.user, user=self.target)
        return super().get_form_kwargs() | {"rows": self.rows, "candidates": candidates}

    @property
    def success_message(self) -> str:
        # ``run_once`` keeps what the service returned: how many rows were handed over.
        return f"Передано другому: {self.object}."

    def perform(self, form: HandoverForm) -> int:
        return self.duty.transfer(
            actor=self.request.user,
            user=self.target,
            to_user=form.cleaned_data["to_user"],
            pks=form.pks,
            request=self.request,
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"duty": self.duty, "rows": self.rows}
