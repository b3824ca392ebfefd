"""A report as PDF through LibreOffice headless (R8.3), only where it is installed (Debian
`libreoffice-writer-nogui`); optional: nothing else needs it, and the pages offer PDF only when it is there."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CONVERT_SECONDS = 120


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(document: bytes) -> bytes | None:
    """The PDF of a .docx, or None when LibreOffice is not installed or the conversion fails."""
    soffice = soffice_path()
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="ioc-report-") as tmp:
        source = Path(tmp) / "bao-cao.docx"
        source.write_bytes(document)
        command = [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "pdf"]
        try:
            subprocess.run(  # noqa: S603 - a fixed executable and arguments, no shell
                [*command, "--outdir", tmp, str(source)], check=True, capture_output=True, timeout=CONVERT_SECONDS
            )
        except (subprocess.SubprocessError, OSError):
            return None
        target = source.with_suffix(".pdf")
        return target.read_bytes() if target.exists() else None
