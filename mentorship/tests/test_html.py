"""``mentorship.html``: every value escaped, safe markup kept once, the result safe for a template."""

from __future__ import annotations

from django.template import Context, Template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from mentorship import html


def test_text_escapes_markup_and_quotes_like_django() -> None:
    hostile = """<script>alert("x")</script> & 'o'"""
    assert html.text(hostile) == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;o&#x27;"
    assert html.text(hostile) == format_html("{}", hostile)
    assert html.text(12) == "12"


def test_text_keeps_markup_already_safe() -> None:
    assert html.text(mark_safe("<b>да</b>")) == "<b>да</b>"


def test_lines_escape_and_break_every_kind_of_line_end() -> None:
    assert html.lines("<i>один</i>\r\nдва\rтри\nчетыре") == "&lt;i&gt;один&lt;/i&gt;<br>два<br>три<br>четыре"
    template = Template("{{ value|linebreaksbr }}")
    assert html.lines("a<b\nc") == template.render(Context({"value": "a<b\nc"}))


def test_a_fragment_escapes_its_values_and_is_not_escaped_again_inside_another() -> None:
    inner = html.fragment('<span class="{}">{}</span>', 'a"b', "<script>")
    assert isinstance(inner, SafeString)
    assert inner == '<span class="a&quot;b">&lt;script&gt;</span>'
    outer = html.fragment("<td>{}</td>", inner)
    assert outer == '<td><span class="a&quot;b">&lt;script&gt;</span></td>'


def test_join_hands_the_parts_to_a_template_unescaped() -> None:
    rows = html.join([html.fragment("<tr><td>{}</td></tr>", "<script>"), html.fragment("<tr><td>{}</td></tr>", 2)])
    rendered = Template("{{ rows }}").render(Context({"rows": rows}))
    assert rendered == "<tr><td>&lt;script&gt;</td></tr><tr><td>2</td></tr>"
