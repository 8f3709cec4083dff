"""HTML → PDF with WeasyPrint: the restricted URL fetcher, the shared font configuration, the fonts' CSS.

Document content comes from what users typed (titles, names, points of an order), so the HTML a
document is rendered from must not be able to reach anything but the portal's own static files:
``StaticOnlyFetcher`` answers only URLs under the portal's internal origin and ``STATIC_URL``,
resolved through the staticfiles finders (the same files ``collectstatic`` would publish), and
``data:`` URIs (the monitoring charts are inline SVG). ``file://``, ``http(s)://`` to anywhere
else and every other scheme are refused.

Loading and parsing the fonts is the slow part of a small document; one ``FontConfiguration``
per process keeps the parsed @font-face rules between documents.
"""

from __future__ import annotations

import base64
import mimetypes
import os
import posixpath
import threading
import urllib.parse
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

#: The base URL documents are rendered against. ``.invalid`` is reserved (RFC 2606): it never
#: resolves, so even a mistake in the fetcher could not send a request anywhere.
PORTAL_ORIGIN = "https://portal.invalid"


class FetchRefused(ValueError):
    """A document asked for something outside the portal's static files."""


def static_url(path: str) -> str:
    """The URL a document template uses for a static file (``vendor/tinos/…``)."""
    return f"{PORTAL_ORIGIN}{settings.STATIC_URL}{path}"


class StaticOnlyFetcher(URLFetcher):
    """Fetches the portal's static files and ``data:`` URIs; refuses everything else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False, fail_on_errors=False)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return _data_response(url)
        prefix = f"{PORTAL_ORIGIN}{settings.STATIC_URL}"
        if not url.startswith(prefix):
            raise FetchRefused(f"Документ может ссылаться только на статические файлы портала: {url[:200]}")
        relative = urllib.parse.unquote(urllib.parse.urlsplit(url).path[len(settings.STATIC_URL) :])
        normalised = posixpath.normpath(relative)
        if normalised.startswith(("../", "/")) or normalised in ("..", ".") or "\\" in relative or "\x00" in relative:
            raise FetchRefused(f"Недопустимый путь к статическому файлу: {relative[:200]}")
        found = finders.find(normalised)
        if not found:
            raise FetchRefused(f"Статический файл не найден: {normalised}")
        with open(found, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def _data_response(url: str) -> URLFetcherResponse:
    header, _, payload = url[len("data:") :].partition(",")
    params = header.split(";")
    content_type = params[0] or "text/plain"
    if "base64" in params[1:]:
        body = base64.b64decode(payload)
    else:
        body = urllib.parse.unquote_to_bytes(payload)
    return URLFetcherResponse(url, body, {"Content-Type": content_type})


_local = threading.local()


def font_configuration() -> FontConfiguration:
    """One font configuration per thread (WeasyPrint's is not shared across threads safely)."""
    config = getattr(_local, "font_config", None)
    if config is None:
        config = _local.font_config = FontConfiguration()
    return config


#: The documents' stylesheet (fonts, page, tables), parsed once per thread and given to every render.
STYLESHEET = "reports/documents.css"


def documents_stylesheet() -> CSS:
    """The parsed stylesheet, reparsed only when the file changes (a 500-row table spent ~0.3 s parsing it)."""
    path = finders.find(STYLESHEET)
    if not path:
        raise FetchRefused(f"Нет таблицы стилей документов: {STYLESHEET}")
    mtime = os.stat(path).st_mtime_ns
    cached = getattr(_local, "stylesheet", None)
    if cached is None or cached[0] != (path, mtime):
        with open(path, encoding="utf-8") as handle:
            css = CSS(
                string=handle.read(),
                base_url=static_url(STYLESHEET),
                url_fetcher=StaticOnlyFetcher(),
                font_config=font_configuration(),
            )
        cached = _local.stylesheet = ((path, mtime), css)
    return cached[1]


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


def html_to_pdf(html: str) -> RenderedPdf:
    """Render HTML (from a template under ``templates/reports/``) to PDF bytes, with the documents' stylesheet."""
    document = HTML(string=html, base_url=f"{PORTAL_ORIGIN}/", url_fetcher=StaticOnlyFetcher()).render(
        stylesheets=[documents_stylesheet()], font_config=font_configuration()
    )
    return RenderedPdf(content=document.write_pdf(), pages=len(document.pages))
