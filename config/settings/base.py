"""Settings shared by every environment. No secrets and no host names here."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, database_config, env_bool, env_int, env_list, env_path, env_str

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS: list[str] = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS: list[str] = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_q",
    "csp",
    "ouentai.core",
    "ouentai.accounts",
    "ouentai.content",
    "ouentai.community",
    "ouentai.network",
    "ouentai.events",
    "ouentai.engagements",
    "ouentai.cases",
    "ouentai.knowhow",
    "ouentai.outcomes",
    "ouentai.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # An organization's pages at the root of its own host name (after CommonMiddleware: the host is valid).
    "ouentai.portal.middleware.OrganizationHostMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before any view or the CSRF check reads a body: refuse one that is not UTF-8 with our 400 page.
    "ouentai.core.encoding.RequestEncodingMiddleware",
    "ouentai.core.errorpages.ErrorPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "ouentai.portal.middleware.NotConfiguredMiddleware",
]
# Our own pages for errors (config.urls sets handler400…500); a refused CSRF check gets ours too.
CSRF_FAILURE_VIEW = "ouentai.core.errorpages.csrf_failure"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "ouentai.core.context_processors.site",
            ],
        },
    }
]

DATABASES = {"default": database_config(BASE_DIR / "var" / "ouentai.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "community:home"
LOGOUT_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Japanese first; English complete. Source strings in the code are Japanese; locale/en holds English.
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("日本語")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Tokyo"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded documents (imports, attachments, plan documents) unless OUENTAI_S3_BUCKET is set.
MEDIA_ROOT = env_path("MEDIA_ROOT", BASE_DIR / "var" / "media")
# Uploaded documents on S3-compatible storage instead of MEDIA_ROOT when a bucket is named (needs the
# "s3" extra). Credentials come from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables or the
# instance role; files are private and served only through permission-checked views.
OUENTAI_S3_BUCKET = env_str("OUENTAI_S3_BUCKET")
if OUENTAI_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": OUENTAI_S3_BUCKET,
            "endpoint_url": env_str("OUENTAI_S3_ENDPOINT_URL") or None,
            "region_name": env_str("OUENTAI_S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Cache: Redis when REDIS_URL is set (required with several app servers: rate limits and sessions
# must be shared); otherwise an in-process cache, correct for the single-process default set-up.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ouentai"}}
    # django-ratelimit refuses a per-process cache; with one process it is exact. See docs/operators.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

RATELIMIT_VIEW = "ouentai.portal.views.rate_limited"
# Public form submissions allowed per client address (django-ratelimit syntax).
OUENTAI_PUBLIC_FORM_RATE = env_str("OUENTAI_PUBLIC_FORM_RATE", "10/10m")
# Client address for rate limits: REMOTE_ADDR, or behind N trusted reverse proxies the N-th address from
# the right of X-Forwarded-For (see docs/operators/deployment.md).
OUENTAI_TRUSTED_PROXIES = env_int("OUENTAI_TRUSTED_PROXIES", 0)
# The organization that speaks for the program on the program-wide pages at / (its entries marked
# program-wide, its privacy policy on the program-wide forms). Default: the default organization.
OUENTAI_PORTAL_ORGANIZATION = env_str("OUENTAI_PORTAL_ORGANIZATION")
OUENTAI_SITE_NAME = env_str("OUENTAI_SITE_NAME", "応援隊")
# The program office sees no aggregate resting on fewer companies (or people) than this.
OUENTAI_SUPPRESSION_THRESHOLD = max(env_int("OUENTAI_SUPPRESSION_THRESHOLD", 3), 2)
# The site's address in mails and documents. `make run` / scripts/serve.sh set it to the address served
# (HOST and PORT) unless it is set; in production set it to the public https:// address.
OUENTAI_PUBLIC_BASE_URL = env_str("OUENTAI_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Mail. Outgoing mail is written to the database and sent by the task worker (ouentai.core.mail).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "Set EMAIL_USE_TLS (STARTTLS, port 587) or EMAIL_USE_SSL (port 465), not both."
    )
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "応援隊 事務局 <no-reply@ouentai.example.jp>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Durable task queue in the same database as the data (django-q2, ORM broker): a task enqueued inside
# a transaction exists exactly when that transaction commits. See docs/operators/workers.md.
Q_CLUSTER = {
    "name": "ouentai",
    "orm": "default",
    "workers": env_int("Q_WORKERS", 2),
    "timeout": env_int("Q_TIMEOUT", 60),
    # Must exceed timeout; a failed task is tried again after this many seconds.
    "retry": env_int("Q_RETRY", 90),
    "max_attempts": env_int("Q_MAX_ATTEMPTS", 100),
    # A failed task stays queued and is tried again after `retry` seconds, up to max_attempts times
    # (True would drop it at the first failure: a mail sent while the server is down would be lost).
    "ack_failures": False,
    "save_limit": 1000,
    "poll": 0.5,
    "catch_up": False,
    "label": _("タスクキュー"),
}

# Content Security Policy (django-csp 4): only our own origin; inline scripts are not allowed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django-q": {"level": env_str("Q_LOG_LEVEL", "WARNING")}},
}
