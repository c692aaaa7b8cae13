"""The four forms of the seeds, described once (layout.py) for every document format.

Titles, columns, merged dimension cells with their maxima, subtotals, totals and the
signature blocks of each form's own chain follow seeds 000 and 001.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.utils import timezone

from servplan.assessments.domain.workflow import current_round
from servplan.assessments.models import Assessment, Decision, SignOff, Status
from servplan.assessments.sheet import Sheet, build_sheet, sheet_to_dict
from servplan.core.roc import cjk_number, format_date
from servplan.core.scores import format_score
from servplan.documents import layout as L
from servplan.offices.chains import chain_for
from servplan.offices.models import Form, Role
from servplan.plans.models import OfficePlan
from servplan.plans.signing import LOCKED as PLAN_LOCKED
from servplan.plans.signing import plan_chain, plan_round

ASSESSMENT_FORMS = ("score-sheet", "summary", "follow-up")
NOTHING = "無"  # what the paper forms print in an empty box (docs/decisions.md)
BLANK_DATE = "　　年　　月　　日"


def record_dict(sheet: Sheet) -> dict:
    """What the data exports carry: the API shape without the workflow status.

    The status moves on (HQ's review) while what was submitted stays as it was, so the
    exports and the content hash of a submitted record never change.
    """
    data = sheet_to_dict(sheet)
    del data["status"]
    return data


def canonical_json(sheet: Sheet) -> bytes:
    """The JSON export's bytes: sorted keys, so equal records give equal bytes and hashes."""
    data = record_dict(sheet)
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


def content_hash(sheet: Sheet) -> str:
    """sha256 of the canonical JSON export: printed on a published PDF to match it to the record."""
    return hashlib.sha256(canonical_json(sheet)).hexdigest()


@dataclass
class Signed:
    name: str
    date: str


def round_signoffs(assessment: Assessment) -> list[SignOff]:
    """The current round's sign-offs: none for a draft (returned or reopened: a new round)."""
    return current_round(
        assessment, list(SignOff.objects.filter(assessment=assessment).order_by("at", "id"))
    )


def signed_by_role(
    assessment: Assessment, signoffs: list[SignOff] | None = None
) -> dict[str, Signed]:
    """Who signed in each role in the current round, by the name they had when signing."""
    if signoffs is None:
        signoffs = round_signoffs(assessment)
    return _signed(signoffs)


def _signed(signoffs) -> dict[str, Signed]:
    """Each role's signature of a round: 「甲」, or 「甲 代 乙」 for a deputy, and the ROC date."""
    return {
        s.role: Signed(name=s.signed_as, date=format_date(timezone.localtime(s.at).date()))
        for s in signoffs
        if s.decision in (Decision.SUBMIT, Decision.APPROVE)
    }


def _signature_block(office, form: Form, signed: dict[str, Signed], chain=None) -> dict:
    slots = []
    for role in chain_for(office, form) if chain is None else chain:
        who = signed.get(role.value)
        slots.append(
            {
                "role": str(Role(role).label),
                "name": who.name if who else "",
                "date": who.date if who else "",
            }
        )
    return L.signatures(slots)


def _or_nothing(text: str) -> list[dict]:
    return L.paragraphs(text) or L.paragraphs(NOTHING)


def _item_label(finding, n: int) -> str:
    return f"{n}. {finding.cell.dimension.name}-{finding.cell.item.name}"


def score_sheet(sheet: Sheet, signed: dict[str, Signed]) -> list[dict]:
    a = sheet.assessment
    rows = []
    for d in sheet.dimensions:
        span = len(d.cells) + 1
        for i, c in enumerate(d.cells, 1):
            row = []
            if i == 1:
                row.append(
                    L.cell(
                        f"{d.name}\n({format_score(d.max_score)} 分)",
                        rowspan=span,
                        align="center",
                        bold=True,
                    )
                )
            row += [
                L.cell(f"{cjk_number(i)}、{c.cell.item.name}\n({format_score(c.max_score)} 分)"),
                L.cell(L.paragraphs(c.narrative)),
                L.cell(format_score(c.score), align="center"),
            ]
            rows.append(row)
        subtotal = [
            L.cell(f"小計（滿分 {format_score(d.max_score)} 分）", colspan=2, align="right"),
            L.cell(format_score(d.score), align="center", bold=True),
        ]
        rows.append(subtotal if d.cells else [L.cell(d.name), *subtotal])
    rows.append(
        [
            L.cell(f"總分（滿分 {format_score(sheet.max_score)} 分）", colspan=3, align="right"),
            L.cell(format_score(sheet.score), align="center", bold=True),
        ]
    )
    header = [
        [L.cell(h, align="center", bold=True) for h in ("執行構面", "評核項目", "評分重點", "自評")]
    ]
    return [
        L.title(f"{a.office.name} {a.period}提升服務效能執行計畫考核項目及評分表"),
        L.line(
            f"總分（滿分 {format_score(sheet.max_score)} 分）：{format_score(sheet.score) or '　　'} 分",
            bold=True,
        ),
        L.line(f"考核日期：{format_date(a.assessed_on) or BLANK_DATE}"),
        L.table(widths=[1.3, 2.2, 7.2, 0.9], header=header, rows=rows),
        _signature_block(a.office, Form.SCORE_SHEET, signed),
    ]


def summary(sheet: Sheet, signed: dict[str, Signed]) -> list[dict]:
    a = sheet.assessment
    scores = [
        [
            L.cell(f"{d.name} ({format_score(d.max_score)} 分)"),
            L.cell(
                "\n".join(f"{cjk_number(i)}、{c.cell.item.name}" for i, c in enumerate(d.cells, 1))
            ),
            L.cell(format_score(d.score), align="center"),
        ]
        for d in sheet.dimensions
    ]
    scores.append(
        [
            L.cell(
                f"總分：{format_score(sheet.score) or '　　'} 分",
                colspan=3,
                align="right",
                bold=True,
            )
        ]
    )
    findings = [
        [
            L.cell(_item_label(f, n)),
            L.cell(_or_nothing(f.strengths)),
            L.cell(_or_nothing(f.weaknesses)),
            L.cell(_or_nothing(f.recommendation)),
            L.cell(_or_nothing(f.progress)),
            L.cell(L.paragraphs(f.remarks)),
        ]
        for n, f in enumerate(sheet.findings, 1)
    ]
    head = ("考核項目", "優點", "缺點", "建議改善事項", "改善事項辦理情形", "備註")
    return [
        L.title(f"{a.office.name} {a.period}提升服務效能執行計畫自行考核結果彙整表"),
        L.heading("一、考核成績："),
        L.table(
            widths=[2.2, 6, 1.2],
            header=[
                [
                    L.cell(
                        f"考核項目(總成績 {format_score(sheet.max_score)} 分)",
                        colspan=2,
                        align="center",
                        bold=True,
                    ),
                    L.cell("分數", align="center", bold=True),
                ]
            ],
            rows=scores,
        ),
        L.heading("二、考核項目優點、缺點、建議改善事項及改善事項辦理情形："),
        L.table(
            widths=[2.1, 2, 1, 2, 2.2, 0.9],
            header=[[L.cell(h, align="center", bold=True) for h in head]],
            rows=findings,
        ),
        _signature_block(a.office, Form.SUMMARY, signed),
    ]


def _follow_up_entries(finding) -> list[dict]:
    body: list[dict] = []
    for fu in finding.follow_up_entries:
        when = f"{fu.roc_year} 年第 {fu.quarter} 季"
        if fu.recorded_on:
            when += f"（{format_date(fu.recorded_on)}）"
        body.append({"text": f"【{when}】", "bullet": False})
        body += L.paragraphs(fu.progress)
    return body or L.paragraphs(NOTHING)


def follow_up(sheet: Sheet, signed: dict[str, Signed]) -> list[dict]:
    a = sheet.assessment
    rows = [
        [
            L.cell(_item_label(f, n)),
            L.cell(_or_nothing(f.recommendation)),
            L.cell(_follow_up_entries(f)),
            L.cell(L.paragraphs(f.improvement_remarks if f.improvement else f.remarks)),
        ]
        for n, f in enumerate(sheet.findings, 1)
    ]
    head = ("考核項目", "建議改善事項", "改善辦理情形", "備註")
    return [
        L.title(f"{a.office.name} {a.period}提升服務效能執行計畫", "建議改善事項辦理情形表"),
        L.line("※ 考核項目之建議改善事項及改善辦理情形："),
        L.table(
            widths=[2.3, 2.8, 3.8, 1],
            header=[[L.cell(h, align="center", bold=True) for h in head]],
            rows=rows,
        ),
        _signature_block(a.office, Form.FOLLOW_UP, signed),
    ]


FORM_BUILDERS = {"score-sheet": score_sheet, "summary": summary, "follow-up": follow_up}
FORM_TITLES = {
    "score-sheet": "考核項目及評分表",
    "summary": "自行考核結果彙整表",
    "follow-up": "建議改善事項辦理情形表",
}


def assessment_document(
    assessment: Assessment,
    forms: list[str] | tuple[str, ...],
    signoffs: list[SignOff] | None = None,
) -> dict:
    """One document holding `forms` of the assessment (load it with sheet_queryset()).

    Once submitted into the chain its content is frozen, so the document carries its content
    hash (a submitted or reviewed one is published); a draft says it is one.
    `signoffs`: the current round (round_signoffs), when the caller has it already.
    """
    sheet = build_sheet(assessment)
    signed = signed_by_role(assessment, signoffs)
    digest = content_hash(sheet) if assessment.status != Status.DRAFT else ""
    names = "、".join(FORM_TITLES[f] for f in forms)
    where = f"{assessment.office.name} {assessment.period}"
    if assessment.is_locked:
        footer = f"{where} · 內容雜湊 SHA-256：{digest}"
    elif digest:
        footer = f"{where} · {assessment.get_status_display()} · 內容雜湊 SHA-256：{digest}"
    else:
        footer = f"{where} · {assessment.get_status_display()}（未送出，內容可能變動）"
    return {
        "title": f"{assessment.office.name} {assessment.period}{names}",
        "subject": "提升服務效能執行計畫自行考核",
        "keywords": [f"sha256:{digest}"] if digest else [assessment.get_status_display()],
        "hash": digest,
        "footer": footer,
        "forms": [{"name": f, "blocks": FORM_BUILDERS[f](sheet, signed)} for f in forms],
    }


def _facet_rows(plan: OfficePlan) -> list[list[dict]]:
    rows: list[list[dict]] = []
    for fi, facet in enumerate(plan.outline.facets.all(), 1):
        facet_rows: list[list[dict]] = []
        for si, strategy in enumerate(facet.strategies.all(), 1):
            measures = list(strategy.measures.all())
            unnamed = all(not m.name for m in measures)
            strategy_rows: list[list[dict]] = []
            for mi, measure in enumerate(measures, 1):
                groups = _practice_groups(list(measure.practices.all()))
                for gi, (practices, departments, period) in enumerate(groups):
                    row = []
                    if not unnamed and gi == 0:
                        row.append(
                            L.cell(
                                f"{mi}.{measure.name}" if measure.name else "",
                                rowspan=len(groups),
                                valign="top",
                            )
                        )
                    body: list[dict] = []
                    for p in practices:
                        lines = L.paragraphs(p.text)
                        if p.number and lines:
                            # 甲、乙、丙 under a numbered practice stand under its text
                            lines[0]["text"] = f"({p.number}) {lines[0]['text']}"
                            for sub in lines[1:]:
                                sub["indent"] = 1
                        body += lines
                    row += [
                        L.cell(body, valign="top"),
                        L.cell("\n".join(departments), align="center", valign="top"),
                        L.cell(period, align="center", valign="top"),
                    ]
                    strategy_rows.append(row)
            if strategy_rows:
                strategy_rows[0].insert(
                    0,
                    L.cell(
                        f"（{cjk_number(si)}）\n{strategy.name}",
                        rowspan=len(strategy_rows),
                        colspan=2 if unnamed else 1,
                        valign="top",
                    ),
                )
            facet_rows += strategy_rows
        if facet_rows:
            facet_rows[0].insert(
                0,
                L.cell(
                    f"{cjk_number(fi)}、\n{facet.name}",
                    rowspan=len(facet_rows),
                    align="center",
                    valign="top",
                ),
            )
        rows += facet_rows
    return rows


def _practice_groups(practices) -> list[tuple[list, list[str], str]]:
    """Consecutive practices that share departments and period print as one row, as the form does."""
    groups: list[tuple[list, list[str], str]] = []
    for p in practices:
        departments = [link.department.name for link in p.department_links.all()]
        if groups and groups[-1][1] == departments and groups[-1][2] == p.period:
            groups[-1][0].append(p)
        else:
            groups.append(([p], departments, p.period))
    return groups


def _section(label: str, text: str, name: str) -> list[dict]:
    """「參、實施對象：本處各部門」 inline when one line, as the form prints short sections."""
    body = L.paragraphs(text)
    if len(body) == 1 and len(body[0]["text"]) <= 40 and name:
        return [L.heading(f"{label}、{name}：{body[0]['text']}")]
    return [L.heading(f"{label}、{name}"), L.narrative(body)]


def approved_line(plan: OfficePlan) -> str:
    """「114 年 3 月 21 日陳准實施」 once the plan is approved; "" before (and after a reopen)."""
    if plan.status not in PLAN_LOCKED or plan.approved_on is None:
        return ""
    return f"{format_date(plan.approved_on)}陳准實施"


def plan_document(plan: OfficePlan) -> dict:
    """The office plan (seed 001); load it with plans_for_export(). Under the title, the day
    it was approved (「114 年 3 月 21 日陳准實施」, nothing before that); at the end, the
    signatures of the current round."""
    steps = [
        {"text": f"{cjk_number(i)}、{s}", "bullet": False} for i, s in enumerate(plan.step_list, 1)
    ]
    header = [
        [
            L.cell("面向", align="center", bold=True),
            L.cell("執行策略", colspan=2, align="center", bold=True),
            L.cell("具體作法", align="center", bold=True),
            L.cell("承辦部門", align="center", bold=True),
            L.cell("執行期間", align="center", bold=True),
        ]
    ]
    blocks = [
        L.title(plan.title),
        L.line(approved_line(plan), align="right"),
        *_section("壹", plan.basis, "計畫依據"),
        *_section("貳", plan.goals, "計畫目標"),
        *_section("參", plan.targets, "實施對象"),
        L.heading("肆、執行策略及具體作法"),
        L.table(widths=[1.2, 1.3, 1.4, 5, 1.1, 1.1], header=header, rows=_facet_rows(plan)),
        L.heading("伍、實施步驟"),
        L.narrative(steps),
    ]
    supplementary = L.paragraphs(plan.supplementary)
    if len(supplementary) == 1:
        blocks.append(L.heading(f"陸、{supplementary[0]['text']}"))
    elif supplementary:
        blocks += [L.heading("陸、附則"), L.narrative(supplementary)]
    # The plan is signed by its own chain (plans.signing.plan_chain), as far as this round got.
    signed = _signed(plan_round(plan))
    blocks.append(_signature_block(plan.office, Form.PLAN, signed, plan_chain(plan.office)))
    return {
        "title": plan.title,
        "subject": "提升服務效能執行計畫",
        "keywords": [plan.get_status_display()],
        "hash": "",
        "footer": plan.title,
        "forms": [{"name": "plan", "blocks": blocks}],
    }
