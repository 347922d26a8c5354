from config.env import database_config


def test_sqlite_url_keeps_the_settings_for_concurrent_writers(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite3")
    config = database_config(tmp_path / "default.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_postgres_url(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ouentai")
    monkeypatch.setenv("TEST_DATABASE_NAME", "test_other")
    config = database_config(tmp_path / "default.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["TEST"]["NAME"] == "test_other"


def test_s3_storage_only_when_a_bucket_is_named(tmp_path):
    import json
    import os
    import subprocess
    import sys

    code = "from django.conf import settings; import json; print(json.dumps(settings.STORAGES['default']))"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "OUENTAI_S3_BUCKET": ""}
    local = json.loads(
        subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert local["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    env.update(OUENTAI_S3_BUCKET="ouentai-docs", OUENTAI_S3_ENDPOINT_URL="https://s3.example.jp")
    s3 = json.loads(
        subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"]["bucket_name"] == "ouentai-docs"
    assert s3["OPTIONS"]["endpoint_url"] == "https://s3.example.jp"
    assert s3["OPTIONS"]["default_acl"] == "private"
