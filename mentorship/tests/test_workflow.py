"""``actor_user``: who a write records as its author. ``status_transition`` is tested in roadmaps/tests."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from mentorship.workflow import actor_user

from .factories import UserFactory


@pytest.mark.django_db
def test_a_signed_in_actor_is_recorded_as_the_author():
    user = UserFactory()
    assert actor_user(user) is user


@pytest.mark.parametrize("actor", [None, AnonymousUser(), "loader"], ids=["nobody", "anonymous", "not-a-user"])
def test_an_actor_who_is_not_a_signed_in_user_is_recorded_as_nobody(actor):
    assert actor_user(actor) is None
