"""gunicorn settings, read from the environment (gunicorn loads this file from the working
directory by itself: `gunicorn covidarnost.wsgi` is the whole command).

WEB_CONCURRENCY   worker processes (default 2 × CPUs + 1, at most 8)
GUNICORN_THREADS  threads per worker (default 1: sync workers; >1 switches to gthread)
GUNICORN_TIMEOUT  seconds before a stuck worker is restarted (default 30)
GUNICORN_MAX_REQUESTS  requests before a worker is replaced by a fresh fork (default 10,000)
PORT              port to listen on, all interfaces (default 8000); GUNICORN_BIND overrides
FORWARDED_ALLOW_IPS  proxies trusted for X-Forwarded-Proto (default 127.0.0.1)
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 8))
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 20
keepalive = 5
# Django is imported once, in the master: a worker started later (max_requests below, or after
# a crash) is a fork ready in milliseconds, not a second of imports while the other workers
# carry every request (bench/tasks_throughput.py saw that second as its p99). Nothing opens a
# database or Redis connection at import, so no socket is shared across the fork.
preload_app = True


def when_ready(server):
    # After the app is loaded and before the first fork (covidarnost/warmup.py).
    from covidarnost.warmup import warm_up

    warm_up()


# Recycle workers now and then, so a slow leak never grows for days: hours at a group's usual
# load, minutes at a peak (2,000 recycled each worker every 10 s under the bench's 200/s).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS") or 10000)
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# JSON lines on stdout/stderr, without client addresses (covidarnost/gunicorn_logging.py).
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "1") != "0" else None
errorlog = "-"
logger_class = "covidarnost.gunicorn_logging.JsonLogger"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
