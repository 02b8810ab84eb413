"""The start-up check names the Debian package when fonts or Pango are missing."""

import builtins

from printing.checks import check_print_libraries


def test_installed_libraries_pass(settings):
    assert check_print_libraries() == []


def test_missing_font_names_the_package(settings, tmp_path):
    settings.PRINT_FONT_DIR = tmp_path
    errors = check_print_libraries()
    assert {e.id for e in errors} == {"printing.E002"}
    assert all("apt-get install -y fonts-dejavu-core" in e.hint for e in errors)


def test_missing_pango_names_the_packages(monkeypatch):
    real_import = builtins.__import__

    def failing_import(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", failing_import)
    [error] = check_print_libraries()
    assert error.id == "printing.E001"
    assert "libpango-1.0-0" in error.hint
