"""HQ's rubric cell mappings: reading scores of one rubric on another's cells
(periods.mapping), setting them (periods.domain.set_cell_mappings) and their pages."""

from decimal import Decimal

import pytest
from django.urls import reverse

from servplan.audit.models import AuditEntry
from servplan.core.errors import DomainError
from servplan.offices.models import Role
from servplan.periods import domain
from servplan.periods.mapping import CellRef, normalise_name, project, suggest
from servplan.periods.models import CellMapping
from servplan.programs.domain import CellSpec, DimensionSpec, RubricSpec, create_rubric
from servplan.programs.models import RubricCell


def ref(id, dimension, item, maximum, rubric=1, d=1, i=1):
    return CellRef(id, rubric, dimension, item, d, i, Decimal(maximum))


def test_names_agree_after_numbering_points_spacing_and_full_width_forms_go():
    assert normalise_name("一、提供在地化及客製化關懷服務 (100 分)") == "提供在地化及客製化關懷服務"
    assert normalise_name("（二）法規及流程簡化") == normalise_name("法規 及 流程簡化")
    assert normalise_name("ＡＭＩ應用") == "ami應用"
    source = [ref(1, "創新性", "一、公私協力", 100), ref(2, "創新性", "法規鬆綁", 100)]
    target = [ref(11, "創新性 (300 分)", "公私協力", 50), ref(12, "效益", "法規鬆綁", 50)]
    assert suggest(source, target) == {1: 11}


def test_a_projection_sums_merged_cells_rescales_and_lists_what_it_cannot_reach():
    source = [ref(1, "甲", "一", 20), ref(2, "甲", "二", 20), ref(3, "甲", "三", 10)]
    target = [ref(11, "甲", "合併", 50), ref(12, "乙", "新項目", 50)]
    scores = {1: (Decimal(10), Decimal(8)), 2: (Decimal(15), None), 3: (Decimal(9), Decimal(9))}
    p = project(scores=scores, source=source, target=target, mapping={1: 11, 2: 11, 3: None})
    assert p.self_scores == {11: Decimal("31.25")}  # (10 + 15) × 50 ÷ 40
    assert p.review_scores == {11: None}  # one of its sources is not reviewed
    assert [c.id for c in p.unmatched_source] == [3]
    assert [c.id for c in p.unmatched_target] == [12]
    assert (p.comparable_source_points, p.source_points) == (40, 50)
    assert p.share == Decimal("0.5") and not p.complete and not p.same_rubric


def test_the_same_rubric_projects_cell_for_cell():
    cells = [ref(1, "甲", "一", 10), ref(2, "甲", "二", 10)]
    scores = {1: (Decimal("9.5"), None), 2: (Decimal(7), Decimal(6))}
    p = project(scores=scores, source=cells, target=cells, mapping=None)
    assert p.self_scores == {1: Decimal("9.5"), 2: Decimal(7)}
    assert p.complete and p.same_rubric and p.share == 1


def rubric(year, items, *, maximum=10):
    spec = RubricSpec(
        roc_year=year,
        title=f"{year}年度考核項目及評分表",
        total_max=Decimal(maximum * len(items)),
        items=items,
        dimensions=[
            DimensionSpec(
                "創新性",
                Decimal(maximum * len(items)),
                [CellSpec(i, Decimal(maximum)) for i in items],
            )
        ],
    )
    return create_rubric(spec=spec)


@pytest.fixture
def pair(db, make):
    old = rubric(113, ["提供在地化及客製化關懷服務", "法規及流程簡化", "數位轉型"])
    new = rubric(114, ["一、提供在地化及客製化關懷服務", "二、法規及流程簡化"], maximum=20)
    cells = lambda r: {  # noqa: E731
        c.item.name: c
        for c in RubricCell.objects.filter(dimension__rubric=r).select_related("item")
    }
    return old, new, cells(old), cells(new), make.user(role=Role.HQ_REVIEWER)


def test_setting_mappings_is_audited_and_clearing_forgets_them(pair):
    old, new, o, n, hq = pair
    choices = {
        o["提供在地化及客製化關懷服務"].id: n["一、提供在地化及客製化關懷服務"].id,
        o["數位轉型"].id: None,
    }
    assert domain.set_cell_mappings(source=old, target=new, choices=choices, user=hq) == 2
    rows = {m.source_id: m.target_id for m in CellMapping.objects.all()}
    assert rows == choices
    entries = list(
        AuditEntry.objects.filter(object_type="periods.cellmapping").values_list("old", "new")
    )
    assert ("未設定", "創新性／一、提供在地化及客製化關懷服務") in entries and (
        "未設定",
        "無對應",
    ) in entries
    # the same again changes nothing; clearing one deletes it, with an entry
    assert domain.set_cell_mappings(source=old, target=new, choices=choices, user=hq) == 0
    domain.set_cell_mappings(source=old, target=new, choices={}, clear=[o["數位轉型"].id], user=hq)
    assert not CellMapping.objects.filter(source=o["數位轉型"]).exists()
    assert AuditEntry.objects.filter(object_type="periods.cellmapping", new="未設定").count() == 1


def test_a_mapping_is_refused_to_anyone_but_hq_and_for_cells_of_other_rubrics(pair, make):
    old, new, o, n, hq = pair
    with pytest.raises(DomainError):
        domain.set_cell_mappings(
            source=old, target=new, choices={}, user=make.user(office=make.office())
        )
    with pytest.raises(DomainError) as wrong_target:
        domain.set_cell_mappings(
            source=old, target=new, choices={o["數位轉型"].id: o["法規及流程簡化"].id}, user=hq
        )
    assert wrong_target.value.where == f"cell-{o['數位轉型'].id}"
    with pytest.raises(DomainError) as wrong_source:
        domain.set_cell_mappings(
            source=old, target=new, choices={n["二、法規及流程簡化"].id: None}, user=hq
        )
    assert wrong_source.value.where.startswith("cell-")
    with pytest.raises(DomainError):
        domain.set_cell_mappings(source=old, target=old, choices={}, user=hq)
    assert not CellMapping.objects.exists()


def test_the_page_suggests_equal_names_and_saves_what_hq_chose(pair, as_user):
    old, new, o, n, hq = pair
    client = as_user(hq)
    url = reverse("period-mapping", args=[old.pk, new.pk])
    text = client.get(url).text
    first = text[text.index(f'name="cell-{o["提供在地化及客製化關懷服務"].id}"') :]
    first = first[: first.index("</tr>")]
    assert f'<option value="{n["一、提供在地化及客製化關懷服務"].id}" selected>' in first
    assert "名稱相同，建議對應" in first
    assert not CellMapping.objects.exists()  # a suggestion is not a mapping
    save = reverse("period-mapping-save", args=[old.pk, new.pk])
    response = client.post(
        save,
        {
            f"cell-{o['提供在地化及客製化關懷服務'].id}": n["一、提供在地化及客製化關懷服務"].id,
            f"cell-{o['法規及流程簡化'].id}": n["二、法規及流程簡化"].id,
            f"cell-{o['數位轉型'].id}": "none",
        },
    )
    assert response.status_code == 302
    assert CellMapping.objects.count() == 3
    assert CellMapping.objects.get(source=o["數位轉型"]).target is None
    again = client.get(url).text
    assert "建議" not in again[again.index("<tbody>") :]
    bad = client.post(save, {f"cell-{o['數位轉型'].id}": "abc"})
    assert bad.status_code == 400 and "應為正整數" in bad.text


def test_the_list_names_the_rubric_pairs_the_comparisons_need(pair, make, as_user):
    old, new, o, n, hq = pair
    import datetime as dt

    from servplan.core.roc import Period

    a = make.assessment(rubric_=old, period=(113, 7, 12))
    make.to_hq(make.scores(a, [5, 5, 5]))
    domain.open_period(period=Period(114, 1, 6), rubric=new, deadline=dt.date(2025, 7, 15), user=hq)
    text = as_user(hq).get(reverse("period-mappings")).text
    assert reverse("period-mapping", args=[old.pk, new.pk]) in text
    assert "0／3 項" in text


def test_office_staff_do_not_find_the_pages(pair, make, as_user):
    old, new, *_ = pair
    clerk = make.user(office=make.office())
    client = as_user(clerk)
    assert client.get(reverse("period-mappings")).status_code == 404
    assert client.get(reverse("period-mapping", args=[old.pk, new.pk])).status_code == 404
    assert client.post(reverse("period-mapping-save", args=[old.pk, new.pk]), {}).status_code == 404
