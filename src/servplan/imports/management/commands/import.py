from django.core.management.base import BaseCommand, CommandError

from servplan.core.errors import DomainError
from servplan.imports.domain import ImportRefused, import_file, record_as_dict
from servplan.imports.management.commands._report import (
    EXIT_ERRORS,
    dumps,
    fail,
    issue_lines,
    read_input,
    summary,
)


class Command(BaseCommand):
    help = (
        "匯入一份評分表或執行計畫檔案：先做與 check 相同的檢查，無錯誤才以單一交易存入並印出紀錄；"
        "同一檔案再次匯入同一區營業處時回報既有紀錄。結束碼：0 成功、1 有錯誤（未存入）、2 無法讀取。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="檔案路徑")
        parser.add_argument("--json", action="store_true", help="以 JSON 輸出存入的紀錄")
        parser.add_argument("--office", help="指定區營業處（名稱或代碼），取代標題中的區營業處")

    def handle(self, *args, file: str, json: bool, office: str | None, **options):
        filename, data = read_input(file)
        try:
            entry, created, result = import_file(filename=filename, data=data, office=office)
        except ImportRefused as exc:
            if json:
                self.stdout.write(dumps(exc.result.as_dict()))
            else:
                self.stdout.write(summary(exc.result))
                for line in issue_lines(exc.result):
                    self.stdout.write(line)
            raise fail(exc.result) from exc
        except DomainError as exc:
            raise CommandError(exc.message, returncode=EXIT_ERRORS) from exc
        data_out = record_as_dict(entry)
        if json:
            issues = [i.as_dict() for i in result.issues] if result else []
            self.stdout.write(
                dumps(
                    {
                        **data_out,
                        "import": {"id": entry.id, "file": entry.filename, "created": created},
                        "issues": issues,
                    }
                )
            )
            return
        if created:
            self.stdout.write(
                f"已匯入「{entry.filename}」：{summary(result)}（紀錄 #{data_out['id']}）"
            )
            for line in issue_lines(result)[1:]:
                self.stdout.write(line)
        else:
            self.stdout.write(
                f"「{entry.filename}」已於先前匯入（匯入紀錄 #{entry.id}），"
                f"沿用既有紀錄 #{data_out['id']}，未重複建立"
            )
