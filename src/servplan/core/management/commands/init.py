from django.conf import settings
from django.core.management.base import BaseCommand

from servplan.core.setup import init_database


class Command(BaseCommand):
    help = "建立或更新資料庫（DATABASE_URL，預設 var/servplan.sqlite3），載入區營業處、總處執行計畫與評分表。可重複執行。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--sample",
            action="store_true",
            help="一併載入範例紀錄（苗栗 112 年度執行計畫、台東 114 年度 1 月至 6 月自行考核）",
        )

    def handle(self, *args, sample: bool = False, **options):
        db = settings.DATABASES["default"]
        report = init_database(sample=sample)
        self.stdout.write(f"資料庫：{db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']}")
        self.stdout.write(f"新增區營業處 {report.offices_created} 個")
        for label in report.loaded:
            self.stdout.write(f"已載入：{label}")
        for label in report.existing:
            self.stdout.write(f"已存在（未變更）：{label}")
