"""Modules that need each other share a smaller third one; no import hides inside a function."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("covidarnost", "demo", "intake", "neighbors", "notifications", "requests", "users")
APPS += ("printing", "volunteers", "hotline", "recurring", "impex", "onboarding")
# Imports that must run late for a reason other than a cycle.
LATE_ON_PURPOSE = {
    "requests/apps.py",  # receivers connect in AppConfig.ready, after the models load
    "intake/apps.py",
    "users/apps.py",  # signal receivers connect in AppConfig.ready, after the models load
    "covidarnost/shadowing.py",  # patches DRF before it is imported elsewhere
    "covidarnost/api_throttles.py",  # redis is optional (no REDIS_URL in the demo)
    "printing/apps.py",  # registers its system check in AppConfig.ready
    # WeasyPrint loads Pango when imported: without it the start-up check must say so,
    # not every page of the site fail to import.
    "printing/checks.py",
    "printing/documents.py",
}


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _imported(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_import_inside_a_function():
    late = []
    for path in _modules():
        relative = str(path.relative_to(ROOT))
        if relative in LATE_ON_PURPOSE:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Import | ast.ImportFrom):
                        late.append(f"{relative}:{inner.lineno}")
    assert late == []


def test_offers_enqueue_without_importing_the_tasks():
    offers = _imported(ast.parse((ROOT / "requests" / "offers.py").read_text()))
    assert "requests.tasks" not in offers
    assert "requests.enqueue" in offers
    enqueue = _imported(ast.parse((ROOT / "requests" / "enqueue.py").read_text()))
    assert not {"requests.tasks", "requests.offers"} & enqueue


def test_a_fresh_process_enqueues_tasks_whose_module_nobody_imported():
    """Enqueueing by name must find tasks even where no module imported requests.tasks."""
    import os
    import subprocess
    import sys

    code = (
        "import django; django.setup(); import sys;"
        "from requests import enqueue;"
        "assert 'requests.tasks' not in sys.modules;"
        "print(enqueue._registered(enqueue.MATCH_HELP_REQUEST).name,"
        " enqueue._registered('intake.send_resident_sms').name)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "covidarnost.settings",
        "DEBUG": "1",
        "REDIS_URL": "",
        "DATABASE_URL": "sqlite:///:memory:",
        "CELERY_TASK_ALWAYS_EAGER": "1",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["requests.match_help_request", "intake.send_resident_sms"]
