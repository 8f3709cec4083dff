"""A parent's (legal representative's) portal account linked to their child under the consent they signed."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from mentorship import access
from mentorship.errors import DomainError
from participants.choices import ConsentSigner
from participants.models import Guardianship, Person
from participants.selectors import valid_consents

from .common import _today


@transaction.atomic
def guardianship_link(*, actor: Any, user: Any, person: Person) -> Guardianship:
    """Link ``user`` to ``person`` as their parent, under the person's consent in force signed by a parent.

    The school's staff who may change the person may; the parent then sees the child's pairs read-only
    for as long as that consent stays in force (``Guardianship.children_of``).
    """
    access.ensure_can(actor, person, "change")
    consent = (
        valid_consents(_today())
        .filter(person=person, signer__in=[ConsentSigner.PARENT, ConsentSigner.GUARDIAN])
        .order_by("-signed_on", "-pk")
        .first()
    )
    if consent is None:
        raise DomainError("У участника нет действующего согласия, подписанного родителем (законным представителем).")
    link = Guardianship.objects.filter(user=user, person=person).first()
    if link is None:
        link = Guardianship(user=user, person=person, consent=consent)
    else:
        link.consent = consent
    link.full_clean()
    link.save()
    return link
