"""covidarnost/settings.py read from the environment, each case in a fresh interpreter.

Settings are evaluated once per process, so every case runs `python -c` with an environment
built from scratch (not the caller's: CI sets DATABASE_URL and REDIS_URL).
"""

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRINT_SETTINGS = """
import json
from django.conf import settings as s
print(json.dumps({
    "engine": s.DATABASES["default"]["ENGINE"],
    "db_name": str(s.DATABASES["default"]["NAME"]),
    "db_host": s.DATABASES["default"].get("HOST", ""),
    "cache": s.CACHES["default"]["BACKEND"],
    "cache_location": s.CACHES["default"].get("LOCATION", ""),
    "broker": s.CELERY_BROKER_URL,
    "eager": s.CELERY_TASK_ALWAYS_EAGER,
    "language": s.LANGUAGE_CODE,
    "languages": [code for code, _ in s.LANGUAGES],
    "time_zone": s.TIME_ZONE,
    "celery_tz": s.CELERY_TIMEZONE,
    "debug": s.DEBUG,
}))
"""

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "kq7Vd2-not-a-real-key-but-long-and-varied-enough-9fX3mZ0pLw8Rt",
    "ALLOWED_HOSTS": "help.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://help.example.org",
    "SITE_URL": "https://help.example.org",
}


def run(code: list[str], **env: str) -> subprocess.CompletedProcess:
    clean_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(ROOT)),
        "DJANGO_SETTINGS_MODULE": "covidarnost.settings",
        **env,
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, *code],
        cwd=ROOT,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@functools.cache
def settings_with(**env: str) -> dict:
    result = run(["-c", PRINT_SETTINGS], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_no_database_url_means_sqlite():
    settings = settings_with(DEBUG="1")
    assert settings["engine"] == "django.db.backends.sqlite3"
    assert settings["db_name"].endswith("db.sqlite3")


def test_database_url_selects_postgresql():
    settings = settings_with(DEBUG="1", DATABASE_URL="postgres://app:pw@db.internal:5432/mutual")
    assert settings["engine"] == "django.db.backends.postgresql"
    assert settings["db_name"] == "mutual"
    assert settings["db_host"] == "db.internal"


def test_without_redis_cache_is_local_and_tasks_run_inline():
    settings = settings_with(DEBUG="1")
    assert settings["cache"].endswith("LocMemCache")
    assert settings["broker"] == "memory://"
    assert settings["eager"] is True


def test_redis_url_selects_redis_cache_and_broker_and_a_real_worker():
    settings = settings_with(DEBUG="1", REDIS_URL="redis://cache.internal:6379/3")
    assert settings["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert settings["cache_location"] == "redis://cache.internal:6379/3"
    assert settings["broker"] == "redis://cache.internal:6379/3"
    assert settings["eager"] is False


def test_missing_secret_key_with_debug_off_is_a_clear_error():
    result = run(["-c", PRINT_SETTINGS], DEBUG="0")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_defaults_to_off():
    settings = settings_with(SECRET_KEY=PRODUCTION["SECRET_KEY"])
    assert settings["debug"] is False


def test_russian_first_english_second():
    settings = settings_with(DEBUG="1")
    assert settings["language"] == "ru"
    assert settings["languages"] == ["ru", "en"]


def test_time_zone_defaults_to_moscow_and_can_be_changed():
    assert settings_with(DEBUG="1")["time_zone"] == "Europe/Moscow"
    changed = settings_with(DEBUG="1", TIME_ZONE="Asia/Yekaterinburg")
    assert changed["time_zone"] == "Asia/Yekaterinburg"
    assert changed["celery_tz"] == "Asia/Yekaterinburg"


def test_check_deploy_passes_with_production_environment():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_when_debug_is_on():
    # Proves the check above can fail: DEBUG on is a deployment warning (security.W018).
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **{**PRODUCTION, "DEBUG": "1"},
    )
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr
