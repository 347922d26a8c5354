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
