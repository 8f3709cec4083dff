"""An order «Об утверждении наставнических пар/групп» approves exactly its pairs when it is signed."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from mentorship.errors import DomainError
from participants.choices import PairStatus, Stage
from participants.models import Pair
from reports import services
from reports.choices import OrderKind
from reports.models import Order

from .factories import ORDER_DAY


def _draft(world, **kwargs):
    kwargs.setdefault("date", ORDER_DAY)
    return services.order_create(
        actor=world.curator_a1, organisation=world.organisation_a1, kind=OrderKind.PAIRS, school_year=2026, **kwargs
    )


def _fresh(pair: Pair) -> Pair:
    return Pair.objects.get(pk=pair.pk)


def test_signing_a_pairs_order_approves_its_pairs_at_stage_six_with_a_history_row_naming_the_signatory(world):
    order = _draft(world)
    signed = services.order_sign(actor=world.director_a1, order=order)
    for pair in (world.pair_a1, world.pair_a1_second):
        pair = _fresh(pair)
        assert (pair.status, pair.stage, pair.confirmed_on) == (PairStatus.ACTIVE, Stage.WORK, ORDER_DAY)
        last = pair.history.order_by("-history_date", "-history_id").first()
        assert last.history_user == world.director_a1
        assert last.status == PairStatus.ACTIVE
        assert f"№ {signed.number}" in last.history_change_reason
    assert _fresh(world.pair_b1).status == PairStatus.FORMING, "another school's pair is not touched"
    assert "Утверждено пар (групп): 2" in signed.events.get(kind="signed").comment
    assert signed.pairs_outcome == "Утверждено пар (групп): 2."


def test_signing_goes_through_the_pair_confirmation_service(world, monkeypatch):
    from participants import services as participant_services

    calls = []
    original = participant_services.pairs_confirm

    def spy(**kwargs):
        calls.append(sorted(pair.pk for pair in kwargs["pairs"]))
        return original(**kwargs)

    monkeypatch.setattr(services, "pairs_confirm", spy)
    services.order_sign(actor=world.director_a1, order=_draft(world))
    assert calls == [sorted([world.pair_a1.pk, world.pair_a1_second.pk])]


def test_an_approved_pair_is_not_offered_in_a_new_orders_draft(world):
    services.order_sign(actor=world.director_a1, order=_draft(world, pair_ids=[world.pair_a1.pk]))
    order = _draft(world)
    assert services.order_pair_ids(order) == [world.pair_a1_second.pk]
    assert order.appendix_rows == 1


def test_a_draft_of_ticked_pairs_lists_only_them_and_keeps_to_them_when_refreshed(world):
    order = _draft(world, pair_ids=[world.pair_a1_second.pk])
    assert services.order_pair_ids(order) == [world.pair_a1_second.pk]
    order = services.order_refresh(actor=world.curator_a1, order=order)
    assert services.order_pair_ids(order) == [world.pair_a1_second.pk]


def test_a_draft_of_ticked_pairs_all_approved_already_is_refused(world):
    services.order_sign(actor=world.director_a1, order=_draft(world))
    count = Order.objects.count()
    with pytest.raises(DomainError, match="ещё не утверждённых"):
        _draft(world, pair_ids=[world.pair_a1.pk])
    assert Order.objects.count() == count


def test_a_pair_in_two_signed_orders_is_approved_once_and_the_second_says_so(world):
    first, second = _draft(world), _draft(world, date=date(2026, 11, 21))
    services.order_sign(actor=world.director_a1, order=first)
    rows = _fresh(world.pair_a1).history.count()
    signed = services.order_sign(actor=world.director_a1, order=second)
    pair = _fresh(world.pair_a1)
    assert pair.confirmed_on == ORDER_DAY, "the second order does not re-date the approval"
    assert pair.history.count() == rows, "nor write another history row"
    assert signed.pairs_outcome.startswith("Утверждено пар (групп): 0; без изменений, уже утверждены")
    assert f"«{pair}» (утверждена 20.11.2026)" in signed.pairs_outcome
    assert signed.pairs_outcome in signed.events.get(kind="signed").comment


def test_a_signatory_who_may_not_approve_pairs_signs_nothing(world):
    order = _draft(world)
    with pytest.raises(PermissionDenied):
        services.order_sign(actor=world.officer_a, order=order)
    assert _fresh(world.pair_a1).status == PairStatus.FORMING
    assert Order.objects.get(pk=order.pk).number is None


def test_a_pairs_order_dated_ahead_is_not_signed_and_approves_nothing(world):
    order = _draft(world, date=date(2027, 1, 10))
    with pytest.raises(DomainError, match="ещё не наступила"):
        services.order_sign(actor=world.director_a1, order=order)
    assert _fresh(world.pair_a1).status == PairStatus.FORMING
    assert Order.objects.get(pk=order.pk).number is None


def test_the_confirm_page_links_to_an_order_of_the_ticked_pairs_which_the_reports_view_creates(world, client):
    client.force_login(world.curator_a1)
    page = client.get(reverse("participants:pairs_confirm"), {"pairs": [world.pair_a1_second.pk]})
    link = f"{reverse('reports:order_pairs_add')}?pairs={world.pair_a1_second.pk}"
    assert link in page.content.decode()
    form = client.get(link)
    assert form.status_code == 200
    assert "Гарипова" in form.content.decode()
    token = form.context["form"].initial["_submission"]
    response = client.post(link, {"pairs": [world.pair_a1_second.pk], "on": "2026-11-20", "_submission": token})
    order = Order.objects.get(kind=OrderKind.PAIRS, organisation=world.organisation_a1)
    assert response.status_code == 302
    assert response["Location"] == order.get_absolute_url()
    assert services.order_pair_ids(order) == [world.pair_a1_second.pk]
    assert _fresh(world.pair_a1_second).status == PairStatus.FORMING, "the draft approves nothing until signed"


def test_the_order_of_ticked_pairs_refuses_a_foreign_pair_and_an_observer(world, client):
    client.force_login(world.curator_a1)
    url = reverse("reports:order_pairs_add")
    page = client.get(url)
    token = page.context["form"].initial["_submission"]
    response = client.post(url, {"pairs": [world.pair_b1.pk], "on": "2026-11-20", "_submission": token})
    assert response.status_code == 200
    assert "недоступна" in response.content.decode()
    assert not Order.objects.exists()
    client.force_login(world.observer_a)
    assert client.get(url).status_code == 403


def test_the_sign_page_says_which_pairs_the_order_approved(world, client):
    order = _draft(world)
    client.force_login(world.director_a1)
    url = reverse("reports:order_sign", args=[order.pk])
    token = client.get(url).context["form"].initial["_submission"]
    page = client.post(url, {"_submission": token}, follow=True)
    assert "Приказ подписан и зарегистрирован. Утверждено пар (групп): 2." in page.content.decode()
