"""Uploaded files served through their owner's scope, never from a public /media/ address.

A consent scan, a cooperation agreement, a programme's text, a roadmap item's evidence and a signed
order's scan hold children's and staff's personal data. Each is served by ``ScopedFileView``: the
object that owns the file is found through ``Model.objects.restrict(user, "view")`` (404 outside
the scope, the login page for a visitor), then its file goes out as an attachment under its own name.
"""

from __future__ import annotations

import posixpath
from typing import Any

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest
from django.views import View

from .generic import ScopedMixin


def file_name(field_file: FieldFile | None) -> str:
    """The name a file was uploaded under, without the storage's folders (``consents/2024/скан.pdf`` → ``скан.pdf``)."""
    if not field_file:
        return ""
    return posixpath.basename(field_file.name)


def file_response(field_file: FieldFile, *, filename: str = "") -> FileResponse:
    """The stored file as a download.

    ``FileResponse`` writes the name both as ``filename`` and, for a Cyrillic one, as RFC 5987's
    ``filename*``; ``nosniff`` stops a browser from running an uploaded page as HTML.
    """
    try:
        content = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Файл не найден в хранилище.") from exc
    response = FileResponse(content, as_attachment=True, filename=filename or file_name(field_file))
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ScopedFileView(ScopedMixin, View):
    """The file in ``field`` of the ``model`` object named in the URL, for those who may view the object.

    ``via`` names the parent foreign key of a child record that keeps no place of its own (a roadmap
    item's evidence hangs from its item): the object is then found through its restricted parent
    (``ScopedMixin.get_child_object``). An object without a file answers 404 as well.
    """

    field = ""
    via = ""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FileResponse:
        if self.via:
            obj = self.get_child_object(self.model._default_manager.all(), via=self.via)
        else:
            obj = self.get_scoped_object("view")
        field_file = getattr(obj, self.field)
        if not field_file:
            raise Http404("Файл не приложен.")
        return file_response(field_file)
