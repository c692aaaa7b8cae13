import time

from django.core.management.base import BaseCommand, CommandError

from servplan.core.errors import DomainError
from servplan.core.sample import generate_sample
from servplan.core.setup import init_database


class Command(BaseCommand):
    help = (
        "建立範例資料：「範例第 0001 區營業處」…（代碼 S0001 …）的人員、執行計畫與每半年的"
        "自行考核（各種狀態、核章、複評、公開），供總處看板、比較與效能量測使用。"
        "同一 --seed 產生相同資料；已有範例資料時拒絕執行，除非加上 --replace。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--offices", type=int, required=True, help="範例區營業處數")
        parser.add_argument(
            "--periods", type=int, required=True, help="半年期數（至 113 年度 7 月至 12 月止）"
        )
        parser.add_argument("--seed", type=int, default=1, help="亂數種子（預設 1）")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="先刪除既有的範例資料（不影響真實區營業處）再重建",
        )

    def handle(self, *args, offices: int, periods: int, seed: int, replace: bool, **options):
        started = time.perf_counter()
        init_database()

        def progress(line: str) -> None:
            self.stdout.write(f"[{time.perf_counter() - started:6.1f} s] {line}")
            self.stdout.flush()

        try:
            report = generate_sample(
                offices=offices, periods=periods, seed=seed, replace=replace, progress=progress
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        counts = "、".join(f"{k} {v}" for k, v in sorted(report.statuses.items()))
        progress(
            f"完成：{report.offices} 個範例區營業處、{report.periods} 期、"
            f"{report.assessments} 份自行考核（{counts}）、{report.plans} 份執行計畫；"
            f"公開 {report.plans_published} 份執行計畫與 {report.results_published} 份考核結果"
            f"（搜尋段落 {report.search_passages} 筆）"
        )
