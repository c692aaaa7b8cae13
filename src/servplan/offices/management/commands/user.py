from django.core.management.base import BaseCommand, CommandError

from servplan.core.errors import DomainError
from servplan.offices.domain import add_user, find_office, role_from_text


class Command(BaseCommand):
    help = "管理使用者：servplan user add USERNAME --office NAME --role ROLE [--password P]"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="add")
        add = sub.add_parser("add", help="新增使用者", description="新增使用者（每人一個角色）")
        add.add_argument("username", help="帳號")
        add.add_argument("--office", help="區營業處（名稱、簡稱或代碼）；總處角色免填")
        add.add_argument(
            "--role",
            required=True,
            help="角色：clerk 經辦、section_chief 課長、manager 經理、deputy_director 副處長、"
            "director 處長、hq_reviewer 總處業務處、admin 系統管理者（英文或中文皆可）",
        )
        add.add_argument("--password", help="密碼；不指定則只能使用 API 權杖")

    def handle(self, *args, action: str, username: str, office, role: str, password, **options):
        try:
            user = add_user(
                username=username,
                role=role_from_text(role),
                office=find_office(office) if office else None,
                password=password,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        m = user.membership
        where = f"，{m.office.name}" if m.office else ""
        self.stdout.write(f"已新增使用者「{user.username}」（{m.get_role_display()}{where}）")
