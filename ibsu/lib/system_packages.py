"""The Debian packages the portal needs from the system, and which are missing.

Plain standard library, no Django: `make run` and `make test` run this file
with the system python3 before anything else, so a bare machine stops at once
with the exact `apt-get install` line instead of failing 17 tests later, and
.ci/run asks it which packages to install.

Why stop rather than work around: WeasyPrint opens these libraries by name when
it is imported (weasyprint/text/ffi.py). Without libharfbuzz-subset0 it falls
back to fontTools for font subsetting and warns at import that a future
version will require the library, so a machine without it renders PDFs
differently from production and will break at the next upgrade.

Names are Debian 12 (bookworm)'s, the release of the Dockerfile's base image.
"""

import ctypes
import os
import shutil
import sys

# The shared objects WeasyPrint loads (its ffi.py `_dlopen` list) -> package.
PDF_LIBRARIES = {
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libpango-1.0.so.0": "libpango-1.0-0",
    "libharfbuzz.so.0": "libharfbuzz0b",
    "libharfbuzz-subset.so.0": "libharfbuzz-subset0",
    "libfontconfig.so.1": "libfontconfig1",
    "libpangoft2-1.0.so.0": "libpangoft2-1.0-0",
}
# The PDFs' font (templates/documents/pdf/_base.html asks for DejaVu Sans).
PDF_FONT = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "fonts-dejavu-core")
# The browser tests (tests/e2e) drive Debian's Chromium; skipped without it
# except in CI.
BROWSER = (os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"), "chromium")


def _loadable(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_pdf_packages(loadable=_loadable, exists=os.path.exists) -> list[str]:
    """Packages to install before PDFs can be rendered, in a stable order."""
    missing = [pkg for name, pkg in PDF_LIBRARIES.items() if not loadable(name)]
    font, package = PDF_FONT
    if not exists(font):
        missing.append(package)
    return missing


def missing_browser_packages(exists=os.path.exists) -> list[str]:
    path, package = BROWSER
    return [] if exists(path) or shutil.which(path) else [package]


def main(argv: list[str]) -> int:
    if argv == ["--missing"]:  # for .ci/run: every package it should install
        print(" ".join(missing_pdf_packages() + missing_browser_packages()))
        return 0
    missing = missing_pdf_packages()
    if missing:
        print(
            "The PDF documents need system libraries this machine lacks.\n"
            "Install them (as root) and run the command again:\n\n"
            f"    apt-get update && apt-get install -y {' '.join(missing)}\n",
            file=sys.stderr,
        )
        return 1
    if argv == ["--tests"] and missing_browser_packages():
        print(
            "Note: no Chromium, so the browser tests (tests/e2e) will be skipped;"
            " `apt-get install chromium` runs them.",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
