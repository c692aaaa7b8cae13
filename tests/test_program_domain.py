"""programs/domain/versions.py and tree.py: HQ's program for a year, from draft to versions."""

import datetime as dt

import pytest

from servplan.assessments.domain.errors import Conflict, NotAllowed
from servplan.audit.models import AuditEntry
from servplan.core.errors import DomainError
from servplan.offices.models import Department, Office, Role
from servplan.plans.domain import create_plan, start_plan
from servplan.programs.domain import load_program, tree
from servplan.programs.domain.versions import (
    new_program_version,
    publish_program,
    start_program,
    update_program,
)
from servplan.programs.lookups import hq_program
from servplan.programs.models import Practice, Program, Publication

pytestmark = pytest.mark.django_db


def practices_of(program):
    return list(
        Practice.objects.filter(measure__strategy__facet__outline=program.outline_id).order_by(
            "measure__strategy__facet__position",
            "measure__strategy__position",
            "measure__position",
            "position",
        )
    )


def departments_of(practice):
    return [link.department.name for link in practice.department_links.order_by("position")]


def audited(obj, field):
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=obj.pk, field=field
    )


@pytest.fixture
def hq(make):
    return make.user(role=Role.HQ_REVIEWER)


@pytest.fixture
def draft(make, hq):
    """115's draft, started from a 114 program of two practices; HQ's list has three departments."""
    make.program(roc_year=114, practices=2)
    for name in ["人資組", "總務組"]:
        Department.objects.get_or_create(name=name)
    return start_program(user=hq, roc_year=115)


def fresh(program):
    return Program.objects.get(pk=program.pk)


# ---- starting a year -------------------------------------------------------------------------


def test_the_shipped_programs_are_published_version_1(shipped):
    assert [(p.roc_year, p.version, p.status) for p in Program.objects.order_by("roc_year")] == [
        (112, 1, "published"),
        (114, 1, "published"),
    ]
    assert "沿用 112 年度" in hq_program(114).reason
    assert len(practices_of(hq_program(114))) == len(practices_of(hq_program(112)))


def test_starting_a_year_copies_last_years_tree_as_a_draft(shipped, hq):
    last = hq_program(114)
    program = start_program(
        user=hq,
        roc_year="115",
        letter_number="電業字第1150001234號",
        issued_on="115 年 2 月 10 日",
    )
    assert (program.status, program.roc_year, program.copied_from) == ("draft", 115, last)
    assert program.title == "115年度提升服務效能執行計畫"
    assert program.issued_on == dt.date(2026, 2, 10)
    copied, source = practices_of(program), practices_of(last)
    assert [p.origin_id for p in copied] == [p.pk for p in source]
    assert [(p.text, p.period, p.number) for p in copied] == [
        (p.text, p.period, p.number) for p in source
    ]
    assert [departments_of(p) for p in copied] == [departments_of(p) for p in source]
    assert copied[0].measure.strategy.origin == source[0].measure.strategy
    assert audited(program, "created").get().user == hq


def test_a_draft_is_invisible_to_offices(shipped, hq, make):
    start_program(user=hq, roc_year=115)
    assert hq_program(115) is None and hq_program(115, or_earlier=True) == hq_program(114)
    taitung = Office.objects.get(name="台東區營業處")
    plan = start_plan(office=taitung, roc_year=115)
    assert plan.program == hq_program(114)
    with pytest.raises(DomainError) as err:
        create_plan(office=taitung, program=Program.objects.get(status="draft"))
    assert err.value.where == "program" and "尚未發布" in err.value.message


def test_starting_is_refused_for_others_and_twice(shipped, hq, make):
    with pytest.raises(NotAllowed):
        start_program(user=make.user(office=Office.objects.get(name="台東區營業處")), roc_year=115)
    start_program(user=hq, roc_year=115)
    with pytest.raises(Conflict) as err:
        start_program(user=hq, roc_year=115)
    assert err.value.where == "roc_year" and "已有總處執行計畫草稿" in err.value.message
    with pytest.raises(DomainError) as err:
        start_program(user=hq, roc_year=114)
    assert err.value.where == "roc_year" and "建立新版本" in err.value.message


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"roc_year": "abc"}, "roc_year"),
        ({"roc_year": 40000}, "roc_year"),
        ({"roc_year": 116, "issued_on": "二月"}, "issued_on"),
        ({"roc_year": 116, "title": "計" * 201}, "title"),
        ({"roc_year": 116, "letter_number": "號" * 101}, "letter_number"),
    ],
)
def test_bad_input_names_the_field(shipped, hq, fields, where):
    with pytest.raises(DomainError) as err:
        start_program(user=hq, **fields)
    assert err.value.where == where
    assert not Program.objects.filter(status="draft").exists()


def test_the_source_must_be_an_earlier_published_program(shipped, hq):
    draft = start_program(user=hq, roc_year=115)
    for year, source in [(116, draft), (113, hq_program(114))]:
        with pytest.raises(DomainError) as err:
            start_program(user=hq, roc_year=year, source=source)
        assert err.value.where == "source"
    assert start_program(user=hq, roc_year=113, source=hq_program(112)).copied_from.roc_year == 112


def test_a_year_without_an_earlier_program_starts_empty(hq):
    program = start_program(user=hq, roc_year=115)
    assert program.copied_from is None and not program.outline.facets.exists()


# ---- publishing and versions -------------------------------------------------------------------


def test_publishing_makes_it_hqs_program_of_the_year(draft, hq):
    published = publish_program(user=hq, program=draft, expected_revision=draft.revision)
    assert (published.status, published.version, published.supersedes) == ("published", 1, None)
    assert published.published_at is not None and hq_program(115) == published
    assert audited(published, "status").get().new == "published"
    with pytest.raises(Conflict) as err:
        tree.add_node(user=hq, program=published, kind="facet", name="新面向", expected_revision=1)
    assert "已發布" in err.value.message


def test_an_empty_program_is_not_published(hq):
    program = start_program(user=hq, roc_year=115)
    with pytest.raises(DomainError) as err:
        publish_program(user=hq, program=program, expected_revision=1)
    assert err.value.where == "program"


def test_a_new_version_needs_a_reason_and_supersedes_the_old(draft, hq, make):
    v1 = publish_program(user=hq, program=draft, expected_revision=draft.revision)
    office = make.office()
    plan = start_plan(office=office, roc_year=115)
    v2 = new_program_version(user=hq, program=v1)
    assert (v2.status, v2.copied_from, v2.title) == ("draft", v1, v1.title)
    assert [p.origin_id for p in practices_of(v2)] == [p.pk for p in practices_of(v1)]
    with pytest.raises(DomainError) as err:
        publish_program(user=hq, program=v2, expected_revision=v2.revision)
    assert err.value.where == "reason"
    v2 = publish_program(user=hq, program=v2, reason="修正作法文字", expected_revision=v2.revision)
    assert (v2.version, v2.supersedes, v2.reason) == (2, v1, "修正作法文字")
    assert hq_program(115) == v2
    plan.refresh_from_db()
    # The plan keeps the version it started from: its HQ items point into that version's tree.
    assert plan.program == v1
    origins = set(
        Practice.objects.filter(measure__strategy__facet__outline=plan.outline_id).values_list(
            "origin__measure__strategy__facet__outline", flat=True
        )
    )
    assert origins == {v1.outline_id}
    assert start_plan(office=make.office(), roc_year=115).program == v2


def test_a_new_version_only_from_the_latest_and_one_draft_at_a_time(draft, hq):
    v1 = publish_program(user=hq, program=draft, expected_revision=draft.revision)
    v2 = new_program_version(user=hq, program=v1)
    with pytest.raises(Conflict):
        new_program_version(user=hq, program=v1)
    publish_program(user=hq, program=v2, reason="理由", expected_revision=v2.revision)
    with pytest.raises(DomainError) as err:
        new_program_version(user=hq, program=fresh(v1))
    assert err.value.where == "program"
    with pytest.raises(DomainError):
        new_program_version(user=hq, program=fresh(v2).copied_from)


def test_a_stale_revision_is_refused(draft, hq):
    update_program(user=hq, program=draft, title="115年度新計畫", expected_revision=1)
    assert fresh(draft).revision == 2
    with pytest.raises(Conflict) as err:
        update_program(user=hq, program=draft, title="別的名稱", expected_revision=1)
    assert err.value.where == "revision" and err.value.current == {"revision": 2}
    assert fresh(draft).title == "115年度新計畫"


def test_the_letter_is_edited_and_audited(draft, hq):
    update_program(
        user=hq,
        program=draft,
        letter_number="電業字第1150000001號",
        issued_on="2026-02-10",
        expected_revision=1,
    )
    program = fresh(draft)
    assert (program.letter_number, program.issued_on) == (
        "電業字第1150000001號",
        dt.date(2026, 2, 10),
    )
    assert audited(program, "letter_number").get().new == "電業字第1150000001號"
    with pytest.raises(DomainError) as err:
        update_program(user=hq, program=draft, title=" ", expected_revision=2)
    assert err.value.where == "title"


def test_loading_a_file_for_a_year_with_only_a_draft_publishes_version_1(hq):
    draft = start_program(user=hq, roc_year=115)
    program, created = load_program(data={"roc_year": 115, "title": "115年度計畫", "facets": []})
    assert created and (program.version, program.status) == (1, "published")
    assert fresh(draft).status == Publication.DRAFT
    assert load_program(data={"roc_year": 115, "title": "另一個"}) == (program, False)


# ---- editing the tree --------------------------------------------------------------------------


def test_adding_nodes_down_the_tree(draft, hq, make):
    facet = tree.add_node(
        user=hq, program=draft, kind="facet", name="開放創新", expected_revision=1
    )
    strategy = tree.add_node(
        user=hq, program=draft, kind="strategy", parent=facet, name="擴大參與", expected_revision=2
    )
    measure = tree.add_node(
        user=hq, program=draft, kind="measure", parent=strategy, name="", expected_revision=3
    )
    practice = tree.add_node(
        user=hq,
        program=draft,
        kind="practice",
        parent=measure,
        text="辦理用戶座談會",
        departments=["總務組", "業務組"],
        period="每年 1 次",
        expected_revision=4,
    )
    assert departments_of(practice) == ["總務組", "業務組"]
    assert (practice.period, practice.number, practice.origin_id) == ("每年 1 次", None, None)
    assert fresh(draft).revision == 5
    assert audited(practice, "added").get().new == "辦理用戶座談會"
    second = tree.add_node(
        user=hq, program=draft, kind="practice", parent=measure, text="第二項", expected_revision=5
    )
    practice.refresh_from_db()
    assert (practice.number, second.number) == (1, 2)


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"kind": "facet", "name": " "}, "name"),
        ({"kind": "facet", "name": "面" * 101}, "name"),
        ({"kind": "tree", "name": "x"}, "kind"),
        ({"kind": "strategy", "name": "沒有上層"}, "parent"),
        ({"kind": "practice", "text": "", "parent": "measure"}, "text"),
        (
            {"kind": "practice", "text": "作法", "parent": "measure", "departments": ["秘書室"]},
            "departments",
        ),
        (
            {
                "kind": "practice",
                "text": "作法",
                "parent": "measure",
                "departments": ["業務組", "業務組"],
            },
            "departments",
        ),
        ({"kind": "practice", "text": "作法", "parent": "measure", "period": "月" * 51}, "period"),
    ],
)
def test_adding_bad_nodes_names_the_field(draft, hq, fields, where):
    if fields.get("parent") == "measure":
        fields["parent"] = practices_of(draft)[0].measure
    with pytest.raises(DomainError) as err:
        tree.add_node(user=hq, program=draft, expected_revision=1, **fields)
    assert err.value.where == where
    assert fresh(draft).revision == 1


def test_a_node_of_another_program_is_refused(draft, hq):
    other = hq_program(114)
    with pytest.raises(DomainError) as err:
        tree.update_practice(
            user=hq, program=draft, practice=practices_of(other)[0], text="x", expected_revision=1
        )
    assert err.value.where == "practice"


def test_editing_a_practice(draft, hq):
    practice = practices_of(draft)[0]
    tree.update_practice(
        user=hq,
        program=draft,
        practice=practice,
        text="改寫的作法",
        departments=["人資組", "業務組"],
        period="每季",
        expected_revision=1,
    )
    practice.refresh_from_db()
    assert (practice.text, practice.period) == ("改寫的作法", "每季")
    assert departments_of(practice) == ["人資組", "業務組"]
    assert {
        e.field
        for e in AuditEntry.objects.filter(object_id=practice.pk, object_type="programs.practice")
    } == {
        "text",
        "period",
        "departments",
    }
    # The program it was copied from is untouched.
    assert practices_of(hq_program(114))[0].text == "面向1的作法1"


def test_renaming_moving_and_removing(draft, hq):
    first, second = practices_of(draft)
    measure = first.measure
    tree.rename_node(
        user=hq, program=draft, node=measure.strategy, name="新策略", expected_revision=1
    )
    with pytest.raises(DomainError) as err:
        tree.rename_node(
            user=hq, program=draft, node=measure.strategy, name="", expected_revision=2
        )
    assert err.value.where == "name"
    tree.move_node(user=hq, program=draft, node=second, direction="up", expected_revision=2)
    assert [(p.pk, p.number) for p in practices_of(draft)] == [(second.pk, 1), (first.pk, 2)]
    with pytest.raises(DomainError) as err:
        tree.move_node(user=hq, program=draft, node=second, direction="up", expected_revision=3)
    assert err.value.where == "direction" and "最前" in err.value.message
    other = tree.add_node(
        user=hq,
        program=draft,
        kind="measure",
        parent=measure.strategy,
        name="另一子策略",
        expected_revision=3,
    )
    tree.reparent_node(user=hq, program=draft, node=first, parent=other, expected_revision=4)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.measure_id, first.number, second.number) == (other.pk, None, None)
    tree.remove_node(user=hq, program=draft, node=measure.strategy.facet, expected_revision=5)
    assert practices_of(draft) == [] and fresh(draft).revision == 6
    assert audited(measure.strategy.facet, "removed").get().old == "面向1"
