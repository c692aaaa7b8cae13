"""An assessment's audit trail as people read it: which cell or row, which field, old → new."""

from __future__ import annotations

from dataclasses import dataclass

from servplan.assessments.models import Assessment, ImprovementStatus, Status
from servplan.audit.models import AuditEntry

FIELD_LABELS = {
    "created": "建立",
    "score": "自評",
    "narrative": "執行情形",
    "review_score": "複評",
    "review_comment": "複評意見",
    "status": "狀態",
    "signoff": "核章",
    "reopened": "重新開啟原因",
    "strengths": "優點",
    "weaknesses": "缺點",
    "remarks": "備註",
    "improvement": "建議改善事項（連結）",
    "recommendation": "建議改善事項",
    "progress": "改善辦理情形",
    "evidence": "佐證資料",
    "period_opened": "總處開放考核期間",
    "deadline": "繳交期限",
    "accepted": "受理",
}
# Values the trail keeps as codes, shown by their names.
VALUE_LABELS = {
    ("assessments.assessment", "status"): dict(Status.choices),
    ("assessments.improvement", "status"): dict(ImprovementStatus.choices),
}
TYPE_LABELS = {
    "assessments.assessment": "自行考核",
    "assessments.signoff": "核章",
    "assessments.improvement": "建議改善事項",
    "assessments.followup": "逐季追蹤",
    "periods.deadlineoverride": "個別繳交期限",
}


def history_entries(
    assessment: Assessment, *, user, newest_first: bool = False
) -> list[AuditEntry]:
    """The entries `user` may read, oldest first (or newest), each with `object_label`,
    `field_label`, `old_label`, `new_label` and `person` set (3 queries, 4 for office staff).

    HQ's review entries are left out (not merely blanked) until `user` may see the review."""
    from servplan.review.domain import REVIEW_FIELDS, reviews_visible

    trail = AuditEntry.objects.filter(assessment_id=assessment.pk)
    if not reviews_visible(user, assessment):
        trail = trail.exclude(object_type="assessments.cellscore", field__in=REVIEW_FIELDS)
    order = ("-at", "-id") if newest_first else ("at", "id")
    entries = list(trail.select_related("user").order_by(*order))
    cells = {
        c.pk: f"{c.cell.dimension.name}／{c.cell.item.name}"
        for c in assessment.cells.select_related("cell__dimension", "cell__item")
    }
    findings = {
        f.pk: f"考核發現 {f.cell.dimension.name}／{f.cell.item.name}"
        for f in assessment.findings.select_related("cell__dimension", "cell__item")
    }
    for e in entries:
        if e.object_type == "assessments.cellscore":
            e.object_label = cells.get(e.object_id, "評分格")
        elif e.object_type == "assessments.finding":
            e.object_label = findings.get(e.object_id, "考核發現")
        elif e.object_type == "assessments.evidence":
            e.object_label = "佐證資料"
        else:
            e.object_label = TYPE_LABELS.get(e.object_type, e.object_type)
        e.field_label = FIELD_LABELS.get(e.field, e.field)
        values = VALUE_LABELS.get((e.object_type, e.field), {})
        e.old_label = values.get(e.old, e.old)
        e.new_label = values.get(e.new, e.new)
        e.person = e.user.get_username() if e.user else SYSTEM
    return entries


# Who an entry without a user is (a command-line import, a migration).
SYSTEM = "系統"


@dataclass(frozen=True)
class HistoryFilter:
    """The history page's filter: one field (its code) and/or one person (a username)."""

    field: str = ""
    person: str = ""

    def apply(self, entries: list[AuditEntry]) -> list[AuditEntry]:
        return [
            e
            for e in entries
            if (not self.field or e.field == self.field)
            and (not self.person or e.person == self.person)
        ]


def filter_choices(entries: list[AuditEntry]) -> dict[str, list[tuple[str, str]]]:
    """What the filter offers: the fields and the people that occur in `entries`."""
    fields = {e.field: e.field_label for e in entries}
    people = sorted({e.person for e in entries})
    return {
        "fields": sorted(fields.items(), key=lambda kv: kv[1]),
        "people": [(p, p) for p in people],
    }
