"""Assessment pages. Every change goes through servplan.assessments.domain."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from servplan.assessments import domain
from servplan.assessments.access import (
    can_create,
    can_edit,
    can_review,
    get_assessment_for_user,
    get_cell_for_user,
    get_evidence_for_user,
    get_finding_for_user,
    get_improvement_for_user,
    visible_assessments,
)
from servplan.assessments.domain.evidence import ACCEPT, MAX_EVIDENCE_BYTES
from servplan.assessments.history import HistoryFilter, filter_choices, history_entries
from servplan.assessments.models import (
    Assessment,
    Evidence,
    Finding,
    FollowUp,
    ImprovementStatus,
    SignOff,
    Status,
)
from servplan.assessments.sheet import build_sheet, sheet_queryset
from servplan.assessments.standing import stand_in, standing, with_signoffs
from servplan.core.errors import DomainError
from servplan.core.listing import office_regions, page_of
from servplan.core.parsing import parse_version, parse_whole
from servplan.core.roc import Period, RocError, parse_period, to_roc_year
from servplan.offices.access import is_hq, membership
from servplan.offices.models import Office, Role
from servplan.offices.signing import may_sign
from servplan.programs.lookups import published_rubrics


def page_queryset():
    """The sheet plus what the page adds: sign-offs with their signers, evidence per cell, the
    office's chains (read by the chain and by whom it waits on)."""
    return sheet_queryset().prefetch_related(
        Prefetch("signoffs", queryset=SignOff.objects.select_related("user")),
        Prefetch("cells__evidence", queryset=Evidence.objects.order_by("uploaded_at", "id")),
        "office__chain_steps",
    )


# The list's 狀態 filter: a status, or a standing read from the sign-offs (returned, mine).
STATUS_FILTERS = [
    ("draft", "草稿"),
    ("returned", "已退回"),
    ("in_signoff", "核章中"),
    ("mine", "待我核章"),
    ("submitted", "已送業務處"),
    ("reviewed", "已複評"),
]
_STATUS_OF_FILTER = {"returned": Status.DRAFT, "mine": Status.IN_SIGNOFF}


def _list_filters(request, assessments, deputy_for: frozenset[Role]):
    """The GET filters (status, period, office and region for HQ) as the form shows them,
    and the rows (a queryset, or a list for the two filters standing() decides, with the
    roles the user stands in for: `deputy_for`).

    A value that names nothing is ignored (the filter shows 全部), never a 500.
    """
    chosen = {key: request.GET.get(key, "") for key in ("status", "period", "office", "region")}
    status = chosen["status"] if chosen["status"] in dict(STATUS_FILTERS) else ""
    if status:
        assessments = assessments.filter(status=_STATUS_OF_FILTER.get(status, status))
    try:
        period = parse_period(chosen["period"]) if chosen["period"] else None
    except RocError:
        period = None
    if period:
        assessments = assessments.filter(
            roc_year=period.roc_year, start_month=period.start_month, end_month=period.end_month
        )
    hq = is_hq(request.user)
    office = chosen["office"] if hq and chosen["office"].isdigit() else ""
    if office:
        assessments = assessments.filter(office_id=int(office))
    region = chosen["region"] if hq else ""
    if region:
        assessments = assessments.filter(office__region=region)
    rows = with_signoffs(
        assessments.order_by("-roc_year", "-start_month", "office__position", "pk")
    )
    if status in ("returned", "mine"):
        # Decided in Python by standing(); the status filter above has already narrowed the
        # rows to drafts or chains in progress, which HQ never sees and an office has few of.
        css = "returned" if status == "returned" else None
        rows = [
            a
            for a in rows
            if (
                standing(a, request.user).css == css
                if css
                else standing(a, request.user, deputy_for).mine
            )
        ]
    chosen.update(status=status, period=period.slug if period else "", office=office, region=region)
    return chosen, rows


@login_required
def assessment_list(request):
    assessments = visible_assessments(request.user)
    deputy_for = stand_in(request.user)
    chosen, rows = _list_filters(request, assessments, deputy_for)
    page = page_of(request, rows)
    m = membership(request.user)
    office = m.office if m and m.office_id and can_create(request.user, m.office) else None
    periods = (
        assessments.order_by("-roc_year", "-start_month", "-end_month")
        .values_list("roc_year", "start_month", "end_month")
        .distinct()
    )
    hq = is_hq(request.user)
    return render(
        request,
        "assessments/assessment_list.html",
        {
            "page": page,
            "rows": [(a, standing(a, request.user, deputy_for)) for a in page],
            "filtered": any(chosen.values()),
            "chosen": chosen,
            "status_filters": STATUS_FILTERS,
            "periods": [Period(*p) for p in periods],
            "offices": Office.objects.order_by("position", "name") if hq else [],
            "regions": office_regions() if hq else [],
            "new_for": office,
            "rubrics": published_rubrics().order_by("-roc_year", "-version") if office else [],
        },
    )


@login_required
@require_POST
def assessment_create(request):
    m = membership(request.user)
    if not (m and m.office_id):
        raise Http404
    try:
        period = parse_period(request.POST.get("period", ""))
        rubric_id = parse_whole(request.POST.get("rubric"), label="評分表", where="rubric")
        rubric = published_rubrics().filter(pk=rubric_id).first() if rubric_id else None
        if rubric is None:
            raise DomainError("請選擇評分表", where="rubric")
        created = domain.create_assessment(
            office=m.office,
            rubric=rubric,
            period=period,
            user=request.user,
            copy_previous=bool(request.POST.get("copy_previous")),
        )
    except (DomainError, RocError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
        return redirect("assessment-list")
    messages.success(request, f"已建立 {created.period} 自行考核")
    return redirect("assessment-detail", created.pk)


def _page_context(request, assessment) -> dict:
    from servplan.review.domain import reviews_visible

    sheet = build_sheet(assessment)
    signoffs = list(assessment.signoffs.all())
    state = domain.chain_state(assessment, signoffs)
    last = signoffs[-1] if signoffs else None
    m = membership(request.user)
    current = state.current
    editable = assessment.status == Status.DRAFT and can_edit(request.user, assessment)
    return {
        "a": assessment,
        "sheet": sheet,
        "editable": editable,
        "state": state,
        "waiting": domain.waiting_on(assessment, signoffs),
        "date_version": domain.date_version(assessment) if editable else None,
        "problems": domain.check_assessment(assessment) if editable else [],
        "returned": last
        if assessment.status == Status.DRAFT and last and last.decision == "return"
        else None,
        # a reopen is why this draft exists until a return gives a newer reason
        "reopened": assessment.status == Status.DRAFT
        and assessment.reopened_at is not None
        and not (last and last.decision == "return"),
        "can_submit": editable and m is not None and m.role == "clerk",
        # the step's role holder or their deputy, not someone holding another step already
        "my_turn": current is not None
        and may_sign(
            user=request.user, office=assessment.office, role=current[1], round_=state.round
        ),
        "can_reopen": assessment.is_locked and can_review(request.user),
        "can_review": assessment.status == Status.SUBMITTED and can_review(request.user),
        "show_review": assessment.is_locked and reviews_visible(request.user, assessment),
        "accept": ACCEPT,
        "max_mb": MAX_EVIDENCE_BYTES // (1024 * 1024),
        "statuses": ImprovementStatus.choices,
    }


@login_required
def assessment_detail(request, pk: int):
    assessment = get_assessment_for_user(request.user, pk, page_queryset())
    return render(request, "assessments/assessment_detail.html", _page_context(request, assessment))


@login_required
@require_POST
def cell_save(request, pk: int, cell_id: int):
    """HTMX: save one cell; answer its message plus the new version, subtotal and total.

    A field the form did not send is left as it is; the version is required.
    """
    cell = get_cell_for_user(request.user, pk, cell_id)
    status, error, current = 200, "", {}
    try:
        domain.score_cell(
            cell_score=cell,
            score=request.POST.get("score", domain.KEEP),
            narrative=request.POST.get("narrative"),
            expected_version=parse_version(request.POST.get("version")),
            user=request.user,
        )
    except domain.Conflict as exc:
        status, error, current = 409, exc.message, exc.current
    except domain.NotAllowed as exc:
        status, error = 403, exc.message
    except DomainError as exc:
        status, error = 400, exc.message
    assessment = page_queryset().get(pk=pk)
    sheet = build_sheet(assessment)
    dimension = next(d for d in sheet.dimensions if d.dimension.id == cell.cell.dimension_id)
    return render(
        request,
        "assessments/_cell_saved.html",
        {"c": cell, "d": dimension, "sheet": sheet, "error": error, "current": current},
        status=status,
    )


@login_required
@require_GET
def cell_row(request, pk: int, cell_id: int):
    """HTMX: the cell's row as it is now (after a conflict, to edit from the newer values)."""
    assessment = get_assessment_for_user(request.user, pk, page_queryset())
    context = _page_context(request, assessment)
    for d in context["sheet"].dimensions:
        for c in d.cells:
            if c.pk == cell_id:
                return render(
                    request,
                    "assessments/_cell_row.html",
                    {**context, "c": c, "d": d, "first": c is d.cells[0]},
                )
    raise Http404


@login_required
@require_POST
def assessed_on_save(request, pk: int):
    """HTMX: save the draft's 考核日期 (ROC text, blank clears it); answer its message and the
    new version."""
    assessment = get_assessment_for_user(request.user, pk)
    status, error, current = 200, "", {}
    try:
        domain.set_assessed_on(
            assessment=assessment,
            user=request.user,
            assessed_on=request.POST.get("assessed_on", ""),
            expected_version=parse_version(request.POST.get("version")),
        )
    except domain.Conflict as exc:
        status, error, current = 409, exc.message, exc.current
    except domain.NotAllowed as exc:
        status, error = 403, exc.message
    except DomainError as exc:
        status, error = 400, exc.message
    shown = current.get("assessed_on")
    return render(
        request,
        "assessments/_assessed_on_saved.html",
        {
            "a": assessment,
            "error": error,
            "current": current,
            "current_date": dt.date.fromisoformat(shown) if shown else None,
            "date_version": domain.date_version(assessment),
        },
        status=status,
    )


def _act(request, pk: int, action) -> None:
    assessment = get_assessment_for_user(request.user, pk)
    try:
        done = action(assessment)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)


@login_required
@require_POST
def submit(request, pk: int):
    _act(
        request,
        pk,
        lambda a: (
            domain.submit_assessment(
                assessment=a, user=request.user, comment=request.POST.get("comment", "")
            )
            and "已送出，等待核章"
        ),
    )
    return redirect("assessment-detail", pk)


@login_required
@require_POST
def signoff(request, pk: int):
    decision = request.POST.get("decision", "")

    def act(a):
        domain.decide(
            assessment=a,
            user=request.user,
            decision=decision,
            comment=request.POST.get("comment", ""),
        )
        if decision == "return":
            return "已退回經辦"
        return "已核可，自行考核已送業務處" if a.status == Status.SUBMITTED else "已核可"

    _act(request, pk, act)
    return redirect("assessment-detail", pk)


@login_required
@require_POST
def reopen(request, pk: int):
    _act(
        request,
        pk,
        lambda a: (
            domain.reopen_assessment(
                assessment=a, user=request.user, reason=request.POST.get("reason", "")
            )
            and "已重新開啟為草稿"
        ),
    )
    if visible_assessments(request.user).filter(pk=pk).exists():
        return redirect("assessment-detail", pk)
    return redirect("assessment-list")


@login_required
def history(request, pk: int):
    """The trail newest first, filtered by field and/or person (?field=score&person=clerk)."""
    assessment = get_assessment_for_user(request.user, pk)
    entries = history_entries(assessment, user=request.user, newest_first=True)
    chosen = HistoryFilter(field=request.GET.get("field", ""), person=request.GET.get("person", ""))
    return render(
        request,
        "assessments/assessment_history.html",
        {
            "a": assessment,
            "entries": chosen.apply(entries),
            "filter": chosen,
            "choices": filter_choices(entries),
            "signoffs": assessment.signoffs.select_related("user"),
        },
    )


@login_required
@require_POST
def evidence_upload(request, pk: int, cell_id: int):
    cell = get_cell_for_user(request.user, pk, cell_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, f"{domain.cell_label(cell.cell)}：請選擇檔案")
    else:
        try:
            domain.add_evidence(cell_score=cell, user=request.user, upload=upload)
            messages.success(request, f"{domain.cell_label(cell.cell)}：已上傳「{upload.name}」")
        except domain.AlreadyAttached as exc:
            messages.info(request, exc.message)
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect(reverse("assessment-detail", args=[pk]) + f"#cell-{cell.pk}")


def evidence_file(evidence: Evidence) -> FileResponse:
    """The file as it goes out (page and API): shown inline only when a browser displays it
    safely, never sniffed, sandboxed."""
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=not evidence.content_type.startswith(("image/", "application/pdf")),
        filename=evidence.name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@login_required
@require_GET
def evidence_download(request, pk: int, evidence_id: int):
    """The only way out for an evidence file: after the assessment's access rule."""
    return evidence_file(get_evidence_for_user(request.user, pk, evidence_id))


@login_required
@require_POST
def evidence_delete(request, pk: int, evidence_id: int):
    evidence = get_evidence_for_user(request.user, pk, evidence_id)
    cell_pk = evidence.cell_score_id
    try:
        domain.remove_evidence(evidence=evidence, user=request.user)
        messages.success(request, f"已刪除「{evidence.name}」")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("assessment-detail", args=[pk]) + f"#cell-{cell_pk}")


def _finding_row_context(request, assessment: Assessment, finding: Finding, n: int) -> dict:
    return {
        "a": assessment,
        "f": finding,
        "n": n,
        "editable": assessment.status == Status.DRAFT and can_edit(request.user, assessment),
        "statuses": ImprovementStatus.choices,
    }


@login_required
@require_POST
def finding_save(request, pk: int, finding_id: int):
    """HTMX: save one row of the results summary; answer its message and the new version."""
    finding = get_finding_for_user(request.user, pk, finding_id)
    assessment = finding.assessment
    status, error, current = 200, "", {}
    tracked = finding.improvement_id is not None
    try:
        finding = domain.update_finding(
            finding=finding,
            user=request.user,
            strengths=request.POST.get("strengths"),
            weaknesses=request.POST.get("weaknesses"),
            recommendation=request.POST.get("recommendation"),
            improvement_status=request.POST.get("improvement_status") or None,
            remarks=request.POST.get("remarks"),
            expected_version=parse_version(request.POST.get("version")),
        )
    except domain.Conflict as exc:
        status, error, current = 409, exc.message, exc.current
    except domain.NotAllowed as exc:
        status, error = 403, exc.message
    except DomainError as exc:
        status, error = 400, exc.message
    return render(
        request,
        "assessments/_finding_saved.html",
        {
            "a": assessment,
            "f": finding,
            "error": error,
            "current": current,
            "current_status": dict(ImprovementStatus.choices).get(
                current.get("improvement_status"), ""
            ),
            # the row gained or lost its improvement: its status menu turns on or off
            "status_menu": tracked != (finding.improvement_id is not None),
            "statuses": ImprovementStatus.choices,
        },
        status=status,
    )


@login_required
@require_GET
def finding_row(request, pk: int, finding_id: int):
    """HTMX: the row as it is now (after a conflict, to edit from the newer values)."""
    assessment = get_assessment_for_user(request.user, pk, sheet_queryset())
    for n, finding in enumerate(assessment.findings.all(), start=1):
        if finding.pk == finding_id:
            return render(
                request,
                "assessments/_finding_row.html",
                _finding_row_context(request, assessment, finding, n),
            )
    raise Http404


def follow_up_queryset():
    """An assessment with its tracked rows: each finding's improvement and its follow-ups."""
    return Assessment.objects.select_related("office").prefetch_related(
        Prefetch(
            "findings",
            queryset=Finding.objects.filter(improvement__isnull=False)
            .select_related("cell__dimension", "cell__item", "improvement__opened_in")
            .prefetch_related(
                Prefetch(
                    "improvement__follow_ups", queryset=FollowUp.objects.select_related("author")
                )
            )
            .order_by("cell__dimension__position", "cell__item__position"),
            to_attr="tracked",
        )
    )


def _follow_up_page(request, assessment: Assessment, *, posted=None, error="", status=200):
    today = timezone.localdate()
    return render(
        request,
        "assessments/follow_ups.html",
        {
            "a": assessment,
            "rows": assessment.tracked,
            "can_follow_up": assessment.status == Status.DRAFT
            and can_create(request.user, assessment.office),
            "statuses": ImprovementStatus.choices,
            "quarters": range(1, 5),
            "this_year": to_roc_year(today.year),
            "this_quarter": domain.quarter_of(today.month),
            "posted": posted,
            "error": error,
        },
        status=status,
    )


@login_required
@require_GET
def follow_ups(request, pk: int):
    """建議改善事項辦理情形表: every tracked improvement with its quarterly entries."""
    return _follow_up_page(request, get_assessment_for_user(request.user, pk, follow_up_queryset()))


@login_required
@require_POST
def follow_up_add(request, pk: int, improvement_id: int):
    """Add one quarter's entry; a refusal shows the page again with the typed text kept."""
    assessment = get_assessment_for_user(request.user, pk)
    improvement = get_improvement_for_user(request.user, assessment, improvement_id)
    try:
        domain.add_follow_up(
            improvement=improvement,
            user=request.user,
            assessment=assessment,
            roc_year=request.POST.get("roc_year", ""),
            quarter=request.POST.get("quarter", ""),
            progress=request.POST.get("progress", ""),
            recommendation=request.POST.get("recommendation", ""),
            status=request.POST.get("status") or None,
            expected_version=parse_whole(
                request.POST.get("version"), label="version 欄位", where="version"
            ),
        )
    except DomainError as exc:
        code = 409 if isinstance(exc, domain.Conflict) else 400
        code = 403 if isinstance(exc, domain.NotAllowed) else code
        page = get_assessment_for_user(request.user, pk, follow_up_queryset())
        posted = {"improvement": improvement.pk, **request.POST.dict()}
        return _follow_up_page(request, page, posted=posted, error=exc.message, status=code)
    messages.success(request, f"{domain.improvement_label(improvement)}：已新增追蹤情形")
    return redirect(reverse("assessment-follow-ups", args=[pk]) + f"#improvement-{improvement.pk}")
