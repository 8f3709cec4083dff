"""The password reset letter, sent by a Celery task rather than while the visitor waits.

Django's ``PasswordResetForm`` sends the letter inside the request, so an address with an account
answers as late as the mail server makes it, and one without answers at once: the delay tells
whether the account exists. The form here only queues the user's id (``accounts.tasks``); the
worker makes the link (uid and token, as Django does) and sends it. The token never passes
through the broker.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template import loader
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from mentorship.models import User

SUBJECT_TEMPLATE = "registration/password_reset_subject.txt"
BODY_TEMPLATE = "registration/password_reset_email.html"


def password_set_path(user: User) -> str:
    """The path of the page where ``user`` sets a new password (Django's reset link, valid PASSWORD_RESET_TIMEOUT)."""
    uid, token = _link_parts(user)
    return reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


def _link_parts(user: User) -> tuple[str, str]:
    return urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)


def password_reset_letter_send(*, user_id: int, domain: str, use_https: bool) -> bool:
    """Send the reset letter to the account ``user_id``; False when it can no longer reset (gone, off)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password() or not user.email:
        return False
    uid, token = _link_parts(user)
    context = {
        "email": user.email,
        "domain": domain,
        "site_name": domain,
        "uid": uid,
        "user": user,
        "token": token,
        "protocol": "https" if use_https else "http",
    }
    subject = "".join(loader.render_to_string(SUBJECT_TEMPLATE, context).splitlines())
    body = loader.render_to_string(BODY_TEMPLATE, context)
    EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()
    return True
