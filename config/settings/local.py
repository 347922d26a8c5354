"""The default set-up of `make run`: SQLite, one web process and one worker, mail to the console."""

from config.env import env_bool, env_list, env_str
from config.settings.base import *  # noqa: F403

# The people who try the product with `make run` see what a deployment shows (our error pages, in
# Japanese); developers who want Django's debug pages set DEBUG=1.
DEBUG = env_bool("DEBUG", False)
# Static files straight from the source folders (no collectstatic), through WhiteNoise as in production.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SECRET_KEY = env_str("SECRET_KEY", "local-development-only-not-secret")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
