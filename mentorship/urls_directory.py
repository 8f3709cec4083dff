from django.urls import path

from .models import Body, Municipality, Organisation, Partner, Region
from .views import directory as views

app_name = "directory"


def history(prefix: str, model: type) -> object:
    return path(
        f"{prefix}/<int:pk>/history/", views.HistoryView.as_view(model=model), name=f"{model._meta.model_name}_history"
    )


urlpatterns = [
    path("", views.DirectoryIndexView.as_view(), name="index"),
    path("regions/<int:pk>/", views.RegionDetailView.as_view(), name="region"),
    path("regions/<int:pk>/edit/", views.RegionEditView.as_view(), name="region_edit"),
    history("regions", Region),
    path("municipalities/add/", views.MunicipalityEditView.as_view(), name="municipality_add"),
    path("municipalities/<int:pk>/", views.MunicipalityDetailView.as_view(), name="municipality"),
    path("municipalities/<int:pk>/edit/", views.MunicipalityEditView.as_view(), name="municipality_edit"),
    history("municipalities", Municipality),
    path("organisations/", views.OrganisationListView.as_view(), name="organisations"),
    path("organisations/add/", views.OrganisationEditView.as_view(), name="organisation_add"),
    path("organisations/<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation"),
    path("organisations/<int:pk>/edit/", views.OrganisationEditView.as_view(), name="organisation_edit"),
    history("organisations", Organisation),
    path("bodies/", views.BodyListView.as_view(), name="bodies"),
    path("bodies/add/", views.BodyEditView.as_view(), name="body_add"),
    path("bodies/<int:pk>/", views.BodyDetailView.as_view(), name="body"),
    path("bodies/<int:pk>/edit/", views.BodyEditView.as_view(), name="body_edit"),
    history("bodies", Body),
    path("partners/", views.PartnerListView.as_view(), name="partners"),
    path("partners/add/", views.PartnerEditView.as_view(), name="partner_add"),
    path("partners/<int:pk>/", views.PartnerDetailView.as_view(), name="partner"),
    path("partners/<int:pk>/edit/", views.PartnerEditView.as_view(), name="partner_edit"),
    path("partners/<int:pk>/delete/", views.PartnerDeleteView.as_view(), name="partner_delete"),
    history("partners", Partner),
]
