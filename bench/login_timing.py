"""How long a refused sign-in takes for a registered phone, an unknown phone and a username.

    .venv/bin/python bench/login_timing.py

Runs authenticate() with the production password hasher (PBKDF2) on a throwaway SQLite
database, 7 times per case, interleaved, and prints the medians: they should be close, so
timing does not tell whether a phone number is registered.
"""

import statistics
import tempfile
import time

from _common import boot

boot(
    DATABASE_URL=f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3",
    REDIS_URL=None,
    DEBUG="1",
    API_THROTTLE_AUTH_FAILURES="100000/hour",
    LOGIN_CLIENT_FAILURES="100000/hour",
)

from django.contrib.auth import authenticate  # noqa: E402
from django.core.management import call_command  # noqa: E402

from users.models import User  # noqa: E402

call_command("migrate", verbosity=0)
User.objects.create_user("bench-user", password="right-Pass-123", phone="+79110000001")

CASES = {
    "registered phone, wrong password": "8 911 000-00-01",
    "unknown phone": "8 911 999-99-99",
    "registered username, wrong password": "bench-user",
    "unknown username": "nobody-here",
}
# Interleaved, so a change in the machine's load hits every case alike.
times = {label: [] for label in CASES}
for _ in range(7):
    for label, typed in CASES.items():
        started = time.perf_counter()
        assert authenticate(None, username=typed, password="wrong") is None
        times[label].append(time.perf_counter() - started)
for label, samples in times.items():
    print(f"{label:38s} median {statistics.median(samples) * 1000:7.1f} ms")
