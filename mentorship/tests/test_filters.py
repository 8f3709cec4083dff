"""The filter forms' select renders like Django's own, with the user's scope as its choices."""

from __future__ import annotations

from django import forms

from mentorship.filters import PlainSelect


def test_plain_select_renders_the_markup_of_djangos_select() -> None:
    choices = [("", "Все"), ("1", "Школа «Ромашка» & Co"), ("2", "<b>Лицей</b>")]
    attrs = {"class": "form-select", "id": "id_organisation", "required": True}
    plain = PlainSelect(attrs=attrs, choices=choices).render("organisation", "2")
    django = forms.Select(attrs=attrs, choices=choices).render("organisation", "2")
    assert " ".join(plain.split()) == " ".join(django.replace("\n", " ").split()).replace("> <", "><")


def test_plain_select_escapes_labels_and_marks_the_chosen_option() -> None:
    html = PlainSelect(choices=[("1", "<script>"), ("2", "Б")]).render("kind", "1")
    assert "&lt;script&gt;" in html
    assert "<script>" not in html
    assert '<option value="1" selected>&lt;script&gt;</option>' in html
    assert '<option value="2">Б</option>' in html
