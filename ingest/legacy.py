"""Legacy Word (.doc) and WPS (.wps) files, converted to .docx by LibreOffice headless.

No maintained pure-Python reader of the binary Word format exists; LibreOffice's filters are
what every peer uses.  ``soffice`` is optional: when it is missing the file fails with one reason
naming the Debian package (``make run`` works without it; ``make test`` installs it).

Each conversion runs in a fresh temporary folder with its own LibreOffice profile (two
conversions at once, or a user's open LibreOffice, would otherwise fight over the profile lock)
and a timeout, so a hostile file costs bounded time.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

__all__ = ["ConversionError", "PACKAGE", "convert_to_docx", "find_soffice"]

#: The Debian package that provides a headless ``soffice`` able to read Word files.
PACKAGE = "libreoffice-writer-nogui"


class ConversionError(RuntimeError):
    """The file could not be converted; ``str()`` is a one-line reason."""


def find_soffice() -> str | None:
    """Path of ``soffice`` / ``libreoffice`` on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(data: bytes, suffix: str, timeout: float) -> bytes:
    """The .docx bytes LibreOffice makes of ``data`` (a .doc or .wps file's content)."""
    soffice = find_soffice()
    if soffice is None:
        raise ConversionError(
            f"reading {suffix} files needs LibreOffice: install the Debian package {PACKAGE} "
            f"(apt-get install {PACKAGE})"
        )
    with tempfile.TemporaryDirectory(prefix="policyqa-soffice-") as tmp:
        work = Path(tmp)
        source = work / f"input{suffix}"
        source.write_bytes(data)
        profile = (work / "profile").as_uri()
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work / "out"), str(source)]
        env = {**os.environ, "HOME": tmp}  # LibreOffice writes to $HOME; keep it out of the user's
        try:
            # its own process group: soffice is a launcher whose soffice.bin child must die with it
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
        except OSError as exc:
            raise ConversionError(f"could not run LibreOffice ({soffice}): {exc.strerror or exc}") from exc
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
            proc.communicate()
            raise ConversionError(f"LibreOffice did not convert the file within {timeout:g} s (POLICYQA_SOFFICE_TIMEOUT)") from exc
        out = work / "out" / "input.docx"
        if proc.returncode != 0 or not out.is_file():
            detail = (stderr or stdout).decode("utf-8", "replace").strip().splitlines()
            reason = detail[-1][:160] if detail else f"exit code {proc.returncode}"
            raise ConversionError(f"LibreOffice could not convert the file (damaged or not a Word document?): {reason}")
        return out.read_bytes()
