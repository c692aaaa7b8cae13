"""Production: secrets from the environment, HTTPS only."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ["SERVPLAN_SECRET_KEY"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("SERVPLAN_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("SERVPLAN_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SERVPLAN_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("SERVPLAN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SERVPLAN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("SERVPLAN_EMAIL_USE_TLS", "") == "1"
# A mail server that doesn't answer must not hold a request (the step is already committed).
EMAIL_TIMEOUT = 10
