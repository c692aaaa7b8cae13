from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from servplan.core.errors import DomainError
from servplan.core.roc import format_date
from servplan.offices.domain import find_tokens, issue_token, revoke_tokens
from servplan.offices.models import TOKEN_DAYS


def _when(value) -> str:
    if value is None:
        return "—"
    local = timezone.localtime(value)
    return f"{format_date(local)} {local:%H:%M}"


class Command(BaseCommand):
    help = (
        "API 權杖：servplan token USERNAME [--days N] 發給新權杖並印出（只顯示這一次）；"
        "--list 列出；--revoke [前綴或編號] 撤銷（不指定則撤銷該使用者全部權杖）"
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="帳號")
        parser.add_argument(
            "--days",
            type=int,
            default=TOKEN_DAYS,
            help=f"新權杖的有效天數（預設 {TOKEN_DAYS}）；到期後 API 回 401",
        )
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--list",
            action="store_true",
            dest="show",
            help="列出權杖（編號、前綴、建立、到期、最後使用）",
        )
        action.add_argument(
            "--revoke",
            nargs="?",
            const="",
            metavar="PREFIX|ID",
            help="撤銷權杖：--list 所列的前綴或編號；不指定則撤銷全部",
        )

    def handle(self, *args, username: str, days: int, show: bool, revoke, **options):
        try:
            if show:
                self._list(username)
            elif revoke is not None:
                count = revoke_tokens(tokens=find_tokens(username=username, which=revoke))
                self.stdout.write(f"已撤銷使用者「{username}」的 {count} 個權杖")
            else:
                self.stdout.write(issue_token(username=username, days=days))
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _list(self, username: str) -> None:
        tokens = find_tokens(username=username)
        if not tokens:
            self.stdout.write(f"使用者「{username}」沒有權杖")
            return
        for t in tokens:
            state = "（已到期）" if t.is_expired else ""
            self.stdout.write(
                f"#{t.pk}  {t.prefix}  建立 {_when(t.created_at)}  到期 {_when(t.expires_at)}"
                f"{state}  最後使用 {_when(t.last_used_at)}"
            )
