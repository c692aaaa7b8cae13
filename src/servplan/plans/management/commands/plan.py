from django.core.management.base import BaseCommand, CommandError

from servplan.core.errors import DomainError
from servplan.offices.domain import find_office
from servplan.plans.domain import start_plan


class Command(BaseCommand):
    help = "管理執行計畫：servplan plan new --office NAME --year N [--from-last-year]"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="new")
        new = sub.add_parser(
            "new",
            help="建立執行計畫草稿",
            description="建立區營業處的年度執行計畫草稿（依總處計畫，或沿用去年的計畫）；"
            "只印出新計畫的編號",
        )
        new.add_argument("--office", required=True, help="區營業處（名稱、簡稱或代碼）")
        new.add_argument("--year", required=True, help="民國年度，例如 115")
        new.add_argument(
            "--from-last-year", action="store_true", help="沿用本處去年的執行計畫（預設依總處計畫）"
        )

    def handle(self, *args, action: str, office: str, year: str, from_last_year: bool, **options):
        # The command line is trusted (whoever runs it runs the server): no user, no access check.
        try:
            plan = start_plan(
                office=find_office(office),
                roc_year=year,
                start_from="last-year" if from_last_year else "program",
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(str(plan.pk))
