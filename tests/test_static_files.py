"""The static files survive `collectstatic` with hashed names, as the Docker image builds them.

Production serves static files through WhiteNoise's manifest storage, which rewrites every
reference inside CSS and JS (url(...), sourceMappingURL) to a hashed name and fails the build
when a referenced file is missing: a vendored library copied without its source map once broke
the image build. Django's manifest storage applies the same rewriting without the slow
compression step, so the test runs it into a temporary directory.
"""

from django.core.management import call_command
from django.test import override_settings

MANIFEST_ONLY = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


def test_collectstatic_resolves_every_reference(tmp_path):
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=MANIFEST_ONLY):
        call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("vendor/leaflet/leaflet.*.js"))
