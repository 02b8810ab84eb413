"""Production settings for the live gunicorn of the fault tests, except static files: served
unhashed, so no collectstatic (minutes on a busy machine) is needed before pages render."""

from covidarnost.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
