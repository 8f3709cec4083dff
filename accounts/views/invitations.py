"""The invitation pages: «Приглашения» (the pending ones, sent again or withdrawn), «Пригласить», and the
page the letter's link opens, where the invited person sets a password (or logs in) and takes up the role."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from mentorship.errors import DomainError
from mentorship.forms import SUBMISSION_FIELD
from mentorship.selectors import place_label
from mentorship.views.generic import ButtonView, CreateActionView, ObjectListView

from ..forms_invitations import AcceptExistingAccountForm, AcceptNewAccountForm, InvitationForm
from ..models import Invitation
from ..services import invitations as services


class InvitationListView(ObjectListView):
    """The pending invitations of the places where the viewer may grant their roles."""

    model = Invitation
    template_name = "accounts/invitations/invitation_list.html"
    title = "Приглашения"
    search_fields = ("email", "last_name", "first_name")

    def base_queryset(self) -> QuerySet:
        return (
            self.restricted("view")
            .filter(accepted_at__isnull=True, withdrawn_at__isnull=True)
            .select_related("region", "municipality", "organisation__municipality", "invited_by")
            .order_by("-created_at", "-pk")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        for invitation in context["object_list"]:
            # Each button is a form of its own, with its own one-time token.
            invitation.resend_token, invitation.withdraw_token = uuid.uuid4(), uuid.uuid4()
            invitation.place_label = place_label(invitation.place)
        context["submission_field"] = SUBMISSION_FIELD
        return context


class InvitationCreateView(CreateActionView):
    """«Пригласить»: the letter goes to the address once the invitation is saved."""

    model = Invitation
    add_model = Invitation
    form_class = InvitationForm
    heading = "Пригласить"
    button = "Отправить приглашение"
    note = (
        "Человек получит письмо со ссылкой, задаст пароль и войдёт на портал уже с этой ролью. "
        "Если у него есть учётная запись с этим адресом, роль будет добавлена к ней."
    )

    @property
    def success_message(self) -> str:
        return f"Приглашение отправлено на адрес {self.object.email}."

    def perform(self, form: InvitationForm) -> Invitation:
        data = form.cleaned_data
        return services.invitation_create(
            actor=self.request.user,
            email=data["email"],
            last_name=data["last_name"],
            first_name=data["first_name"],
            patronymic=data["patronymic"],
            position=data["position"],
            role=data["role"],
            place=data["place_object"],
            request=self.request,
        )

    def back_url(self) -> str:
        return reverse("accounts:invitation_list")


class InvitationResendView(ButtonView):
    """«Отправить снова»: a new link with a new expiry; the old link stops working."""

    model = Invitation

    @property
    def success_message(self) -> str:
        return f"Приглашение отправлено снова на адрес {self.target.email}; прежняя ссылка больше не действует."

    def perform(self, form: Form) -> Invitation:
        return services.invitation_resend(actor=self.request.user, invitation=self.target, request=self.request)

    def back_url(self) -> str:
        return reverse("accounts:invitation_list")


class InvitationWithdrawView(ButtonView):
    """«Отозвать»: the link stops working."""

    model = Invitation

    @property
    def success_message(self) -> str:
        return f"Приглашение для {self.target.email} отозвано."

    def perform(self, form: Form) -> Invitation:
        return services.invitation_withdraw(actor=self.request.user, invitation=self.target)

    def back_url(self) -> str:
        return reverse("accounts:invitation_list")


def _invalid(request: HttpRequest) -> HttpResponse:
    # One page, one status for a wrong, used, withdrawn or expired link: nothing tells which.
    return render(request, "accounts/invitations/invalid.html", status=404)


@method_decorator([never_cache, sensitive_post_parameters()], name="dispatch")
class InvitationAcceptView(View):
    """The page of the letter's link: whom it is for and the role; a password to set (or to log in with)."""

    template_name = "accounts/invitations/accept.html"

    def form_for(self, invitation: Invitation, data: Any = None) -> Form:
        if services.existing_account(invitation) is not None:
            return AcceptExistingAccountForm(invitation, data)
        return AcceptNewAccountForm(invitation, data)

    def page(self, request: HttpRequest, invitation: Invitation, form: Form) -> HttpResponse:
        context = {"invitation": invitation, "place": place_label(invitation.place), "form": form}
        return render(request, self.template_name, context)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        invitation = services.invitation_for_token(token)
        if invitation is None:
            return _invalid(request)
        return self.page(request, invitation, self.form_for(invitation))

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        if services.accepted_by(token, request.user):
            # The same form posted twice: the first post has done everything.
            return HttpResponseRedirect(reverse("home"))
        invitation = services.invitation_for_token(token)
        if invitation is None:
            return _invalid(request)
        form = self.form_for(invitation, request.POST)
        if not form.is_valid():
            return self.page(request, invitation, form)
        try:
            user = services.invitation_accept(token=token, password=form.chosen_password(), request=request)
        except services.InvitationInvalid:
            return _invalid(request)
        except DomainError as exc:
            field = "new_password1" if exc.field == "password" and "new_password1" in form.fields else exc.field
            form.add_error(field if field in form.fields else None, exc.message)
            return self.page(request, invitation, form)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Приглашение принято: {invitation.get_role_display()}, {invitation.place}.")
        return HttpResponseRedirect(reverse("home"))
