"""The plan API: starting and editing a draft, office isolation, stale versions, checks."""

import pytest
from django.utils import timezone

from servplan.audit.models import AuditEntry
from servplan.offices.models import Office, Role
from servplan.plans.models import OfficePlan, PlanStatus
from servplan.programs.models import Practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(make):
    return make.plan(practices=3)


@pytest.fixture
def people(make, plan):
    """The plan's clerk, a same-office other role, HQ, another office's clerk, an admin."""
    return {
        "clerk": make.user(office=plan.office),
        "chief": make.user(office=plan.office, role=Role.SECTION_CHIEF),
        "hq": make.user(role=Role.HQ_REVIEWER),
        "outsider": make.user(office=make.office()),
        "admin": make.user(role=Role.ADMIN),
    }


def practice_ids(plan):
    return list(
        Practice.objects.filter(measure__strategy__facet__outline=plan.outline)
        .order_by("position")
        .values_list("id", flat=True)
    )


def url(plan, practice_id=None, tail=""):
    base = f"/api/plans/{plan.pk}/"
    return f"{base}practices/{practice_id}/{tail}" if practice_id else base + tail


# ---- starting -----------------------------------------------------------------------------


@pytest.fixture
def miaoli(shipped):
    return Office.objects.get(name="苗栗區營業處")


def test_the_clerk_starts_a_plan_from_the_program(miaoli, make, api):
    response = api(make.user(office=miaoli)).post(
        "/api/plans/", {"office": "苗栗區營業處", "roc_year": 113}
    )
    assert response.status_code == 201
    body = response.json()
    plan = OfficePlan.objects.get(pk=body["id"])
    assert (body["office"], body["roc_year"], body["program_year"], body["status"]) == (
        "苗栗區營業處",
        113,
        112,
        "draft",
    )
    assert body["title"] == "苗栗區營業處113年度提升服務效能執行計畫" and body["version"] == 1
    practice = body["facets"][0]["strategies"][0]["measures"][0]["practices"][0]
    assert (
        practice["from_hq"] and practice["version"] == 1 and practice["departments"] == ["業務組"]
    )
    assert Practice.objects.get(pk=practice["id"]).measure.strategy.facet.outline == plan.outline
    assert body["facets"][0]["strategies"][0]["from_hq"]


def test_start_from_last_year(sample, make, api):
    miaoli = Office.objects.get(name="苗栗區營業處")
    response = api(make.user(office=miaoli)).post(
        "/api/plans/", {"office": "苗栗", "roc_year": "113", "start_from": "last-year"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["approved_on"] is None and body["goals"].startswith("掌握內外在環境轉變")


@pytest.mark.parametrize("office", ["台東區營業處", "火星區營業處"])
def test_another_or_unknown_office_is_404_alike(miaoli, make, api, office):
    response = api(make.user(office=miaoli)).post(
        "/api/plans/", {"office": office, "roc_year": 113}
    )
    assert response.status_code == 404 and response.json() == {"detail": "找不到資料"}
    assert not OfficePlan.objects.exists()


@pytest.mark.parametrize("role", [Role.SECTION_CHIEF, Role.HQ_REVIEWER])
def test_only_clerks_start_plans(miaoli, make, api, role):
    user = make.user(office=miaoli if role == Role.SECTION_CHIEF else None, role=role)
    response = api(user).post("/api/plans/", {"office": "苗栗區營業處", "roc_year": 113})
    assert response.status_code == 404
    assert not OfficePlan.objects.exists()


def test_an_admin_starts_any_offices_plan(miaoli, make, api):
    response = api(make.user(role=Role.ADMIN)).post(
        "/api/plans/", {"office": "miaoli", "roc_year": 113}
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"office": " ", "roc_year": 113}, "office"),
        ({"roc_year": "abc"}, "roc_year"),
        ({"roc_year": None}, "roc_year"),
        ({"roc_year": 99}, "roc_year"),
        ({"roc_year": 112, "start_from": "nothing"}, "start_from"),
        ({"roc_year": 113, "start_from": "last-year"}, "start_from"),
    ],
)
def test_bad_input_is_400_naming_the_field(miaoli, make, api, body, where):
    response = api(make.user(office=miaoli)).post("/api/plans/", {"office": "苗栗區營業處", **body})
    assert response.status_code == 400 and response.json()["where"] == where


def test_a_second_plan_for_the_year_is_400(sample, make, api):
    response = api(make.user(office=Office.objects.get(name="苗栗區營業處"))).post(
        "/api/plans/", {"office": "苗栗區營業處", "roc_year": 112}
    )
    assert response.status_code == 400 and response.json()["where"] == "roc_year"
    assert "已有 112 年度執行計畫" in response.json()["detail"]


# ---- reading ------------------------------------------------------------------------------


def test_a_draft_is_seen_by_its_office_only(plan, people, api):
    for who in ["clerk", "chief", "admin"]:
        assert api(people[who]).get(url(plan)).status_code == 200, who
        assert [p["id"] for p in api(people[who]).get("/api/plans/").json()["items"]] == [plan.pk]
    for who in ["hq", "outsider"]:
        assert api(people[who]).get(url(plan)).status_code == 404, who
        assert api(people[who]).get("/api/plans/").json()["items"] == [], who
        assert api(people[who]).get(url(plan, tail="checks/")).status_code == 404, who


@pytest.mark.parametrize(
    "status", [PlanStatus.SUBMITTED, PlanStatus.APPROVED, PlanStatus.PUBLISHED]
)
def test_hq_sees_submitted_and_later(plan, people, api, status):
    OfficePlan.objects.filter(pk=plan.pk).update(status=status)
    assert api(people["hq"]).get(url(plan)).json()["status"] == status
    assert api(people["outsider"]).get(url(plan)).status_code == 404


def test_detail_queries_do_not_grow_with_the_tree(make, api, django_assert_num_queries):
    small = make.plan(roc_year=113, facets=1, practices=1)
    large = make.plan(roc_year=114, facets=5, practices=12)
    client = api(make.user(office=small.office))
    large_client = api(make.user(office=large.office))
    # token lookup, last-used update, then the plan, one query per tree level, its sign-offs
    # and the office's chain steps
    with django_assert_num_queries(10):
        assert client.get(url(small)).status_code == 200
    with django_assert_num_queries(10):
        body = large_client.get(url(large)).json()
    assert sum(len(f["strategies"][0]["measures"][0]["practices"]) for f in body["facets"]) == 60


# ---- editing practices --------------------------------------------------------------------


def test_patch_a_practice_returns_the_new_version(plan, people, api):
    pid = practice_ids(plan)[0]
    response = api(people["clerk"]).patch(
        url(plan, pid),
        {"text": "新寫法", "departments": ["人資組", "業務組"], "period": "每季", "version": 1},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["text"], body["departments"], body["period"], body["version"]) == (
        "新寫法",
        ["人資組", "業務組"],
        "每季",
        2,
    )


def test_a_stale_patch_is_409_with_the_newer_values(plan, people, api):
    pid = practice_ids(plan)[0]
    clerk = api(people["clerk"])
    assert clerk.patch(url(plan, pid), {"target": "2 場", "version": 1}).status_code == 200
    response = clerk.patch(url(plan, pid), {"target": "3 場", "version": 1})
    assert response.status_code == 409
    body = response.json()
    assert body["current"]["target"] == "2 場" and body["current"]["version"] == 2
    assert "detail" in body and "where" in body


def test_patch_needs_a_version(plan, people, api):
    pid = practice_ids(plan)[0]
    assert api(people["clerk"]).patch(url(plan, pid), {"text": "改"}).status_code == 400


def test_a_bad_patch_is_400_naming_the_field(plan, people, api):
    pid = practice_ids(plan)[0]
    response = api(people["clerk"]).patch(url(plan, pid), {"departments": ["秘書室"], "version": 1})
    assert response.status_code == 400 and response.json()["where"] == "departments"


def test_not_applicable_through_patch(plan, people, api):
    pid = practice_ids(plan)[0]
    clerk = api(people["clerk"])
    response = clerk.patch(url(plan, pid), {"not_applicable": True, "version": 1})
    assert response.status_code == 400 and response.json()["where"] == "reason"
    response = clerk.patch(
        url(plan, pid), {"not_applicable": True, "reason": "本處無此業務", "version": 1}
    )
    assert response.status_code == 200
    assert response.json()["not_applicable"] and response.json()["version"] == 2
    mixed = clerk.patch(url(plan, pid), {"not_applicable": False, "text": "改", "version": 2})
    assert mixed.status_code == 400 and mixed.json()["where"] == "not_applicable"
    back = clerk.patch(url(plan, pid), {"not_applicable": False, "version": 2})
    assert back.json()["not_applicable"] is False and back.json()["not_applicable_reason"] == ""


def test_add_then_delete_the_offices_own_practice(plan, people, api):
    clerk = api(people["clerk"])
    measure = clerk.get(url(plan)).json()["facets"][0]["strategies"][0]["measures"][0]["id"]
    response = clerk.post(
        url(plan, tail="practices/"),
        {"measure": measure, "text": "用戶座談會", "departments": ["業務組"], "period": "每季"},
    )
    assert response.status_code == 201
    added = response.json()
    assert added["number"] == 4 and added["from_hq"] is False
    assert clerk.delete(url(plan, added["id"])).status_code == 204
    assert not Practice.objects.filter(pk=added["id"]).exists()


def test_add_to_an_unknown_measure_is_400(plan, people, api):
    response = api(people["clerk"]).post(
        url(plan, tail="practices/"), {"measure": 999999, "text": "作法"}
    )
    assert response.status_code == 400 and response.json()["where"] == "measure"


def test_deleting_hqs_practice_is_refused(plan, people, api):
    pid = practice_ids(plan)[0]
    response = api(people["clerk"]).delete(url(plan, pid))
    assert response.status_code == 400 and response.json()["where"] == "practice"
    assert Practice.objects.filter(pk=pid).exists()


def test_move_a_practice(plan, people, api):
    first, second, _third = practice_ids(plan)
    response = api(people["clerk"]).post(url(plan, second, "move/"), {"direction": "up"})
    assert response.status_code == 200 and response.json()["number"] == 1
    assert practice_ids(plan)[:2] == [second, first]
    top = api(people["clerk"]).post(url(plan, second, "move/"), {"direction": "up"})
    assert top.status_code == 400 and top.json()["where"] == "direction"


def test_a_practice_of_another_plan_is_404(plan, people, api, make):
    other = make.plan(roc_year=113)
    foreign = practice_ids(other)[0]
    clerk = api(people["clerk"])
    assert clerk.patch(url(plan, foreign), {"text": "改", "version": 1}).status_code == 404
    assert clerk.delete(url(plan, foreign)).status_code == 404
    assert clerk.post(url(plan, foreign, "move/"), {"direction": "down"}).status_code == 404


def writes(plan):
    pid, second, third = practice_ids(plan)
    return [
        ("patch", url(plan, pid), {"text": "改", "version": 1}),
        ("patch", url(plan, third), {"not_applicable": True, "reason": "無", "version": 1}),
        ("post", url(plan, second, "move/"), {"direction": "up"}),
        ("patch", url(plan), {"goals": "目標", "version": 1}),
    ]


def call(client, method, target, data):
    return getattr(client, method)(target, data)


@pytest.mark.parametrize(("who", "code"), [("chief", 403), ("hq", 404), ("outsider", 404)])
def test_edits_by_anyone_but_the_clerk_are_refused(plan, people, api, make, who, code):
    client = api(people[who])
    for method, target, data in writes(plan):
        assert call(client, method, target, data).status_code == code, target
    own = make.user(office=plan.office)  # adds one of the office's own, as the clerk would
    from servplan.plans.domain import add_practice

    added = add_practice(
        plan=plan,
        measure=Practice.objects.get(pk=practice_ids(plan)[0]).measure,
        user=own,
        text="自辦",
    )
    assert client.delete(url(plan, added.pk)).status_code == code
    measure = added.measure_id
    assert (
        client.post(url(plan, tail="practices/"), {"measure": measure, "text": "x"}).status_code
        == code
    )
    assert not AuditEntry.objects.exclude(user=own).exclude(field="created").exists()


def test_the_admin_edits_too(plan, people, api):
    for method, target, data in writes(plan):
        assert call(api(people["admin"]), method, target, data).status_code == 200, target


@pytest.mark.parametrize("status", [PlanStatus.SUBMITTED, PlanStatus.APPROVED])
def test_edits_after_the_draft_are_409(plan, people, api, status):
    OfficePlan.objects.filter(pk=plan.pk).update(status=status)
    for method, target, data in writes(plan):
        response = call(api(people["clerk"]), method, target, data)
        assert response.status_code == 409 and "不可修改" in response.json()["detail"], target
    # HQ sees the submitted plan now, but still may not change it
    assert call(api(people["hq"]), *writes(plan)[0]).status_code == 403


# ---- sections and checks ------------------------------------------------------------------


def test_patch_sections_and_a_stale_one(plan, people, api):
    clerk = api(people["clerk"])
    response = clerk.patch(
        url(plan), {"goals": "提升效能", "steps": ["訂定", "公開"], "version": 1}
    )
    assert response.status_code == 200
    assert response.json()["steps"] == ["訂定", "公開"] and response.json()["version"] == 2
    stale = clerk.patch(url(plan), {"goals": "舊的", "version": 1})
    assert stale.status_code == 409 and stale.json()["current"]["goals"] == "提升效能"
    assert clerk.get(url(plan)).json()["goals"] == "提升效能"


def test_checks(plan, people, api):
    pid = practice_ids(plan)[0]
    clerk = api(people["clerk"])
    clerk.patch(url(plan, pid), {"departments": [], "version": 1})
    assert clerk.get(url(plan, tail="checks/")).json() == [
        {
            "level": "error",
            "where": "策略1／子策略1（1）",
            "message": "策略1／子策略1（1）：尚未填承辦部門",
        }
    ]


# ---- the office's own strategies ----------------------------------------------------------


def test_add_rename_and_delete_an_offices_strategy(plan, people, api):
    clerk = api(people["clerk"])
    facet = clerk.get(url(plan)).json()["facets"][0]
    assert facet["strategies"][0]["version"] == 1 and facet["strategies"][0]["from_hq"]
    response = clerk.post(url(plan, tail="strategies/"), {"facet": facet["id"], "name": "在地關懷"})
    assert response.status_code == 201
    added = response.json()
    assert (added["name"], added["from_hq"], added["version"]) == ("在地關懷", False, 1)
    (measure,) = added["measures"]
    practice = clerk.post(
        url(plan, tail="practices/"), {"measure": measure["id"], "text": "關懷獨居長者"}
    )
    assert practice.status_code == 201

    target = url(plan, tail=f"strategies/{added['id']}/")
    renamed = clerk.patch(target, {"name": "在地關懷服務", "version": 1})
    assert renamed.status_code == 200 and renamed.json()["version"] == 2
    stale = clerk.patch(target, {"name": "舊名", "version": 1})
    assert stale.status_code == 409 and stale.json()["current"]["name"] == "在地關懷服務"
    detail = clerk.get(url(plan)).json()["facets"][0]["strategies"]
    assert [(s["name"], s["version"]) for s in detail] == [("策略1", 1), ("在地關懷服務", 2)]
    assert clerk.delete(target).status_code == 204
    assert not Practice.objects.filter(pk=practice.json()["id"]).exists()
    assert clerk.delete(target).status_code == 404


def test_strategy_bad_input_and_hqs_strategy(plan, people, api):
    clerk = api(people["clerk"])
    facet = clerk.get(url(plan)).json()["facets"][0]
    hq = facet["strategies"][0]["id"]
    blank = clerk.post(url(plan, tail="strategies/"), {"facet": facet["id"], "name": " "})
    assert blank.status_code == 400 and blank.json()["where"] == "name"
    unknown = clerk.post(url(plan, tail="strategies/"), {"facet": 999999, "name": "策略"})
    assert unknown.status_code == 400 and unknown.json()["where"] == "facet"
    renamed = clerk.patch(url(plan, tail=f"strategies/{hq}/"), {"name": "改", "version": 1})
    assert renamed.status_code == 400 and renamed.json()["where"] == "strategy"
    deleted = clerk.delete(url(plan, tail=f"strategies/{hq}/"))
    assert deleted.status_code == 400 and deleted.json()["where"] == "strategy"
    assert clerk.patch(url(plan, tail=f"strategies/{hq}/"), {"name": "改"}).status_code == 400


def test_a_strategy_of_another_plan_is_404(plan, people, api, make):
    other = make.plan(roc_year=113)
    foreign = other.outline.facets.get()
    clerk = api(people["clerk"])
    response = clerk.post(url(plan, tail="strategies/"), {"facet": foreign.pk, "name": "策略"})
    assert response.status_code == 400 and response.json()["where"] == "facet"
    strategy = foreign.strategies.get().pk
    assert clerk.delete(url(plan, tail=f"strategies/{strategy}/")).status_code == 404


@pytest.mark.parametrize(("who", "code"), [("chief", 403), ("hq", 404), ("outsider", 404)])
def test_strategy_edits_by_anyone_but_the_clerk_are_refused(plan, people, api, who, code):
    from servplan.plans.domain import add_strategy

    facet = plan.outline.facets.get()
    own = add_strategy(plan=plan, facet=facet, user=None, name="自訂策略")
    before = AuditEntry.objects.count()
    client = api(people[who])
    target = url(plan, tail=f"strategies/{own.pk}/")
    assert (
        client.post(url(plan, tail="strategies/"), {"facet": facet.pk, "name": "x"}).status_code
        == code
    )
    assert client.patch(target, {"name": "新名", "version": 1}).status_code == code
    assert client.delete(target).status_code == code
    assert AuditEntry.objects.count() == before


# ---- the sign-off chain, as for assessments -------------------------------------------------


@pytest.fixture
def chain(make, plan):
    return make.staff(plan.office)


def test_the_whole_chain_over_the_api(plan, chain, people, api):
    clerk = api(chain[Role.CLERK])
    assert api(chain[Role.DIRECTOR]).post(url(plan, tail="submit/")).status_code == 403
    response = clerk.post(url(plan, tail="submit/"))
    body = response.json()
    assert response.status_code == 200 and body["status"] == "submitted"
    assert body["current_signer"] == "section_chief"
    assert body["waiting_on"] == {"role": "section_chief", "since": body["signoffs"][0]["at"]}
    assert [s["role"] for s in body["chain"]] == [
        "clerk",
        "section_chief",
        "manager",
        "deputy_director",
        "director",
    ]
    assert clerk.post(url(plan, tail="submit/")).status_code == 409
    signoffs = url(plan, tail="signoffs/")
    assert api(chain[Role.MANAGER]).post(signoffs, {"decision": "approve"}).status_code == 403
    chief = api(chain[Role.SECTION_CHIEF])
    assert chief.post(signoffs, {"decision": "return"}).status_code == 400
    response = chief.post(signoffs, {"decision": "return", "comment": "請補充"})
    assert response.status_code == 201 and response.json()["status"] == "draft"
    assert clerk.post(url(plan, tail="submit/")).status_code == 200
    for role in (Role.SECTION_CHIEF, Role.MANAGER, Role.DEPUTY_DIRECTOR, Role.DIRECTOR):
        response = api(chain[role]).post(signoffs, {"decision": "approve"})
        assert response.status_code == 201
    today = timezone.localdate().isoformat()
    assert response.json()["status"] == "approved" and response.json()["approved_on"] == today
    assert api(chain[Role.DIRECTOR]).post(signoffs, {"decision": "approve"}).status_code == 409
    body = api(people["hq"]).get(url(plan)).json()
    assert (body["status"], body["approved_on"], body["waiting_on"]) == ("approved", today, None)
    assert [(s["position"], s["role"], s["decision"]) for s in body["signoffs"]][-5:] == [
        (1, "clerk", "submit"),
        (2, "section_chief", "approve"),
        (3, "manager", "approve"),
        (4, "deputy_director", "approve"),
        (5, "director", "approve"),
    ]
    assert body["signoffs"][-1]["signer_name"] == chain[Role.DIRECTOR].username
    assert body["signoffs"][-1]["on_behalf_of"] is None


def test_a_bad_decision_is_400_and_another_office_gets_404(plan, chain, people, api, make):
    api(chain[Role.CLERK]).post(url(plan, tail="submit/"))
    signoffs = url(plan, tail="signoffs/")
    response = api(chain[Role.SECTION_CHIEF]).post(signoffs, {"decision": "maybe"})
    assert response.status_code == 400 and response.json()["where"] == "decision"
    stranger = make.user(office=make.office(), role=Role.SECTION_CHIEF)
    assert api(stranger).post(signoffs, {"decision": "approve"}).status_code == 404


def test_submit_with_check_errors_is_400_listing_them(plan, people, api):
    clerk = api(people["clerk"])
    clerk.patch(url(plan, practice_ids(plan)[0]), {"departments": [], "version": 1})
    response = clerk.post(url(plan, tail="submit/"))
    assert response.status_code == 400 and "尚未填承辦部門" in response.json()["detail"]
    assert clerk.get(url(plan)).json()["status"] == "draft"


@pytest.mark.parametrize("who", ["hq", "outsider"])
def test_a_draft_is_404_to_hq_and_other_offices_on_every_chain_route(plan, people, api, who):
    client = api(people[who])
    for tail, data in [
        ("submit/", {}),
        ("signoffs/", {"decision": "approve"}),
        ("reopen/", {"reason": "x"}),
    ]:
        assert client.post(url(plan, tail=tail), data).status_code == 404, tail
    assert client.get(url(plan, tail="history/")).status_code == 404


def test_reopen_needs_hq(plan, chain, people, api):
    from servplan.plans.domain import sign_plan, submit_plan

    submit_plan(plan=plan, user=chain[Role.CLERK])
    for role in (Role.SECTION_CHIEF, Role.MANAGER, Role.DEPUTY_DIRECTOR, Role.DIRECTOR):
        sign_plan(plan=plan, user=chain[role], decision="approve")
    target = url(plan, tail="reopen/")
    hq = api(people["hq"])
    assert api(chain[Role.DIRECTOR]).post(target, {"reason": "x"}).status_code == 403
    assert hq.post(target, {"reason": ""}).status_code == 400
    response = hq.post(target, {"reason": "目標誤植"})
    assert response.status_code == 200 and response.json() == {"id": plan.pk, "status": "draft"}
    assert hq.post(target, {"reason": "目標誤植"}).status_code == 404
    body = api(chain[Role.CLERK]).get(url(plan)).json()
    assert body["approved_on"] is None and body["reopened"]["reason"] == "目標誤植"
    assert body["reopened"]["by"] == people["hq"].username
    assert body["waiting_on"] == {"role": "clerk", "since": body["reopened"]["at"]}


def test_history_lists_edits_and_sign_offs(plan, chain, api):
    clerk = api(chain[Role.CLERK])
    clerk.patch(url(plan, practice_ids(plan)[0]), {"target": "每季 1 場", "version": 1})
    clerk.post(url(plan, tail="submit/"))
    api(chain[Role.SECTION_CHIEF]).post(
        url(plan, tail="signoffs/"), {"decision": "return", "comment": "補件"}
    )
    entries = clerk.get(url(plan, tail="history/")).json()["items"]
    assert set(entries[0]) == {"user", "at", "object", "field", "old", "new"}
    rows = [(e["user"], e["object"], e["field"], e["new"]) for e in entries]
    assert (chain[Role.CLERK].username, "策略1／子策略1（1）", "target", "每季 1 場") in rows
    assert (chain[Role.CLERK].username, "核章", "signoff", "1. 經辦 送出") in rows
    assert (chain[Role.SECTION_CHIEF].username, "核章", "signoff", "2. 課長 退回：補件") in rows
    assert [e["new"] for e in entries if e["field"] == "status"] == ["submitted", "draft"]


def test_a_deputy_signs_over_the_api(plan, chain, api, make):
    from servplan.offices.domain import register_deputy

    stand_in = make.user(office=plan.office, username="plan-stand-in")
    chief = chain[Role.SECTION_CHIEF]
    today = timezone.localdate()
    register_deputy(
        office=plan.office,
        principal=chief,
        deputy=stand_in,
        starts_on=today,
        ends_on=today,
        reason="休假",
        user=chief,
    )
    api(chain[Role.CLERK]).post(url(plan, tail="submit/"))
    response = api(stand_in).post(url(plan, tail="signoffs/"), {"decision": "approve"})
    assert response.status_code == 201
    assert response.json()["signer_name"] == f"plan-stand-in 代 {chief.username}"
    assert response.json()["on_behalf_of"] == chief.username
    step = api(chain[Role.CLERK]).get(url(plan)).json()["signoffs"][-1]
    assert (step["user"], step["on_behalf_of"]) == ("plan-stand-in", chief.username)
