"""The demo and benchmark accounts sign in without a second factor: their passwords are published."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts import two_factor
from accounts.models import TwoFactorExemption
from demodata.demo.directory import demo_load
from demodata.management.commands.generate_scale import scale_generate
from demodata.scale.directory import STEPS, ScaleSpec
from mentorship.models import User

pytestmark = pytest.mark.django_db


def test_every_demo_user_is_exempt_as_a_demo_account_and_a_second_load_adds_nothing():
    demo_load()
    exemptions = TwoFactorExemption.objects.all()
    assert set(exemptions.values_list("user__username", flat=True)) == set(
        User.objects.values_list("username", flat=True)
    )
    assert set(exemptions.values_list("reason", flat=True)) == {"демонстрационная учётная запись"}
    count = exemptions.count()
    demo_load()
    assert TwoFactorExemption.objects.count() == count


@pytest.mark.parametrize("username", ["admin", "region_bash", "muni_murta"])
def test_the_demo_administrator_and_officials_reach_the_home_page_with_the_password_alone(username):
    demo_load()
    client = Client()
    client.post(reverse("login"), {"username": username, "password": "demo12345"})
    assert client.get(reverse("home")).status_code == 200


def test_without_its_mark_a_demo_official_is_asked_to_set_up_the_second_factor():
    demo_load()
    TwoFactorExemption.objects.filter(user__username="region_bash").delete()
    client = Client()
    client.post(reverse("login"), {"username": "region_bash", "password": "demo12345"})
    assert client.get(reverse("home")).url == reverse("accounts:two_factor_setup")
    assert two_factor.two_factor_required(User.objects.get(username="region_bash"))


def test_the_benchmark_accounts_are_exempt_as_benchmark_accounts():
    spec = ScaleSpec(region_code="T2", municipalities=2, organisations=4, seed=1)
    scale_generate(spec=spec, steps=STEPS)
    exempt = dict(TwoFactorExemption.objects.values_list("user__username", "reason"))
    assert exempt == {
        spec.username(base): "учётная запись нагрузочного теста"
        for base in ("bench_region", "bench_muni", "bench_curator")
    }
