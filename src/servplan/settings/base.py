"""Settings shared by every environment; the others import and adjust these."""

import datetime as dt
import ipaddress
import os
from pathlib import Path

import dj_database_url

from servplan.paths import REPO_ROOT, VAR_DIR

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("SERVPLAN_SECRET_KEY", "dev-only-not-secret-7c1f0e0a9b")
DEBUG = os.environ.get("SERVPLAN_DEBUG", "") == "1"
ALLOWED_HOSTS = [
    h for h in os.environ.get("SERVPLAN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    # For /api/docs: Swagger UI from django-ninja's own static files, not a CDN (the CSP
    # allows scripts only from this site, and offices run without the internet).
    "ninja",
    # Background jobs (the period ZIP): Django's Tasks API, backported, with its queue kept
    # in this database, so SQLite and PostgreSQL alike need no broker.
    "django_tasks",
    "django_tasks_db",
    "servplan.core",
    "servplan.audit",
    "servplan.offices",
    "servplan.programs",
    "servplan.plans",
    "servplan.assessments",
    "servplan.review",
    "servplan.periods",
    "servplan.documents",
    "servplan.imports",
    "servplan.public",
    "servplan.search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "servplan.core.middleware.SecurityHeadersMiddleware",
    # Before anything reads the body (CSRF reads the form, whitenoise nothing).
    "servplan.core.middleware.BodySizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # An HTMX save whose session is gone: a 401 fragment instead of the login page.
    "servplan.core.middleware.HtmxSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: it turns a lockout flagged during the login into the refusal page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "servplan.urls"
WSGI_APPLICATION = "servplan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["servplan.core.templatetags.roc"],
        },
    },
]

if "DATABASE_URL" in os.environ:
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {"default": dj_database_url.parse(f"sqlite:///{VAR_DIR / 'servplan.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several server processes write one file: take the write lock when a transaction starts
    # (SELECT ... FOR UPDATE does nothing on SQLite), and wait for it rather than fail at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )

# The worker is `servplan db_worker` (started by `servplan serve` and the demo; README).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Axes first: it refuses a locked-out username or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (servplan.core.throttle): 5 failures per username, 20 per client address,
# in 15 minutes, on the site login and /admin/login/ alike; kept in the database.
AXES_HANDLER = "servplan.core.throttle.ThrottleHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = 5
SERVPLAN_FAILURES_PER_IP = 20
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
# A refused try while locked out doesn't start the 15 minutes again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "servplan.core.throttle.username"
AXES_CLIENT_IP_CALLABLE = "servplan.core.throttle.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_COOLOFF_MESSAGE = "登入失敗次數過多，請 15 分鐘後再試。"
AXES_VERBOSE = False
# Behind a reverse proxy: the header it sets (e.g. X-Forwarded-For), believed only on requests
# from the proxy's addresses (comma-separated, CIDR allowed) and read at the position that
# the number of proxies gives. Unset: REMOTE_ADDR, whatever the client sends.
SERVPLAN_TRUSTED_PROXY_HEADER = os.environ.get("SERVPLAN_TRUSTED_PROXY_HEADER", "")
SERVPLAN_TRUSTED_PROXIES = [
    p.strip()
    for p in os.environ.get("SERVPLAN_TRUSTED_PROXIES", "127.0.0.1,::1").split(",")
    if p.strip()
]
SERVPLAN_TRUSTED_PROXY_COUNT = int(os.environ.get("SERVPLAN_TRUSTED_PROXY_COUNT", "1"))
# Misconfiguration stops the start, not every login.
for _proxy in SERVPLAN_TRUSTED_PROXIES:
    ipaddress.ip_network(_proxy, strict=False)
if SERVPLAN_TRUSTED_PROXY_COUNT < 1:
    raise ValueError("SERVPLAN_TRUSTED_PROXY_COUNT must be at least 1")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "zh-hant"
LANGUAGES = [("zh-hant", "繁體中文")]
TIME_ZONE = "Asia/Taipei"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
# Serve app static files straight from their folders: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True

MEDIA_ROOT = Path(os.environ.get("SERVPLAN_MEDIA_ROOT", VAR_DIR / "media"))

CSRF_FAILURE_VIEW = "servplan.core.views.csrf_failure"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

DATA_DIR = BASE_DIR / "data"
REPO_DIR = REPO_ROOT

# E-mail notices (servplan.offices.notifications): printed on the console here and in the
# demo; the production settings send them by SMTP. Links in them start with SERVPLAN_BASE_URL.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("SERVPLAN_EMAIL_FROM", "servplan@localhost")
SERVPLAN_BASE_URL = os.environ.get("SERVPLAN_BASE_URL", "http://127.0.0.1:8000")
