"""What a period's results of an office look like on the public site: content and files.

Read only (public.domain.publish_results stores what these return). What is public: the
office's score per cell and per dimension with HQ's review per dimension and in total, the
narratives, the results summary (優點 … 備註) and the follow-up table. What is not: drafts
(only a reviewed record of a released period is published), evidence files and HQ's review
comments, which are HQ's notes to the office.
"""

from __future__ import annotations

import json

from servplan.assessments.sheet import Sheet
from servplan.core.scores import to_json_number
from servplan.documents import data
from servplan.documents.export import prepare_document, render_document
from servplan.documents.forms import content_hash

# 「複評」 beside 「自評」: HQ's review per dimension and in total (not per cell).
REVIEW_COLUMN = 6
HEADER = (*data.HEADER[:REVIEW_COLUMN], "複評", *data.HEADER[REVIEW_COLUMN:])
WIDTHS = (*data.WIDTHS[:REVIEW_COLUMN], 7, *data.WIDTHS[REVIEW_COLUMN:])


def results_title(office_name: str, period) -> str:
    return f"{office_name} {period}提升服務效能執行計畫自行考核結果"


def results_content(sheet: Sheet, *, released_at) -> dict:
    """The public page's content of a reviewed assessment (loaded with sheet_queryset())."""
    a = sheet.assessment
    return {
        "title": results_title(a.office.name, a.period),
        "office": a.office.name,
        "office_code": a.office.code,
        "period": a.period.as_dict(),
        "period_label": str(a.period),
        "rubric": a.rubric.title,
        "assessed_on": a.assessed_on.isoformat() if a.assessed_on else None,
        "released_on": released_at.date().isoformat(),
        "content_hash": content_hash(sheet),
        "total": {
            "max": to_json_number(sheet.max_score),
            "score": to_json_number(sheet.score),
            "review_score": to_json_number(sheet.review_score),
        },
        "dimensions": [
            {
                "name": d.name,
                "max": to_json_number(d.max_score),
                "score": to_json_number(d.score),
                "review_score": to_json_number(d.review_score),
                "items": [
                    {
                        "name": c.cell.item.name,
                        "max": to_json_number(c.max_score),
                        "score": to_json_number(c.score),
                        "narrative": c.narrative,
                    }
                    for c in d.cells
                ],
            }
            for d in sheet.dimensions
        ],
        "findings": [
            {
                "dimension": f.cell.dimension.name,
                "item": f.cell.item.name,
                "strengths": f.strengths,
                "weaknesses": f.weaknesses,
                "recommendation": f.recommendation,
                "progress": f.progress,
                "remarks": f.remarks,
            }
            for f in sheet.findings
        ],
        "follow_ups": [
            {
                "dimension": f.cell.dimension.name,
                "item": f.cell.item.name,
                "recommendation": f.recommendation,
                "entries": [
                    {
                        "roc_year": fu.roc_year,
                        "quarter": fu.quarter,
                        "recorded_on": fu.recorded_on.isoformat() if fu.recorded_on else None,
                        "progress": fu.progress,
                    }
                    for fu in f.follow_up_entries
                ],
                "remarks": f.improvement_remarks if f.improvement else f.remarks,
            }
            for f in sheet.findings
        ],
    }


def table(sheet: Sheet) -> list[list]:
    """The data export's rows (documents.data.rows) with HQ's review beside the office's score
    on the 小計 and 總分 rows."""
    reviews: list = []
    for d in sheet.dimensions:  # rows() writes each dimension's cells, then its 小計
        reviews += [""] * len(d.cells) + [to_json_number(d.review_score)]
    reviews.append(to_json_number(sheet.review_score))  # the 總分 row
    rows = data.rows(sheet)[1:]
    return [list(HEADER)] + [
        [*row[:REVIEW_COLUMN], review, *row[REVIEW_COLUMN:]]
        for row, review in zip(rows, reviews, strict=True)
    ]


def canonical(content: dict) -> bytes:
    """The JSON file: the page's content, keys sorted, so equal content gives equal bytes."""
    return (json.dumps(content, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


def render_files(sheet: Sheet, content: dict) -> dict[str, bytes]:
    """Every published file by format: the three forms as one PDF and ODT, as the assessment's
    own export renders them (dated with the last signature, so the same bytes the signer
    approved), and the data as CSV, ODS and JSON."""
    document, timestamp, _ = prepare_document(sheet.assessment, "all")
    rows = table(sheet)
    return {
        "pdf": render_document(document, "pdf", timestamp=timestamp),
        "odt": render_document(document, "odt", timestamp=timestamp),
        "csv": data.to_csv(rows),
        "ods": data.to_ods(rows, content["title"], widths=WIDTHS),
        "json": canonical(content),
    }
