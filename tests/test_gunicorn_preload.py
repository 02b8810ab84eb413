"""gunicorn loads the app in its master, warms it up and forks workers from it (preload_app):
safe only while loading and warming the app open no connection, which the workers would
otherwise share."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Loads the WSGI app and warms it up as gunicorn's master does, then counts the sockets the
# process holds and the templates compiled.
SCRIPT = """
import os
import covidarnost.wsgi  # noqa: F401
from covidarnost.warmup import TEMPLATES, warm_up
from django.template import engines
warm_up()
loader = engines["django"].engine.template_loaders[0]
print(sorted(TEMPLATES) == sorted(loader.get_template_cache))
sockets = 0
for fd in os.listdir("/proc/self/fd"):
    try:
        sockets += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
    except FileNotFoundError:  # the descriptor listdir itself used, closed since
        pass
print(sockets)
"""


def test_the_master_loads_the_app_before_forking():
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["preload_app"] is True
    assert callable(config["when_ready"])
    assert config["max_requests"] > 0  # recycled workers are forks of the loaded app


def test_loading_the_app_opens_no_socket():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "covidarnost.settings", "DEBUG": "0"}
    env.setdefault("SECRET_KEY", "preload-test-" + "x" * 50)
    env["SECURE_SSL_REDIRECT"] = "0"
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    compiled, sockets = done.stdout.split()[-2:]
    assert compiled == "True"
    assert sockets == "0"
