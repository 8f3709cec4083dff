"""The portal's admin site: Django's, with autocomplete choices that say where a school is."""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """Autocomplete answers labelled by the model admin's ``autocomplete_label`` where it has one.

    Schools are named alike in every district («Гимназия № 3»): the admin's choices say where each one is.
    """

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = label(obj)
        return result


class PortalAdminSite(admin.AdminSite):
    site_header = "Портал наставничества — администрирование"
    site_title = "Администрирование"
    index_title = "Справочники и пользователи"

    def autocomplete_view(self, request):
        return LabelledAutocompleteJsonView.as_view(admin_site=self)(request)
