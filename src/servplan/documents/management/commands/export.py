from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from servplan.assessments.models import Assessment
from servplan.assessments.sheet import sheet_queryset
from servplan.core.errors import DomainError
from servplan.core.roc import RocError, parse_period
from servplan.documents.export import ASSESSMENT_FORMATS, FORM_CHOICES, PLAN_FORMATS
from servplan.plans.models import OfficePlan
from servplan.plans.serializers import plans_for_export


class Command(BaseCommand):
    help = "輸出文件：自行考核（三種表單或資料檔）、執行計畫，或某期間所有區營業處的表單（ZIP）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True, metavar="{assessment,plan,period}")
        a = sub.add_parser("assessment", help="一份自行考核", description="輸出一份自行考核。")
        a.add_argument("id", type=int, help="自行考核編號（servplan list assessments）")
        a.add_argument("--format", required=True, help=f"格式：{'、'.join(ASSESSMENT_FORMATS)}")
        a.add_argument(
            "--form",
            default="all",
            help=f"表單（pdf/odt/docx）：{'、'.join(FORM_CHOICES)}；all 為三表合併（預設）",
        )
        a.add_argument("-o", "--output", help="輸出檔名（預設依紀錄命名，存於目前目錄）")
        p = sub.add_parser("plan", help="一份執行計畫", description="輸出一份執行計畫。")
        p.add_argument("id", type=int, help="執行計畫編號（servplan list plans）")
        p.add_argument("--format", required=True, help=f"格式：{'、'.join(PLAN_FORMATS)}")
        p.add_argument("-o", "--output", help="輸出檔名（預設依紀錄命名，存於目前目錄）")
        b = sub.add_parser(
            "period",
            help="某期間所有區營業處的表單（ZIP）",
            description="將某期間每個區營業處的三種表單輸出為一個 ZIP 檔。",
        )
        b.add_argument("period", help="期間，例如 114-1-6 或「114 年度 1 月至 6 月」")
        b.add_argument("--format", default="pdf", help=f"格式：{'、'.join(ASSESSMENT_FORMATS)}")
        b.add_argument("-o", "--output", help="輸出 ZIP 檔名（預設 forms-<期間>-<格式>.zip）")
        b.add_argument(
            "--jobs",
            type=int,
            default=0,
            help="PDF 以幾個工作程序產生（預設 0，即每個 CPU 一個；1 為只用本程序）",
        )

    def handle(self, *args, what: str, **options):
        try:
            if what == "period":
                path, size = self._period(options)
            else:
                content, default_name = getattr(self, f"_{what}")(options)
                path = Path(options.get("output") or default_name)
                try:
                    path.write_bytes(content)
                except OSError as exc:
                    raise CommandError(f"無法寫入「{path}」：{exc.strerror}") from exc
                size = len(content)
        except (DomainError, RocError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        self.stdout.write(f"已輸出：{path}（{size:,} 位元組）")

    def _assessment(self, options):
        from servplan.documents.export import export_assessment

        try:
            assessment = sheet_queryset().get(pk=options["id"])
        except Assessment.DoesNotExist:
            raise CommandError(f"找不到編號 {options['id']} 的自行考核") from None
        result = export_assessment(assessment, fmt=options["format"], form=options["form"])
        return result.content, result.filename

    def _plan(self, options):
        from servplan.documents.export import export_plan

        try:
            plan = plans_for_export().get(pk=options["id"])
        except OfficePlan.DoesNotExist:
            raise CommandError(f"找不到編號 {options['id']} 的執行計畫") from None
        result = export_plan(plan, fmt=options["format"])
        return result.content, result.filename

    def _period(self, options) -> tuple[Path, int]:
        """The ZIP is written straight to a file beside the output (never whole in memory),
        renamed to it once complete: a failed run leaves no half-written archive."""
        from servplan.documents.batch import export_period

        period = parse_period(options["period"])
        if options["jobs"] < 0:
            raise CommandError("--jobs 不可為負數")
        fmt = options["format"].strip().lower()
        path = Path(options.get("output") or f"forms-{period.slug}-{fmt}.zip")
        partial = path.with_name(f"{path.name}.part")
        try:
            stream = partial.open("wb")
        except OSError as exc:
            raise CommandError(f"無法寫入「{path}」：{exc.strerror}") from exc
        bar = ProgressBar(self.stderr)
        try:
            with stream:
                export_period(
                    period,
                    fmt=options["format"],
                    target=stream,
                    progress=bar,
                    workers=options["jobs"],
                )
            partial.replace(path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        bar.finish()
        return path, path.stat().st_size


class ProgressBar:
    """A bar redrawn in place on a terminal; one plain line per file otherwise (logs, pipes).

    `stream` is the command's stderr (an OutputWrapper): written without its automatic
    newline and without its error colouring.
    """

    WIDTH = 30

    def __init__(self, stream) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.drawn = False

    def _write(self, text: str) -> None:
        self.stream.write(text, style_func=str, ending="")
        self.stream.flush()

    def __call__(self, done: int, total: int, name: str) -> None:
        if self.tty:
            filled = self.WIDTH * done // total
            bar = "█" * filled + "░" * (self.WIDTH - filled)
            self._write(f"\r{bar} {done}/{total} {name}\033[K")
            self.drawn = True
        else:
            self._write(f"{done}/{total} {name}\n")

    def finish(self) -> None:
        if self.drawn:
            self._write("\n")
