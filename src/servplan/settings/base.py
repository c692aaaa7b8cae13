"""Settings shared by every environment; the others import and adjust these."""

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
    "servplan.core",
    "servplan.audit",
    "servplan.offices",
    "servplan.programs",
    "servplan.plans",
    "servplan.assessments",
    "servplan.review",
    "servplan.documents",
    "servplan.imports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "servplan.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

DATA_DIR = BASE_DIR / "data"
REPO_DIR = REPO_ROOT
