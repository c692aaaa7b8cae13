import os

import django.test
import hypothesis
import pytest
from django.conf import settings
from django.http import HttpRequest

# No time limit per example: hypothesis' default (200 ms) fails a property on a busy machine,
# and a test must not depend on the machine's speed. Speed is measured in bench/.
hypothesis.settings.register_profile("servplan", deadline=None)
hypothesis.settings.load_profile("servplan")


def pytest_sessionstart(session):
    """With CI set, the PostgreSQL run is required: fail (never skip) when it can't connect."""
    if not os.environ.get("CI") or "DATABASE_URL" not in os.environ:
        return
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return
    import psycopg

    try:
        psycopg.connect(
            host=db["HOST"],
            port=db["PORT"] or 5432,
            user=db["USER"],
            password=db["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg.OperationalError as exc:
        pytest.exit(
            f"CI is set but PostgreSQL is unreachable at {db['HOST']}:{db['PORT']}: {exc}",
            returncode=3,
        )


class Client(django.test.Client):
    """The test client, whose login() passes a request as every real login does: the
    throttling backend (django-axes) refuses to authenticate without one."""

    def login(self, **credentials):
        return super().login(request=HttpRequest(), **credentials)


@pytest.fixture
def client():
    return Client()


def pytest_collection_modifyitems(config, items):
    """Browser tests run once, on SQLite: on PostgreSQL only those marked `both_databases`
    (the database is what they test) run again. Tests marked `sqlite_only` (slow, and about
    the code above the database, e.g. the schemathesis run) also run on SQLite only."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return
    once = pytest.mark.skip(reason="browser test: runs on SQLite only")
    for item in items:
        in_browser = "tests/browser/" in item.nodeid or item.get_closest_marker("browser")
        if in_browser and not item.get_closest_marker("both_databases"):
            item.add_marker(once)
        elif item.get_closest_marker("sqlite_only"):
            item.add_marker(pytest.mark.skip(reason="sqlite_only: runs on SQLite only"))


@pytest.fixture
def shipped(db):
    """Offices, the 112 and 114 programs and the 114 rubric, as `servplan init` loads them."""
    from servplan.core.setup import load_shipped_data

    return load_shipped_data(sample=False)


@pytest.fixture
def sample(db):
    """The shipped data plus the two seed records."""
    from servplan.core.setup import load_shipped_data

    return load_shipped_data(sample=True)


@pytest.fixture
def taitung(sample):
    from servplan.assessments.models import Assessment

    return Assessment.objects.get(
        office__name="台東區營業處", roc_year=114, start_month=1, end_month=6
    )


@pytest.fixture
def make():
    from tests import factories

    return factories


@pytest.fixture
def as_user(client):
    """as_user(user) → the test client, logged in as that user (and only that user)."""
    from tests.factories import PASSWORD

    def _as(user):
        client.logout()
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return _as


@pytest.fixture
def api(client):
    """api(user) → a client of the JSON API with a fresh bearer token of that user."""
    from servplan.offices.models import ApiToken

    class Api:
        def __init__(self, user):
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)}"}

        def get(self, url):
            return client.get(url, **self.headers)

        def post(self, url, data=None):
            return client.post(url, data or {}, content_type="application/json", **self.headers)

        def patch(self, url, data):
            return client.patch(url, data, content_type="application/json", **self.headers)

        def delete(self, url):
            return client.delete(url, **self.headers)

    return Api
