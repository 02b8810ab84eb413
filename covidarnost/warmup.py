"""What every process would otherwise load on its first requests, loaded once up front.

gunicorn calls warm_up() in its master after loading the app (gunicorn.conf.py, preload_app):
each worker, the first ones and those started later to replace a recycled one, is a fork that
has the URL patterns, the translation catalogs and the compiled templates already, instead of
spending its first requests building them while clients wait. Nothing here opens a connection.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_resolver, reverse
from django.utils import translation

# The pages most requests hit; others are compiled on first use, as before.
TEMPLATES = (
    "base.html",
    "volunteers/task_list.html",
    "volunteers/_task_list_content.html",
    "volunteers/task_detail.html",
    "volunteers/history.html",
    "volunteers/profile.html",
)


def warm_up() -> None:
    get_resolver().url_patterns  # noqa: B018 - imports every view module
    reverse("volunteers:task_list")  # builds the reverse lookup tables
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Tasks")  # loads the catalog of the language
    for name in TEMPLATES:
        get_template(name)
