from servplan.core.narrative import blocks, to_html


def test_paragraphs_and_bullets():
    html = to_html("1. 第一段\n- (1)甲\n- (2)乙\n2. 第二段")
    assert html == "<p>1. 第一段</p><ul><li>(1)甲</li><li>(2)乙</li></ul><p>2. 第二段</p>"


def test_markup_typed_by_a_writer_is_text():
    html = to_html('<script>alert(1)</script>\n- <a href="javascript:x">y</a>')
    assert "<script>" not in html and "<a " not in html
    assert "&lt;script&gt;" in html


def test_blank_lines_are_dropped():
    assert [b.text for b in blocks("a\n\n  \nb")] == ["a", "b"]
