import json

from django.core.management.base import BaseCommand, CommandError

from servplan.assessments.sheet import build_sheet, sheet_queryset, sheet_to_dict
from servplan.core.errors import DomainError
from servplan.core.scores import format_score
from servplan.offices.domain import find_office
from servplan.plans.serializers import plan_to_dict, plans_for_export


class Command(BaseCommand):
    help = "列出自行考核（assessments）或執行計畫（plans）。"

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["assessments", "plans"], help="assessments 或 plans")
        parser.add_argument("--office", help="只列出此區營業處（名稱或代碼）")
        parser.add_argument("--json", action="store_true", help="以 JSON 輸出")

    def handle(self, *args, what: str, office: str | None, json: bool, **options):
        try:
            office_obj = find_office(office) if office else None
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if what == "assessments":
            qs = sheet_queryset()
            rows = [
                sheet_to_dict(build_sheet(a))
                for a in (qs.filter(office=office_obj) if office_obj else qs)
            ]
        else:
            qs = plans_for_export()
            rows = [plan_to_dict(p) for p in (qs.filter(office=office_obj) if office_obj else qs)]
        if json:
            self.stdout.write(_dumps(rows))
            return
        if not rows:
            self.stdout.write("（沒有資料）")
        for row in rows:
            self.stdout.write(_line(row))


def _dumps(rows) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)


def _line(row: dict) -> str:
    if row["kind"] == "plan":
        return f"#{row['id']}  {row['office']}  {row['roc_year']} 年度執行計畫  {row['status']}"
    p = row["period"]
    total = row["total"]
    score = format_score(total["score"]) or "—"
    return (
        f"#{row['id']}  {row['office']}  {p['roc_year']} 年度 {p['start_month']} 月至 {p['end_month']} 月"
        f"  {row['status']}  {score}/{format_score(total['max'])}"
    )
