"""Settings for the test suite: the real settings, plus what makes tests fast and isolated.

DATABASE_URL and REDIS_URL are honoured, so CI runs the same suite on PostgreSQL and Redis.
"""

import os
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from covidarnost.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run inline unless a test starts a real worker (those tests override this).
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "build" / "test-media"  # noqa: F405
# WhiteNoise warns on every request when STATIC_ROOT is missing; tests never collect static.
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # noqa: F405
# The second factor is tested where it matters (tests/security/test_two_factor.py); other
# tests sign staff in with force_login and would all stop at the code page.
TWO_FACTOR_REQUIRED = False
