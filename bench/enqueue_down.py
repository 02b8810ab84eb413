"""How long saving a request's follow-up takes when Redis does not answer.

    .venv/bin/python bench/enqueue_down.py

Enqueues a matching task to a "hung Redis": a local port that accepts connections and never
answers (the worst case; a refused connection fails at once), and prints the seconds until
enqueue_matching gives up. The issue's bound is 2 s.
"""

import socket
import time
import uuid

from _common import boot

hung = socket.socket()
hung.bind(("127.0.0.1", 0))
hung.listen(100)  # the kernel completes connections; nobody ever reads or answers
boot(REDIS_URL=f"redis://127.0.0.1:{hung.getsockname()[1]}/0", CELERY_TASK_ALWAYS_EAGER="0")

from requests.enqueue import enqueue_matching  # noqa: E402

for attempt in range(3):
    started = time.perf_counter()
    ok = enqueue_matching(uuid.uuid4())
    print(f"attempt {attempt + 1}: enqueued={ok} after {time.perf_counter() - started:.2f} s")
