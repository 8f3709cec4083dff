"""The organisation directory: region → municipality → organisation, bodies and partners."""

from __future__ import annotations

from typing import Any

from .. import access, filters, forms, selectors
from ..models import Body, Municipality, Organisation, Partner, Region
from .generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectHistoryView, ObjectListView


class DirectoryDetailView(ObjectDetailView):
    """A directory card: «История изменений» is offered where the reader may read it (not above them)."""

    def permitted_actions(self, obj: Any) -> dict[str, bool]:
        return super().permitted_actions(obj) | {"history": access.can(self.request.user, obj, "history")}


class DirectoryIndexView(ObjectListView):
    model = Region
    template_name = "directory/index.html"
    title = "Справочник организаций"
    paginate_by = 100

    def base_queryset(self):
        return selectors.region_list(user=self.request.user)


class RegionDetailView(DirectoryDetailView):
    model = Region
    template_name = "directory/region_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["municipalities"] = selectors.municipality_list(user=user, region=self.object)
        context["bodies"] = selectors.body_list(user=user).filter(region=self.object, municipality__isnull=True)
        return context


class MunicipalityDetailView(DirectoryDetailView):
    model = Municipality
    select_related = ("region",)
    template_name = "directory/municipality_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # The full, searchable list lives on the organisations page; this is the overview.
        context["organisations"] = selectors.organisation_list(user=user).filter(municipality=self.object)[:200]
        context["bodies"] = selectors.body_list(user=user).filter(municipality=self.object)
        context["partners"] = selectors.partner_list(user=user).filter(municipality=self.object)
        return context


class OrganisationListView(ObjectListView):
    model = Organisation
    template_name = "directory/organisation_list.html"
    search_fields = ("short_name", "full_name", "code", "inn")
    filterset_class = filters.OrganisationFilter

    def base_queryset(self):
        return selectors.organisation_list(user=self.request.user)


class OrganisationDetailView(DirectoryDetailView):
    model = Organisation
    select_related = ("municipality__region",)
    template_name = "directory/organisation_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["assignments"] = selectors.role_assignment_list(user=self.request.user).filter(organisation=self.object)
        return context


class BodyListView(ObjectListView):
    model = Body
    template_name = "directory/body_list.html"
    search_fields = ("short_name", "full_name", "code")
    filterset_class = filters.BodyFilter

    def base_queryset(self):
        return selectors.body_list(user=self.request.user)


class BodyDetailView(DirectoryDetailView):
    model = Body
    select_related = ("region", "municipality")
    template_name = "directory/body_detail.html"


class PartnerListView(ObjectListView):
    model = Partner
    template_name = "directory/partner_list.html"
    search_fields = ("short_name", "full_name", "code", "inn")
    filterset_class = filters.PartnerFilter

    def base_queryset(self):
        return selectors.partner_list(user=self.request.user)


class PartnerDetailView(DirectoryDetailView):
    model = Partner
    select_related = ("region", "municipality")
    template_name = "directory/partner_detail.html"


class RegionEditView(ObjectEditView):
    model = Region
    form_class = forms.RegionForm


class MunicipalityEditView(ObjectEditView):
    model = Municipality
    form_class = forms.MunicipalityForm


class OrganisationEditView(ObjectEditView):
    model = Organisation
    form_class = forms.OrganisationForm

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        municipality = self.request.GET.get("municipality", "")
        if self.object is None and municipality.isdigit():
            initial["municipality"] = municipality
        return initial


class BodyEditView(ObjectEditView):
    model = Body
    form_class = forms.BodyForm


class PartnerEditView(ObjectEditView):
    model = Partner
    form_class = forms.PartnerForm


class PartnerDeleteView(ObjectDeleteView):
    model = Partner
    success_url_name = "directory:partners"


class HistoryView(ObjectHistoryView):
    """One history page for every directory model; the URL names the model.

    A place above the reader is seen by name only: its history answers 404 (``history_action``).
    """

    history_action = "history"
