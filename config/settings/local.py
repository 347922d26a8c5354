"""The default set-up of `make run`: SQLite, one web process and one worker, mail to the console."""

from config.env import env_list, env_str
from config.settings.base import *  # noqa: F403

DEBUG = True
SECRET_KEY = env_str("SECRET_KEY", "local-development-only-not-secret")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
