"""A plan's audit trail as people read it: which practice or section, which field, old → new.

Every entry about a plan carries its `plan_id` (audit.models.AuditEntry), so the trail is one
indexed query; practices are named by one more (those since removed by their last text).
"""

from __future__ import annotations

from servplan.assessments.history import SYSTEM
from servplan.audit.models import AuditEntry
from servplan.plans.domain import practice_label
from servplan.plans.models import OfficePlan, PlanStatus
from servplan.programs.models import Practice

FIELD_LABELS = {
    "created": "建立",
    "basis": "計畫依據",
    "goals": "計畫目標",
    "targets": "實施對象",
    "steps": "實施步驟",
    "supplementary": "附則",
    "text": "具體作法",
    "departments": "承辦部門",
    "period": "執行期間",
    "target": "預期目標",
    "not_applicable": "不適用",
    "not_applicable_reason": "不適用理由",
    "added": "新增作法",
    "removed": "刪除作法",
    "position": "順序",
    "status": "狀態",
    "signoff": "核章",
    "reopened": "重新開啟原因",
    "approved_on": "陳准實施日期",
}
TYPE_LABELS = {
    "plans.officeplan": "執行計畫",
    "plans.plansignoff": "核章",
    "programs.practice": "具體作法",
}
VALUE_LABELS = {("plans.officeplan", "status"): dict(PlanStatus.choices)}


def plan_history(plan: OfficePlan, *, newest_first: bool = False) -> list[AuditEntry]:
    """The plan's entries, oldest first (or newest), each with `object_label`, `field_label`,
    `old_label`, `new_label` and `person` set (2 queries)."""
    order = ("-at", "-id") if newest_first else ("at", "id")
    entries = list(
        AuditEntry.objects.filter(plan_id=plan.pk).select_related("user").order_by(*order)
    )
    practices = {
        p.pk: practice_label(p)
        for p in Practice.objects.filter(
            measure__strategy__facet__outline=plan.outline_id
        ).select_related("measure__strategy")
    }
    for e in entries:
        e.object_label = TYPE_LABELS.get(e.object_type, e.object_type)
        if e.object_type == "programs.practice" and e.object_id in practices:
            e.object_label = practices[e.object_id]
        e.field_label = FIELD_LABELS.get(e.field, e.field)
        values = VALUE_LABELS.get((e.object_type, e.field), {})
        e.old_label = values.get(e.old, e.old)
        e.new_label = values.get(e.new, e.new)
        e.person = e.user.get_username() if e.user else SYSTEM
    return entries
