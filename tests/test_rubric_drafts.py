"""programs/domain/rubric_drafts.py: HQ's rubric for a year, from draft to versions."""

from decimal import Decimal

import pytest

from servplan.assessments.domain.errors import Conflict, NotAllowed
from servplan.audit.models import AuditEntry
from servplan.core.errors import DomainError
from servplan.offices.models import Office, Role
from servplan.programs.domain import RubricError, rubric_spec
from servplan.programs.domain.rubric_drafts import (
    new_rubric_version,
    publish_rubric,
    start_rubric,
    update_rubric,
)
from servplan.programs.lookups import published_rubrics
from servplan.programs.models import Rubric

pytestmark = pytest.mark.django_db


@pytest.fixture
def hq(make):
    return make.user(role=Role.HQ_REVIEWER)


@pytest.fixture
def shipped_rubric(shipped):
    return Rubric.objects.get(roc_year=114)


def fresh(rubric):
    return Rubric.objects.get(pk=rubric.pk)


def test_the_shipped_rubric_is_published_and_offered(shipped_rubric):
    assert shipped_rubric.status == "published"
    assert list(published_rubrics()) == [shipped_rubric]


def test_starting_a_year_copies_last_years_rubric_as_a_draft(shipped_rubric, hq):
    draft = start_rubric(user=hq, roc_year="115")
    assert (draft.status, draft.roc_year, draft.version) == ("draft", 115, 1)
    assert draft.title == "115年度提升服務效能執行計畫考核項目及評分表"
    spec, source = rubric_spec(draft), rubric_spec(shipped_rubric)
    assert [(d.name, d.max, d.scoring_focus) for d in spec.dimensions] == [
        (d.name, d.max, d.scoring_focus) for d in source.dimensions
    ]
    assert [[c.max for c in d.cells] for d in spec.dimensions][1] == [140, 130, 130]
    assert draft not in published_rubrics()
    assert AuditEntry.objects.filter(object_id=draft.pk, field="created").get().user == hq


def test_starting_is_refused_for_others_twice_and_without_a_source(shipped_rubric, hq, make):
    with pytest.raises(NotAllowed):
        start_rubric(user=make.user(office=Office.objects.get(name="台東區營業處")), roc_year=115)
    start_rubric(user=hq, roc_year=115)
    with pytest.raises(DomainError) as err:
        start_rubric(user=hq, roc_year=115)
    assert err.value.where == "title"
    with pytest.raises(DomainError) as err:
        start_rubric(user=hq, roc_year=114)
    assert err.value.where == "source"
    with pytest.raises(DomainError) as err:
        start_rubric(user=hq, roc_year="一一五")
    assert err.value.where == "roc_year"


def test_editing_a_draft_keeps_its_id_and_checks_the_sums(shipped_rubric, hq):
    draft = start_rubric(user=hq, roc_year=115)
    spec = rubric_spec(draft)
    spec.dimensions[0].cells[0].max = Decimal(120)
    with pytest.raises(RubricError) as err:
        update_rubric(user=hq, rubric=draft, spec=spec, expected_revision=1)
    assert err.value.where == "創新性" and "合計 320 分" in err.value.message
    spec.dimensions[0].cells[1].max = Decimal(80)
    spec.dimensions[0].scoring_focus = "創新的程度"
    spec.items[2] = "公私協力及志工"
    for d in spec.dimensions:
        d.cells[2].item = "公私協力及志工"
    updated = update_rubric(user=hq, rubric=draft, spec=spec, expected_revision=1)
    assert updated.pk == draft.pk and updated.revision == 2
    again = rubric_spec(fresh(draft))
    assert [c.max for c in again.dimensions[0].cells] == [120, 80, 100]
    assert again.items[2] == "公私協力及志工" and again.dimensions[0].scoring_focus == "創新的程度"
    entry = AuditEntry.objects.get(
        object_id=draft.pk, object_type="programs.rubric", field="content"
    )
    assert "創新性 300「創新的程度」" in entry.new and "提供在地化及客製化關懷服務 120" in entry.new
    with pytest.raises(Conflict) as err:
        update_rubric(user=hq, rubric=draft, spec=spec, expected_revision=1)
    assert err.value.where == "revision"


def test_a_published_rubric_is_not_edited_in_place(shipped_rubric, hq):
    with pytest.raises(Conflict) as err:
        update_rubric(
            user=hq, rubric=shipped_rubric, spec=rubric_spec(shipped_rubric), expected_revision=1
        )
    assert "建立新版本" in err.value.message


def test_publishing_a_draft_offers_it_to_offices(shipped_rubric, hq):
    draft = start_rubric(user=hq, roc_year=115)
    published = publish_rubric(user=hq, rubric=draft, expected_revision=1)
    assert published.status == "published" and published.published_at is not None
    assert set(published_rubrics()) == {shipped_rubric, published}


def test_a_rubric_in_use_stays_frozen_a_new_version_replaces_it(shipped_rubric, hq, make):
    assessment = make.assessment(rubric_=shipped_rubric)
    assert shipped_rubric.is_frozen
    draft = new_rubric_version(user=hq, rubric=shipped_rubric)
    assert (draft.version, draft.supersedes, draft.status) == (2, shipped_rubric, "draft")
    with pytest.raises(Conflict):
        new_rubric_version(user=hq, rubric=shipped_rubric)
    spec = rubric_spec(draft)
    spec.dimensions[1].cells[0].max, spec.dimensions[1].cells[1].max = Decimal(150), Decimal(120)
    update_rubric(user=hq, rubric=draft, spec=spec, expected_revision=1)
    with pytest.raises(DomainError) as err:
        publish_rubric(user=hq, rubric=draft, expected_revision=2)
    assert err.value.where == "reason"
    publish_rubric(user=hq, rubric=draft, reason="調整效益及影響配分", expected_revision=2)
    assert list(published_rubrics()) == [fresh(draft)]
    assessment.refresh_from_db()
    assert assessment.rubric == shipped_rubric
    assert [c.max for c in rubric_spec(shipped_rubric).dimensions[1].cells] == [140, 130, 130]
    with pytest.raises(DomainError) as err:
        new_rubric_version(user=hq, rubric=shipped_rubric)  # superseded now
    assert err.value.where == "rubric"


def test_an_import_is_never_filed_under_a_draft(db):
    from servplan.imports.domain import check_file, rubric_spec_for
    from servplan.programs.domain import create_rubric
    from tests.imports.forms import small_sheet, to_txt

    data = to_txt(small_sheet(period="113 年度 7 月至 12 月").blocks())
    spec = rubric_spec_for(check_file(filename="form.txt", data=data).doc)
    draft = create_rubric(spec=spec, status="draft")
    assert check_file(filename="form.txt", data=data).rubric is None
    Rubric.objects.filter(pk=draft.pk).update(status="published")
    assert check_file(filename="form.txt", data=data).rubric == draft
