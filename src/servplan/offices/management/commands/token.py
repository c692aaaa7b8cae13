from django.core.management.base import BaseCommand, CommandError

from servplan.core.errors import DomainError
from servplan.offices.domain import issue_token


class Command(BaseCommand):
    help = "為使用者發給 API 權杖並印出（只顯示這一次）：servplan token USERNAME"

    def add_arguments(self, parser):
        parser.add_argument("username", help="帳號")

    def handle(self, *args, username: str, **options):
        try:
            self.stdout.write(issue_token(username=username))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
