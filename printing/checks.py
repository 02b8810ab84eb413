"""Start-up check: the PDFs need Pango (through WeasyPrint) and a font with Cyrillic.

Without them WeasyPrint fails at the first print, or prints Russian as empty boxes; better to
say so when the app starts, naming the Debian package to install.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register

# File name in PRINT_FONT_DIR → the Debian package that ships it.
FONT_FILES = {
    "DejaVuSans.ttf": "fonts-dejavu-core",
    "DejaVuSans-Bold.ttf": "fonts-dejavu-core",
}
PANGO_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"


def font_paths() -> dict[str, Path]:
    """The regular and bold font files the print templates embed."""
    directory = Path(settings.PRINT_FONT_DIR)
    return {"regular": directory / "DejaVuSans.ttf", "bold": directory / "DejaVuSans-Bold.ttf"}


@register()
def check_print_libraries(app_configs=None, **kwargs):
    errors = []
    try:
        import weasyprint  # noqa: F401  (loads Pango through cffi at import)
    except OSError as exc:
        errors.append(
            Error(
                f"WeasyPrint cannot load a system library ({exc}); printed forms, flyers and "
                "route sheets will not work.",
                hint=f"On Debian or Ubuntu: apt-get install -y {PANGO_PACKAGES}",
                id="printing.E001",
            )
        )
    directory = Path(settings.PRINT_FONT_DIR)
    for name, package in FONT_FILES.items():
        if not (directory / name).is_file():
            errors.append(
                Error(
                    f"Font {name} is missing from {directory}: printed documents need it for "
                    "Cyrillic text.",
                    hint=f"On Debian or Ubuntu: apt-get install -y {package} "
                    "(or set PRINT_FONT_DIR to a folder that has it).",
                    id="printing.E002",
                )
            )
    return errors
