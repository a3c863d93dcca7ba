"""A throwaway PostgreSQL server for the tests: Debian's binaries, a temporary cluster, a random port on 127.0.0.1.

Each pytest worker starts its own server once (a session fixture in conftest.py) and every test gets a fresh
database on it. Without PostgreSQL the tests that need it are skipped with the reason; with
SEGDASH_REQUIRE_POSTGRES=1 (CI) they fail instead, so CI cannot pass with them silently skipped.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg

SERVICE_USER = "postgres"  # initdb refuses to run as root: as root the cluster is made and run as this user
SUPERUSER = "segdash_test"


def postgres_required() -> bool:
    """True when SEGDASH_REQUIRE_POSTGRES is set: a server that cannot start fails the tests instead of skipping."""
    return os.environ.get("SEGDASH_REQUIRE_POSTGRES", "").strip().lower() in {"1", "true", "yes", "ja"}


def postgres_bin() -> Path | None:
    """The folder holding initdb and pg_ctl: on PATH, else the newest /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """A PostgreSQL cluster in a temporary folder, started on a free port; stop() removes it again."""

    def __init__(self, bin_dir: Path) -> None:
        """Create the cluster (initdb) and start the server; raises RuntimeError with the server's output."""
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="segdash-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._as_service = os.geteuid() == 0
        self._names = itertools.count(1)
        if self._as_service:
            shutil.chown(self.root, user=SERVICE_USER)
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-sync")
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", options, "-w", "start")

    def _run(self, program: str, *args: str) -> None:
        """Run a PostgreSQL program (as the service user when we are root)."""
        cmd = [str(self.bin_dir / program), *args]
        if self._as_service:
            cmd = ["runuser", "-u", SERVICE_USER, "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            log = self.root / "server.log"
            detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{program} misslyckades: {done.stderr.strip() or done.stdout.strip()} {detail}")

    def url(self, database: str = "postgres") -> str:
        """The URL of one database on this server."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def new_database(self, copy_of: str | None = None) -> str:
        """Create a database, empty or a copy of another (nobody may be connected to that one), and return its URL."""
        name = f"t{os.getpid()}_{next(self._names)}"
        template = f' TEMPLATE "{copy_of.rsplit("/", 1)[1]}"' if copy_of else ""
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"{template}')
        return self.url(name)

    def stop(self) -> None:
        """Stop the server at once and delete its folder."""
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except (RuntimeError, subprocess.TimeoutExpired):
            pass
        shutil.rmtree(self.root, ignore_errors=True)


def start_server() -> tuple[PostgresServer | None, str]:
    """A started server, or None and the reason (in Swedish) why none could be started here."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        return None, "PostgreSQL finns inte här (initdb/pg_ctl saknas; Debian: apt-get install postgresql)"
    try:
        return PostgresServer(bin_dir), ""
    except (RuntimeError, OSError, subprocess.TimeoutExpired, LookupError) as exc:
        return None, f"PostgreSQL kunde inte startas: {exc}"
