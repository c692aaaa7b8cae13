from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from servplan.core.management.commands.init import Command as InitCommand
from servplan.core.management.commands.serve import default_workers, exec_gunicorn
from servplan.offices.domain import add_user, find_office
from servplan.offices.models import Role

DEMO_PASSWORD = "servplan-demo"
DEMO_USERS = [
    ("clerk", "台東區營業處", Role.CLERK),
    ("chief", "台東區營業處", Role.SECTION_CHIEF),
    ("manager", "台東區營業處", Role.MANAGER),
    ("deputy", "台東區營業處", Role.DEPUTY_DIRECTOR),
    ("director", "台東區營業處", Role.DIRECTOR),
    ("miaoli", "苗栗區營業處", Role.CLERK),
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


class Command(BaseCommand):
    help = "示範：init --sample、建立每種角色的示範帳號（印出密碼），並於 127.0.0.1 啟動網站。"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="連接埠（預設 8000）")
        parser.add_argument("--no-serve", action="store_true", help="只準備資料與帳號，不啟動網站")

    def handle(self, *args, port: int, no_serve: bool, **options):
        InitCommand(stdout=self.stdout, stderr=self.stderr).handle(sample=True)
        self.stdout.write(f"\n示範帳號（密碼皆為 {DEMO_PASSWORD}）：")
        for username, office, role in ensure_demo_users():
            self.stdout.write(f"  {username:<10} {role.label}（{office}）  密碼：{DEMO_PASSWORD}")
        if no_serve:
            return
        self.stdout.write(f"\n請開啟 http://127.0.0.1:{port}/ 登入。按 Ctrl+C 結束。")
        self.stdout.flush()
        exec_gunicorn(host="127.0.0.1", port=port, workers=default_workers())
