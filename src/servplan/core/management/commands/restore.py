from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from servplan.core.backup import restore
from servplan.core.errors import DomainError


class Command(BaseCommand):
    help = "從 servplan dump 的備份檔還原到 DATABASE_URL 指定的資料庫（SQLite 或 PostgreSQL）。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="備份檔（.zip）")
        parser.add_argument("--replace", action="store_true", help="清空現有資料後再還原")

    def handle(self, *args, file: Path, replace: bool, **options):
        try:
            counts = restore(source=file, replace=replace)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"已還原 {sum(counts.values())} 筆紀錄")
