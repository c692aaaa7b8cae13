"""Putting an approved plan on the public site (政府資訊公開) and taking it down.

The public copy is the approved version, frozen when it is published: the plan as PDF and ODT
(the documents renderers, dated with the publication) with their SHA-256, and the page's
content as data (servplan.public.models). The public site reads only those, so what it serves
cannot drift from what was published while it stays up.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from servplan.assessments.domain.errors import Conflict, NotAllowed
from servplan.audit.domain import record
from servplan.core.errors import DomainError
from servplan.core.narrative import normalize
from servplan.documents.export import render_document
from servplan.documents.forms import plan_document
from servplan.plans.access import can_publish
from servplan.plans.models import OfficePlan, PlanStatus
from servplan.plans.serializers import plans_for_export
from servplan.public.models import DocumentFormat, PlanPublication, PublishedDocument
from servplan.search.public import index, unindex

REASON_MAX = 500


def public_content(plan: OfficePlan) -> dict:
    """What the public page shows of `plan` (loaded with plans_for_export()), as plain data."""
    return {
        "title": plan.title,
        "office": plan.office.name,
        "office_code": plan.office.code,
        "roc_year": plan.roc_year,
        "approved_on": plan.approved_on.isoformat() if plan.approved_on else None,
        "basis": plan.basis,
        "goals": plan.goals,
        "targets": plan.targets,
        "steps": plan.step_list,
        "supplementary": plan.supplementary,
        "facets": [
            {
                "name": facet.name,
                "strategies": [
                    {
                        "name": strategy.name,
                        "measures": [
                            {
                                "name": measure.name,
                                "practices": [
                                    {
                                        "number": p.number,
                                        "text": p.text,
                                        "departments": [
                                            link.department.name
                                            for link in p.department_links.all()
                                        ],
                                        "period": p.period,
                                        "target": p.target,
                                        "not_applicable": p.not_applicable,
                                        "not_applicable_reason": p.not_applicable_reason,
                                    }
                                    for p in measure.practices.all()
                                ],
                            }
                            for measure in strategy.measures.all()
                        ],
                    }
                    for strategy in facet.strategies.all()
                ],
            }
            for facet in plan.outline.facets.all()
        ],
    }


def _locked(plan: OfficePlan, user) -> OfficePlan:
    current = (
        OfficePlan.objects.select_for_update(of=("self",)).select_related("office").get(pk=plan.pk)
    )
    if user is not None and not can_publish(user, current):
        raise NotAllowed(
            f"只有{current.office.name}的經辦、處長或系統管理者可以公開或撤下執行計畫",
            where="plan",
        )
    return current


@transaction.atomic
def publish_plan(*, plan: OfficePlan, user) -> PlanPublication:
    """Put an approved plan on the public site: approved → published.

    `user` None is the CLI (trusted). Refused (Conflict) unless the plan is approved (陳准實施).
    Side effects: locks the plan, renders it as PDF and ODT (dated with the publication),
    stores both with their SHA-256 and the page's content in a PlanPublication, writes its
    search passages, sets the plan's status to published, records the status and the
    documents' digests in the audit trail.
    """
    current = _locked(plan, user)
    if current.status != PlanStatus.APPROVED:
        raise Conflict(
            f"{current.title}：{current.get_status_display()}，只有陳准實施的執行計畫可以公開",
            where="status",
        )
    loaded = plans_for_export().get(pk=current.pk)
    now = timezone.now()
    document = plan_document(loaded)
    publication = PlanPublication.objects.create(
        plan=current,
        published_at=now,
        published_by=user if user is not None and user.is_authenticated else None,
        content=public_content(loaded),
    )
    digests = []
    for fmt in (DocumentFormat.PDF, DocumentFormat.ODT):
        content = render_document(document, fmt.value, timestamp=now)
        digest = hashlib.sha256(content).hexdigest()
        PublishedDocument.objects.create(
            publication=publication,
            format=fmt.value,
            content=content,
            sha256=digest,
            size=len(content),
        )
        digests.append(f"{fmt.label} sha256:{digest}")
    index(publication)
    current.status = PlanStatus.PUBLISHED
    current.save(update_fields=["status"])
    record(user=user, obj=current, field="status", old=PlanStatus.APPROVED, new=current.status)
    record(user=user, obj=current, field="published", new="；".join(digests))
    plan.status = current.status
    return publication


@transaction.atomic
def unpublish_plan(*, plan: OfficePlan, user, reason: str) -> PlanPublication:
    """Take a published plan off the public site, with the reason (required): published →
    approved. The publication row and its documents stay, for the record.

    Side effects: locks the plan, sets the publication's unpublished_at, _by and reason,
    deletes its search passages, sets the plan's status back to approved, records the status
    and the reason in the audit trail.
    """
    current = _locked(plan, user)
    if current.status != PlanStatus.PUBLISHED:
        raise Conflict(f"{current.title}：尚未公開，無須撤下", where="status")
    text = normalize(reason or "").strip()
    if not text:
        raise DomainError("請說明撤下公開的理由", where="reason")
    if len(text) > REASON_MAX:
        raise DomainError(f"撤下理由過長（{len(text)} 字，上限 {REASON_MAX} 字）", where="reason")
    publication = PlanPublication.objects.select_for_update().get(
        plan=current, unpublished_at__isnull=True
    )
    publication.unpublished_at = timezone.now()
    publication.unpublished_by = user if user is not None and user.is_authenticated else None
    publication.unpublish_reason = text
    publication.save(update_fields=["unpublished_at", "unpublished_by", "unpublish_reason"])
    unindex(publication)
    current.status = PlanStatus.APPROVED
    current.save(update_fields=["status"])
    record(user=user, obj=current, field="status", old=PlanStatus.PUBLISHED, new=current.status)
    record(user=user, obj=current, field="unpublished", new=text)
    plan.status = current.status
    return publication
