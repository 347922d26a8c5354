"""Settings for the test suite: SQLite in a file (so a worker process and a browser can share it) or
DATABASE_URL for PostgreSQL."""

from config.env import BASE_DIR, env_str
from config.settings.base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
# locmem unless a test starts a worker process that must deliver to its loopback SMTP server.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": env_str("TEST_SQLITE_PATH", str(BASE_DIR / "var" / "test.sqlite3"))
    }
OUENTAI_PUBLIC_FORM_RATE = "1000/m"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
