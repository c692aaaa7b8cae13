import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servplan.core.narrative import blocks, clean_text, normalize, to_html


def test_paragraphs_and_bullets():
    html = to_html("1. 第一段\n- (1)甲\n- (2)乙\n2. 第二段")
    assert html == "<p>1. 第一段</p><ul><li>(1)甲</li><li>(2)乙</li></ul><p>2. 第二段</p>"


def test_markup_typed_by_a_writer_is_text():
    html = to_html('<script>alert(1)</script>\n- <a href="javascript:x">y</a>')
    assert "<script>" not in html and "<a " not in html
    assert "&lt;script&gt;" in html


def test_blank_lines_are_dropped():
    assert [b.text for b in blocks("a\n\n  \nb")] == ["a", "b"]


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("a\x0bb", "ab"),
        ("a\x00b", "ab"),
        ("a\x1fb\x7f", "ab"),
        ("a\x85b\x9f", "ab"),
        ("a\ud800b\udfff", "ab"),
        ("a\ufffeb\uffff\U0010ffff\ufdd0", "ab"),
        ("1\r\n2\r3\n4", "1\n2\n3\n4"),
        ("欄\t位\n- 條列「-」", "欄\t位\n- 條列「-」"),
    ],
)
def test_clean_text_drops_what_no_export_can_write(text, cleaned):
    assert clean_text(text) == cleaned


@given(st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF)))
def test_cleaned_text_goes_into_xml_and_postgresql(text):
    cleaned = clean_text(text)
    element = ET.Element("t")
    element.text = cleaned
    assert ET.fromstring(ET.tostring(element)).text in (cleaned or None, cleaned)
    assert "\x00" not in cleaned and "\r" not in cleaned
    assert normalize(cleaned) == normalize(text)
