from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from servplan.core.management.commands.init import Command as InitCommand
from servplan.core.management.commands.serve import default_workers, exec_gunicorn
from servplan.core.roc import Period
from servplan.core.sample import generate_sample, has_sample, is_sample_username
from servplan.offices.domain import add_user, find_office
from servplan.offices.models import Role

DEMO_PASSWORD = "servplan-demo"
# A whole sign-off chain in each office of the sample records: 台東's self-assessment and
# 苗栗's plan can both go from the clerk to the director, then to HQ.
DEMO_USERS = [
    ("clerk", "台東區營業處", Role.CLERK),
    ("chief", "台東區營業處", Role.SECTION_CHIEF),
    ("manager", "台東區營業處", Role.MANAGER),
    ("deputy", "台東區營業處", Role.DEPUTY_DIRECTOR),
    ("director", "台東區營業處", Role.DIRECTOR),
    ("miaoli", "苗栗區營業處", Role.CLERK),
    ("miaoli-chief", "苗栗區營業處", Role.SECTION_CHIEF),
    ("miaoli-manager", "苗栗區營業處", Role.MANAGER),
    ("miaoli-deputy", "苗栗區營業處", Role.DEPUTY_DIRECTOR),
    ("miaoli-director", "苗栗區營業處", Role.DIRECTOR),
    ("hq", None, Role.HQ_REVIEWER),
    ("admin", None, Role.ADMIN),
]


def ensure_demo_users() -> list[tuple[str, str, Role]]:
    """Create the demo users that are missing and (re)set every demo password."""
    User = get_user_model()
    rows = []
    for username, office_name, role in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            office = find_office(office_name) if office_name else None
            user = add_user(username=username, role=role, office=office, password=DEMO_PASSWORD)
        else:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        rows.append((username, office_name or "總處", role))
    return rows


# A modest sample (servplan sample) so the board, the comparison and the lists have offices
# in every status; not published, so the public site shows the two seed records.
DEMO_SAMPLE = {"offices": 24, "periods": 4, "seed": 1}


def load_demo_sample() -> str | None:
    """The demo's sample offices, once (a demo database that has them keeps them)."""
    if has_sample():
        return None
    report = generate_sample(**DEMO_SAMPLE, publish=False)
    return (
        f"已建立範例資料：{report.offices} 個範例區營業處（範例第 0001 區營業處…）、"
        f"{report.periods} 期、{report.assessments} 份自行考核"
    )


SAMPLE_PLAN = ("苗栗區營業處", 112)
SAMPLE_RESULTS = ("台東區營業處", Period(114, 1, 6))


def publish_demo_records() -> list[str]:
    """A living public site: the sample plan and the sample results published, by the demo
    users through the domain functions, as people would. Done once: a record someone has
    moved on since (signed, reopened, taken down) is left as it is. Returns what was done.

    The 苗栗 plan is loaded approved (its 陳准實施 date is the seed's), so its clerk publishes
    it as it is. The 台東 self-assessment goes through its chain (clerk … director), HQ
    reviews every cell (its review agrees with the office's scores), marks it reviewed,
    releases the period and publishes the results.
    """
    from servplan.assessments.domain import chain_state, decide, submit_assessment
    from servplan.assessments.models import Assessment, Status
    from servplan.plans.models import OfficePlan, PlanStatus
    from servplan.plans.publication import publish_plan
    from servplan.public.domain import publish_results
    from servplan.review.domain import mark_reviewed, release_reviews, review_cell
    from servplan.review.models import ReviewRelease

    users = {u.username: u for u in get_user_model().objects.all()}
    by_role = {role: users[name] for name, office, role in DEMO_USERS if office == "台東區營業處"}
    done = []
    office, year = SAMPLE_PLAN
    plan = OfficePlan.objects.filter(office__name=office, roc_year=year).first()
    if plan and plan.status == PlanStatus.APPROVED and not plan.publications.exists():
        publish_plan(plan=plan, user=users["miaoli"])
        done.append(f"已公開：{plan.title}")
    office, period = SAMPLE_RESULTS
    a = Assessment.objects.filter(
        office__name=office,
        roc_year=period.roc_year,
        start_month=period.start_month,
        end_month=period.end_month,
    ).first()
    if a is None or a.publications.exists():
        return done
    hq = users["hq"]
    if a.status == Status.DRAFT and not a.signoffs.exists():
        submit_assessment(assessment=a, user=by_role[Role.CLERK])
        while (step := chain_state(a).current) is not None:
            decide(assessment=a, user=by_role[step[1]], decision="approve")
        for cell in a.cells.select_related("cell__dimension", "cell__item"):
            review_cell(cell_score=cell, user=hq, score=cell.score)
        mark_reviewed(assessment=a, user=hq)
    if a.status != Status.REVIEWED:
        return done
    if not ReviewRelease.objects.filter(**period.as_dict()).exists():
        release_reviews(period=period, user=hq)
    publish_results(assessment=a, user=hq)
    done.append(f"已公開：{a} 自行考核結果")
    return done


def ensure_demo_database() -> None:
    """Refuse (CommandError) unless the database is a demo's: empty, or holding demo
    accounts and no other. Anyone else's account (or none at all, with records imported from
    the command line) means someone's real work may be in it."""
    tables = connection.introspection.table_names()
    if not tables:
        return
    if get_user_model()._meta.db_table not in tables:
        raise CommandError("資料庫不是 servplan 的示範資料庫（沒有帳號資料表），不重設。")
    demo = {username for username, _, _ in DEMO_USERS}
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    # The demo's sample offices' people (servplan sample) belong to the demo too.
    others = sorted(u for u in usernames - demo if not is_sample_username(u))
    if others:
        shown = "、".join(others[:5]) + ("…" if len(others) > 5 else "")
        raise CommandError(
            f"資料庫中有示範以外的帳號（{shown}），不是示範資料庫，不重設。"
            "請改用另一個 DATABASE_URL 執行示範。"
        )
    if not usernames:
        raise CommandError("資料庫中沒有示範帳號，不是示範資料庫，不重設。")


def reset_demo_database() -> str:
    """Start the demo over: after ensure_demo_database(), delete the evidence files the
    records refer to, then the records. A SQLite file is deleted; any other database
    (PostgreSQL, SQLite in memory) is emptied table by table. Returns what was done."""
    ensure_demo_database()
    tables = connection.introspection.table_names()
    if "assessments_evidence" in tables:
        from servplan.assessments.models import Evidence

        for evidence in Evidence.objects.all():
            evidence.file.delete(save=False)
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and not connection.creation.is_in_memory_db(name):
        connection.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(name + suffix).unlink(missing_ok=True)
        return f"已刪除示範資料庫 {name}"
    if tables:
        call_command("flush", interactive=False, verbosity=0)
    return f"已清空示範資料庫 {name}"


class Command(BaseCommand):
    help = "示範：init --sample、建立每種角色的示範帳號（印出密碼），並於 127.0.0.1 啟動網站。"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="連接埠（預設 8000）")
        parser.add_argument("--no-serve", action="store_true", help="只準備資料與帳號，不啟動網站")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="從頭開始：刪除示範資料庫（SQLite 檔案；其他資料庫則清空）與其佐證檔案後重建。"
            "資料庫中有示範以外的帳號時拒絕執行",
        )

    def handle(self, *args, port: int, no_serve: bool, reset: bool = False, **options):
        if reset:
            self.stdout.write(reset_demo_database())
        InitCommand(stdout=self.stdout, stderr=self.stderr).handle(sample=True)
        self.stdout.write(f"\n示範帳號（密碼皆為 {DEMO_PASSWORD}）：")
        for username, office, role in ensure_demo_users():
            self.stdout.write(f"  {username:<16} {role.label}（{office}）  密碼：{DEMO_PASSWORD}")
        for line in publish_demo_records():
            self.stdout.write(line)
        if loaded := load_demo_sample():
            self.stdout.write(loaded)
        self.stdout.write(
            "\n公開資訊（不需登入）：/public/，可搜尋「電子帳單」；苗栗 112 年度執行計畫與"
            "台東 114 年度 1 月至 6 月考核結果已公開。"
            "\n從 clerk（台東區營業處經辦）開始：開啟 114 年度 7 月至 12 月自行考核（沿用前期），評分、送出；"
            "\n再依序以 chief、manager、deputy、director 核章，最後以 hq 複評、公布並公開考核結果。"
            "\n總處（hq）可在 /review/periods/ 看範例區營業處各期的繳交看板與比較。"
            "\n重新開始：servplan demo --reset"
        )
        if no_serve:
            return
        self.stdout.write(
            f"\n請開啟 http://127.0.0.1:{port}/ 登入。背景工作程序（產生整期 ZIP 等）"
            "隨網站啟動，按 Ctrl+C 一併結束。"
        )
        self.stdout.flush()
        exec_gunicorn(host="127.0.0.1", port=port, workers=default_workers())
