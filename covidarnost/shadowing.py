"""Keep third-party code from mistaking our `requests` app for the PyPI `requests` package.

DRF probes `import requests` to offer its optional RequestsClient. Inside this project that
import finds the help-requests app, and DRF's test module then crashes on attributes the app
does not have. Telling DRF the optional package is absent is the documented-behaviour path
(the same as when PyPI requests is not installed).
"""


def hide_app_from_optional_imports() -> None:
    import rest_framework.compat

    if getattr(rest_framework.compat.requests, "__file__", "").startswith(_project_dir()):
        rest_framework.compat.requests = None


def _project_dir() -> str:
    from pathlib import Path

    return str(Path(__file__).resolve().parent.parent)
