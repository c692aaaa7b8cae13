"""HQ's list of typos: the shipped file, HQ's page to add and retire entries, the finder."""

import pytest
from django.urls import reverse

from servplan.audit.models import AuditEntry
from servplan.core.data import data_path, read_yaml
from servplan.core.errors import DomainError
from servplan.offices.models import Role
from servplan.periods import domain
from servplan.periods.models import TypoCorrection
from servplan.periods.typos import find_typos


@pytest.fixture
def hq(db, make):
    return make.user(role=Role.HQ_REVIEWER)


def test_the_shipped_list_loads_once_and_never_brings_back_a_retired_entry(hq):
    data = read_yaml(data_path("typos.yaml"))
    assert domain.load_typos(data=data) == len(data)
    assert TypoCorrection.objects.get(wrong="嫓熟").right == "嫻熟"
    assert TypoCorrection.objects.get(wrong="問券").right == "問卷"
    domain.retire_typo(entry=TypoCorrection.objects.get(wrong="問券"), user=hq)
    assert domain.load_typos(data=data) == 0
    assert not TypoCorrection.objects.get(wrong="問券").active


def test_servplan_init_loads_it(shipped):
    assert TypoCorrection.objects.filter(wrong="嫓熟", active=True).exists()


def test_the_finder_shows_each_find_in_its_context():
    entries = [
        TypoCorrection(wrong="問券", right="問卷"),
        TypoCorrection(wrong="嫓熟", right="嫻熟"),
    ]
    found = find_typos("採用線上問券、電訪。\n人員嫓熟各項申請，再做一次問券", entries)
    assert [(f.wrong, f.before, f.after) for f in found] == [
        ("問券", "採用線上", "、電訪。 人員嫓熟各項申"),
        ("嫓熟", "用線上問券、電訪。 人員", "各項申請，再做一次問券"),
        ("問券", "員嫓熟各項申請，再做一次", ""),
    ]
    assert find_typos("問卷與嫻熟", entries) == []


def test_hq_adds_and_retires_entries_on_its_page_with_an_audit_entry(hq, as_user):
    client = as_user(hq)
    response = client.post(
        reverse("period-typo-add"), {"wrong": "申辨", "right": "申辦", "note": "錯字"}
    )
    assert response.status_code == 302
    entry = TypoCorrection.objects.get(wrong="申辨")
    assert AuditEntry.objects.filter(
        object_type="periods.typocorrection", object_id=entry.pk
    ).exists()
    assert "申辨" in client.get(reverse("period-typos")).text
    assert client.post(reverse("period-typo-retire", args=[entry.pk])).status_code == 302
    entry.refresh_from_db()
    assert not entry.active
    # adding it again puts it back in use, with the correction given now
    client.post(reverse("period-typo-add"), {"wrong": "申辨", "right": "申辦（業務）"})
    entry.refresh_from_db()
    assert entry.active and entry.right == "申辦（業務）"


@pytest.mark.parametrize(
    ("data", "status", "field"),
    [
        ({"wrong": "", "right": "問卷"}, 400, "誤用字詞"),
        ({"wrong": "問券", "right": ""}, 400, "建議用字"),
        ({"wrong": "問卷", "right": "問卷"}, 400, "相同"),
        ({"wrong": "問" * 21, "right": "問卷"}, 400, "最多 20 個字"),
        ({"wrong": "問券\n二", "right": "問卷"}, 400, "一行"),
    ],
)
def test_a_bad_entry_is_refused_naming_the_field(hq, as_user, data, status, field):
    response = as_user(hq).post(reverse("period-typo-add"), data)
    assert response.status_code == status and field in response.text
    assert not TypoCorrection.objects.exists()


def test_an_entry_in_use_already_is_a_conflict(hq, as_user):
    domain.add_typo(wrong="問券", right="問卷", user=hq)
    response = as_user(hq).post(reverse("period-typo-add"), {"wrong": "問券", "right": "問卷"})
    assert response.status_code == 409 and "已在清單中" in response.text


def test_only_hq_edits_the_list(hq, make):
    clerk = make.user(office=make.office())
    with pytest.raises(DomainError):
        domain.add_typo(wrong="問券", right="問卷", user=clerk)
    entry = domain.add_typo(wrong="問券", right="問卷", user=hq)
    with pytest.raises(DomainError):
        domain.retire_typo(entry=entry, user=clerk)
