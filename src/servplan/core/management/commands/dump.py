from pathlib import Path

from django.core.management.base import BaseCommand

from servplan.core.backup import dump


class Command(BaseCommand):
    help = "備份全部資料（紀錄、使用者、權杖、異動紀錄、上傳檔案）到一個 ZIP 檔。"

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, type=Path, help="備份檔路徑（.zip）")

    def handle(self, *args, output: Path, **options):
        counts = dump(target=output)
        self.stdout.write(f"已備份 {sum(counts.values())} 筆紀錄到 {output}")
