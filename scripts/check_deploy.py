"""`manage.py check --deploy` with the production settings and throwaway values for its secrets, so that
`make test` proves the production configuration is clean."""

import os
import secrets
import subprocess
import sys

env = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "ouentai.example.jp",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}
sys.exit(
    subprocess.call([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env=env)
)
