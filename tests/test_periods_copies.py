"""The copy detector (periods.copies): character shingles on seed 000 and on made-up cells."""

import pytest

from servplan.periods.copies import HIGHLIGHT, MIN_PASSAGE, compare, find_copies, fold, prepare

SUSTAIN_1 = ("可持續性", "提供在地化及客製化關懷服務")
SUSTAIN_2 = ("可持續性", "法規及流程簡化")


def texts_of(assessment):
    cells = assessment.cells.select_related("cell__dimension", "cell__item")
    focus = {
        t for cs in cells for t in (cs.cell.scoring_focus, cs.cell.dimension.scoring_focus) if t
    }
    return [
        prepare((cs.cell.dimension.name, cs.cell.item.name), cs.narrative, boilerplate=focus)
        for cs in cells
    ]


def test_seed_000s_two_sustainability_cells_are_found_with_their_shared_paragraphs(taitung):
    found = {(m.a.key, m.b.key): m for m in find_copies(texts_of(taitung), pair=lambda a, b: True)}
    match = found.get((SUSTAIN_1, SUSTAIN_2)) or found[(SUSTAIN_2, SUSTAIN_1)]
    shared = " | ".join(match.shared_text)
    assert "善用資訊系統，針對政府已有或公權力可調閱的資訊，進行跨機關電子查驗作業" in shared
    assert "訂定申辦業務標準作業流程，維持服務措施處理一致性" in shared
    # the third paragraph differs in one character (嫻熟 / 嫓熟): the passages on either side
    assert "力行一次告知服務，服務人員除能精確回答用戶問題 | " in shared
    assert " | 熟各項申請表格填寫外，並應主動正確提供與問題有關的完整資訊予詢問用戶" in shared
    assert "嫓熟" not in shared and "嫻熟" not in shared
    # what the other cell adds is not marked
    plain = "".join(s.text for s in match.b_segments if not s.shared) + "".join(
        s.text for s in match.a_segments if not s.shared
    )
    assert "優化電費查詢及繳費作業" in plain
    assert match.longest >= 100 and match.containment > 0.75


def test_unrelated_cells_of_seed_000_are_not_found(taitung):
    found = find_copies(texts_of(taitung), pair=lambda a, b: True)
    pairs = {frozenset((m.a.key, m.b.key)) for m in found}
    # Besides the 可持續性 pair only one sentence (退休俸用電優待…, 39 characters) is
    # repeated word for word, between 效益及影響 and 擴散應用's 公私協力.
    assert pairs == {
        frozenset((SUSTAIN_1, SUSTAIN_2)),
        frozenset((("效益及影響", "公私協力"), ("擴散應用", "公私協力"))),
    }
    retirement = next(m for m in found if SUSTAIN_1 not in (m.a.key, m.b.key))
    assert retirement.shared_text == [
        "有關退休俸用電優待申請由各地榮民服務處負責辦理，藉由資料傳輸，更新符合優待戶之資訊"
    ]
    # 創新性's cells share only phrases shorter than a sentence with anything
    assert not any(k[0] == "創新性" for pair in pairs for k in pair)


def test_numbering_spacing_punctuation_and_full_width_forms_do_not_hide_a_copy():
    a = prepare("a", "1. 辦理用戶座談會，蒐集在地意見並追蹤改善情形，每季提報執行成果。")
    b = prepare("b", "(3)辦理用戶座談會 蒐集在地意見並追蹤改善情形；每季提報執行成果")
    assert fold("ＡＭＩ 資料，") == "ami資料"
    m = compare(a, b)
    assert m.containment == 1 and m.is_copy
    assert m.a_segments[0].text == "1. " and not m.a_segments[0].shared
    assert m.a_segments[1].shared


def test_the_rubrics_own_wording_is_not_a_copy():
    focus = "服務策略或措施具有可持續性，且達成預期成果："
    a = prepare("a", f"{focus}\n1. 每月辦理一次櫃台服務演練。", boilerplate=[focus])
    b = prepare("b", f"{focus}\n1. 網站新增線上預約功能。", boilerplate=[focus])
    assert compare(a, b) is None or not compare(a, b).is_copy


def test_short_common_phrases_are_neither_copies_nor_highlighted():
    a = prepare("a", "透過各項節約用電宣導會協助公司推動台灣電力 APP。")
    b = prepare("b", "各項節約用電宣導會推廣對象包含學校與社區。")
    m = compare(a, b)
    assert m is not None and m.longest < HIGHLIGHT
    assert not m.is_copy and not m.shared_text


@pytest.mark.parametrize("length", [MIN_PASSAGE - 1, MIN_PASSAGE])
def test_a_passage_of_a_sentence_makes_a_copy(length):
    passage = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥天地玄黃宇宙洪荒日月盈昃辰宿列張"[
        :length
    ]
    a = prepare(
        "a",
        passage
        + "。另外辦理了完全不同的許多其他事項，與對方毫無關係，內容各自獨立，篇幅也比較長。",
    )
    b = prepare(
        "b",
        "前面是不一樣的說明文字，介紹本處推動智慧電表與線上申辦的成果，並說明後續規劃與檢討方式。"
        + passage,
    )
    m = compare(a, b)
    assert m.longest == length
    assert m.is_copy == (length >= MIN_PASSAGE)


def test_the_pair_rule_chooses_which_pairs_count():
    text = "本處於上半年辦理三場用戶座談會，蒐集在地用電大戶意見並逐案追蹤改善情形。"
    texts = [prepare(("甲", 1), text), prepare(("乙", 1), text), prepare(("甲", 2), text)]
    same_office = find_copies(texts, pair=lambda a, b: a.key[0] == b.key[0])
    assert [(m.a.key, m.b.key) for m in same_office] == [(("甲", 1), ("甲", 2))]
    assert len(find_copies(texts, pair=lambda a, b: True)) == 3
