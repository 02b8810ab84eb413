"""docker-compose.yml and the Dockerfile, checked without Docker (CI machines have none)."""

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
LONG_RUNNING = ["postgres", "redis", "web", "worker", "beat"]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command_of(service: dict) -> str:
    command = service["command"]
    return " ".join(command) if isinstance(command, list) else command


def test_compose_has_every_service(compose):
    assert set(compose["services"]) >= {"postgres", "redis", "migrate", "web", "worker", "beat"}
    assert compose["services"]["postgres"]["image"] == "postgres:15"
    assert compose["services"]["redis"]["image"] == "redis:7"


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_every_long_running_service_has_a_healthcheck(compose, name):
    check = compose["services"][name]["healthcheck"]
    assert check["test"][0] in ("CMD", "CMD-SHELL")
    assert len(check["test"]) > 1


def test_web_runs_gunicorn_configured_by_its_config_file(compose):
    web = compose["services"]["web"]
    assert command_of(web) == "gunicorn covidarnost.wsgi"
    # Workers and threads come from the environment, through gunicorn.conf.py.
    assert web["environment"]["WEB_CONCURRENCY"].startswith("${WEB_CONCURRENCY")
    assert web["environment"]["GUNICORN_THREADS"].startswith("${GUNICORN_THREADS")
    assert "/healthz" in " ".join(web["healthcheck"]["test"])


def _gunicorn_config(monkeypatch, **env) -> dict:
    for key in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_BIND", "PORT"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    namespace: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102 - our own file
    return namespace


def test_gunicorn_workers_and_threads_come_from_the_environment(monkeypatch):
    config = _gunicorn_config(monkeypatch, WEB_CONCURRENCY="5", GUNICORN_THREADS="4", PORT="9000")
    assert (config["workers"], config["threads"], config["bind"]) == (5, 4, "0.0.0.0:9000")
    default = _gunicorn_config(monkeypatch)
    assert default["threads"] == 1
    assert 1 <= default["workers"] <= 8
    assert default["bind"] == "0.0.0.0:8000"
    # The access log is JSON without client addresses (tests/test_log_format.py).
    assert default["logger_class"] == "covidarnost.gunicorn_logging.JsonLogger"


def test_web_waits_for_migrations_and_services(compose):
    web = compose["services"]["web"]
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert web["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert command_of(compose["services"]["migrate"]) == "python manage.py migrate --noinput"
    assert compose["services"]["migrate"]["restart"] == "no"


def test_worker_and_beat_run_celery(compose):
    assert command_of(compose["services"]["worker"]).startswith("celery -A covidarnost worker")
    assert command_of(compose["services"]["beat"]).startswith("celery -A covidarnost beat")
    assert "inspect ping" in compose["services"]["worker"]["healthcheck"]["test"][1]


@pytest.mark.parametrize("name", ["migrate", "web", "worker", "beat"])
def test_app_services_use_postgres_and_redis_in_production_mode(compose, name):
    env = compose["services"][name]["environment"]
    assert env["DEBUG"] == "0"
    assert env["DATABASE_URL"].startswith("postgres://")
    assert "@postgres:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://:${REDIS_PASSWORD:?")
    assert env["REDIS_URL"].endswith("@redis:6379/0")
    # A missing SECRET_KEY stops compose with a message instead of starting with a blank one.
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")


def test_web_port_is_published_on_loopback_only(compose):
    # Only the TLS proxy on the host may reach gunicorn: it trusts X-Forwarded-Proto.
    assert all(p.startswith("127.0.0.1:") for p in compose["services"]["web"]["ports"])


def test_dockerfile_builds_translations_and_static_files():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11" in dockerfile
    assert "compilemessages" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert "USER app" in dockerfile
    assert "%(h)s" not in dockerfile


def test_dockerignore_keeps_secrets_and_local_data_out():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".env", ".venv", "db.sqlite3", ".git"):
        assert entry in ignored


# --- Hardening (issue: security and privacy) ---------------------------------------------
APP_SERVICES = ["migrate", "web", "worker", "beat"]


def test_no_default_database_password(compose):
    text = (ROOT / "docker-compose.yml").read_text()
    assert "POSTGRES_PASSWORD:-" not in text
    assert compose["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith(
        "${POSTGRES_PASSWORD:?"
    )
    for name in APP_SERVICES:
        url = compose["services"][name]["environment"]["DATABASE_URL"]
        assert ":${POSTGRES_PASSWORD:?" in url


def test_redis_requires_a_password_and_the_healthcheck_uses_it(compose):
    redis = compose["services"]["redis"]
    assert redis["environment"]["REDIS_PASSWORD"].startswith("${REDIS_PASSWORD:?")
    assert '--requirepass "$$REDIS_PASSWORD"' in command_of(redis)
    assert "REDISCLI_AUTH" in redis["healthcheck"]["test"][1]


def test_gunicorn_trusts_forwarded_headers_from_the_proxy_only(compose):
    trusted = compose["services"]["web"]["environment"]["FORWARDED_ALLOW_IPS"]
    assert trusted == "${FORWARDED_ALLOW_IPS:-172.28.0.1}"
    assert "--forwarded-allow-ips" not in command_of(compose["services"]["web"])
    gateway = compose["networks"]["default"]["ipam"]["config"][0]["gateway"]
    assert gateway == "172.28.0.1"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_api_num_proxies_and_channel_variables_are_passed(compose, name):
    env = compose["services"][name]["environment"]
    assert env["API_NUM_PROXIES"] == "${API_NUM_PROXIES:-1}"
    for variable in (
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_BOT_USERNAME",
        "TELEGRAM_WEBHOOK_SECRET",
        "TELEGRAM_API_URL",
        "TELEGRAM_LINK_MAX_AGE",
        "SMS_GATEWAY_URL",
        "SMS_GATEWAY_TEMPLATE",
        "SMS_GATEWAY_TOKEN",
        "SMS_INBOUND_SECRET",
    ):
        assert env[variable].startswith(f"${{{variable}:-"), variable


def test_readme_says_how_to_keep_addresses_out_of_the_proxy_log():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("### Client addresses and the proxy's log", 1)[1].split("\n## ", 1)[0]
    assert "remote_ip" in section  # Caddy
    assert "log_format" in section and "$remote_addr" in section  # nginx
