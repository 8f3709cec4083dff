"""The restricted URL fetcher and the fonts of every document."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from reports import rendering
from reports.rendering import PORTAL_ORIGIN, FetchRefused, StaticOnlyFetcher

from .factories import normalised, pdf_fonts, pdf_text


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/logo.png",
        "https://example.com/style.css",
        "ftp://example.com/x",
        f"http://portal.invalid{settings.STATIC_URL}reports/documents.css",
        f"{PORTAL_ORIGIN}/media/orders/secret.pdf",
        f"{PORTAL_ORIGIN}{settings.STATIC_URL}../../etc/passwd",
        f"{PORTAL_ORIGIN}{settings.STATIC_URL}%2e%2e/%2e%2e/etc/passwd",
        f"{PORTAL_ORIGIN}{settings.STATIC_URL}reports/missing.css",
    ],
)
def test_the_fetcher_refuses_anything_but_the_portals_static_files(url):
    with pytest.raises(FetchRefused):
        StaticOnlyFetcher().fetch(url)


def test_the_fetcher_serves_a_static_file_found_by_the_staticfiles_finders():
    response = StaticOnlyFetcher().fetch(rendering.static_url("vendor/tinos/tinos-cyrillic-400-normal.woff"))
    assert response.read(4) == b"wOFF"


def test_the_fetcher_accepts_data_uris_for_inline_charts():
    response = StaticOnlyFetcher().fetch("data:image/svg+xml;base64,PHN2Zy8+")
    assert response.read() == b"<svg/>"
    assert response.content_type == "image/svg+xml"


def test_a_document_pointing_at_a_local_file_renders_without_it():
    html = (
        '<html><body><p>Текст</p><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
        '<link rel="stylesheet" href="file:///etc/passwd"></body></html>'
    )
    pdf = rendering.html_to_pdf(html)
    assert "root:" not in pdf_text(pdf.content)
    assert "Текст" in pdf_text(pdf.content)


def test_the_tinos_fonts_are_embedded_in_a_document():
    # An empty page still loads the stylesheet; text is needed for a font to be used.
    pdf = rendering.html_to_pdf(render_to_string("reports/pdf/base.html", {}))
    html = rendering.html_to_pdf(
        '<html><head><link rel="stylesheet" href="/static/reports/documents.css"></head>'
        "<body><p>Приказ № 38 <b>ПРИКАЗЫВАЮ</b></p></body></html>"
    )
    fonts = pdf_fonts(html.content)
    assert fonts
    assert all("Tinos" in name for name in fonts), fonts
    assert all(fonts.values()), "every font program is embedded"
    assert pdf.pages == 1
    assert "ПРИКАЗЫВАЮ" in normalised(pdf_text(html.content))


def test_latin_and_cyrillic_glyphs_never_share_a_pdf_font():
    """Regression: with both Tinos subsets under one family name, «_» and «У» shared glyph 0x42."""
    pdf = rendering.html_to_pdf(
        '<html><head><link rel="stylesheet" href="/static/reports/documents.css"></head>'
        "<body><p>№ ____ Учитель – «ученик»</p></body></html>"
    )
    assert normalised(pdf_text(pdf.content)) == "№ ____ Учитель – «ученик»"
    assert len(pdf_fonts(pdf.content)) == 2


def test_bashkir_and_tatar_letters_of_names_have_glyphs(caplog):
    pdf = rendering.html_to_pdf(
        '<html><head><link rel="stylesheet" href="/static/reports/documents.css"></head>'
        "<body><p>Гөлнара Әхмәтова, Ҡаһарманов Үҙән, Şəhla</p></body></html>"
    )
    assert "Гөлнара Әхмәтова, Ҡаһарманов Үҙән, Şəhla" in normalised(pdf_text(pdf.content))
    assert ".notdef" not in caplog.text
