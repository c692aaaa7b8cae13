from django.core.management.commands.check import Command as SystemCheckCommand

from servplan.imports.domain import check_file
from servplan.imports.management.commands._report import (
    dumps,
    fail,
    issue_lines,
    read_input,
    summary,
)


class Command(SystemCheckCommand):
    help = (
        "檢查一份評分表或執行計畫檔案（.docx .odt .xlsx .ods .pdf .txt），不寫入任何資料："
        "servplan check FILE [--json] [--office NAME]。結束碼：0 無錯誤、1 有錯誤、2 無法讀取。"
        "不帶檔案時執行 Django 的系統檢查。"
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--json", action="store_true", help="以 JSON 輸出讀到的內容與問題")
        parser.add_argument("--office", help="指定區營業處（名稱或代碼），取代標題中的區營業處")

    def handle(self, *args, json: bool = False, office: str | None = None, **options):
        # A file argument checks the file; app labels (or nothing) keep Django's system check.
        if len(args) != 1 or "." not in args[0]:
            return super().handle(*args, **options)
        filename, data = read_input(args[0])
        result = check_file(filename=filename, data=data, office=office)
        if json:
            self.stdout.write(dumps(result.as_dict()))
        else:
            self.stdout.write(summary(result))
            if result.rubric_report:
                self.stdout.write(result.rubric_report)
            for line in issue_lines(result):
                self.stdout.write(line)
        if result.errors:
            raise fail(result)
