"""Developer commands that work on a fresh machine with only Python 3.11+.

    python3 dev.py run     start the dashboard on the default data (http://localhost:8501, this computer only)
    python3 dev.py test    run the whole test suite (unit, page and browser tests)

Both create a virtual environment in .venv and install requirements.txt into it the first
time (and again whenever requirements.txt changes).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
REQUIREMENTS = ROOT / "requirements.txt"
STAMP = VENV / ".requirements.sha256"


def venv_python() -> Path:
    """The interpreter inside the project's virtual environment."""
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_environment() -> Path:
    """The venv interpreter, after creating the venv and installing requirements when needed."""
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py may be started by an older python3)
        sys.exit("Python 3.11 eller senare krävs.")
    if not venv_python().exists():
        print("Skapar virtuell miljö i .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != digest:
        print("Installerar beroenden från requirements.txt …", flush=True)
        py = str(venv_python())
        subprocess.run([py, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([py, "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)], check=True)
        STAMP.write_text(digest)
    return venv_python()


def main(argv: list[str]) -> int:
    """Run a developer command and return its exit code."""
    if len(argv) < 1 or argv[0] not in {"run", "test"}:
        print(__doc__)
        return 2
    py = str(ensure_environment())
    extra = argv[1:]
    if argv[0] == "run":
        # Listen on this computer only unless told otherwise: editing without login is open only then (README).
        address = [] if any(a.startswith("--server.address") for a in extra) else ["--server.address", "127.0.0.1"]
        cmd = [py, "-m", "streamlit", "run", str(ROOT / "app.py"), *address, *extra]
    else:
        cmd = [py, "-m", "pytest", "-q", "-n", "auto", *extra]
    return subprocess.call(cmd, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
