"""Uploads are parsed in a child process with hard limits: a hostile file can end only that child, never the server.

The reader (python-calamine) is native code that aborts its whole process when an allocation fails, and the checks
on the raw bytes before it cannot foresee everything a reader materialises. So every workbook, from the Data page and
the command line alike, is read and checked in a process forked from multiprocessing's fork server: a small
single-threaded process that has already imported the reader, so a fork is cheap and never copies the server's
threads or locks. The child caps its own address space (RLIMIT_AS) and CPU time (RLIMIT_CPU) before it looks at the
file; the parent waits at most the wall-clock limit and then kills it. Whatever happens to the child, the caller gets
a ReadResult: the data, or a Swedish problem that names the limit. The child never opens the store.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Callable
from multiprocessing import forkserver
from multiprocessing.connection import Connection, wait

from analysis.core.formatting import format_number
from analysis.core.model import TABLES, Dataset
from analysis.core.settings import LIMIT_VARIABLES, Limits, limits
from analysis.ingest.excel import FILE_SHEET, read_workbook
from analysis.ingest.problems import Problem, error
from analysis.ingest.validate import ReadInfo, ReadOptions, ReadResult, parse_tables

#: How a child can end without a result: out of memory, out of CPU time, out of wall time, or otherwise.
MEMORY, CPU, WALL, CRASH = "memory", "cpu", "wall", "crash"
_JOIN_SECONDS = 5.0
PARSE_NICENESS = 10
_log = logging.getLogger(__name__)
_context_lock = threading.Lock()
_context: multiprocessing.context.BaseContext | None = None


def _fork_server() -> multiprocessing.context.BaseContext:
    """The fork-server context; the server imports analysis.ingest.parse_server (the reader, no main-script imports)."""
    global _context
    with _context_lock:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["analysis.ingest.parse_server"])
            _context = ctx
        return _context


def catalogue_only(known: Dataset) -> Dataset:
    """The known dataset without its observations: all a parse needs, and small to send to the child."""
    return Dataset(**{t: known.table(t) for t in TABLES if t != "observations"})


def _cap_own_resources(lim: Limits) -> None:
    """Limit this (child) process's address space and CPU time; the kernel enforces both."""
    memory = lim.parse_memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = max(1, lim.parse_cpu_seconds)
    # SIGXCPU at the soft limit ends the process; the hard limit (SIGKILL) is a backstop.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # A lower CPU priority: pages of other sessions (in the server) come first while a big file is read.
    os.nice(PARSE_NICENESS)


def _run_child(
    conn: Connection, lim: Limits, env: dict[str, str], target: Callable[..., object], args: tuple[object, ...]
) -> None:
    """In the child: cap resources, run target(*args) and send ("ok", result) or what went wrong to the parent."""
    for name in [k for k in os.environ if k.startswith("SEGDASH_") and k not in env]:
        del os.environ[name]
    os.environ.update(env)
    os.environ["RUST_BACKTRACE"] = "0"  # a failed allocation in the reader is one line in the log, not a backtrace
    try:
        _cap_own_resources(lim)
        outcome: tuple[str, object] = ("ok", target(*args))
    except MemoryError:
        outcome = (MEMORY, None)
    except Exception as exc:  # a bug or a reader error: reported as a message, the parent stays up
        outcome = (CRASH, type(exc).__name__)
    del args
    try:
        conn.send(outcome)
    except MemoryError:
        conn.send((MEMORY, None))
    finally:
        conn.close()


def _parse(data: bytes, file_name: str, known: Dataset, options: ReadOptions | None, lim: Limits) -> ReadResult:
    """What the child does with an upload: read the workbook and check its tables."""
    raw, problems = read_workbook(data, file_name, lim)
    if raw is None:
        return ReadResult(None, problems, ReadInfo())
    return parse_tables(raw, known, options)


#: Per limit: its field in Limits, its unit, and what happened (with the value and the setting filled in).
_LIMIT_TEXTS: dict[str, tuple[str, str, str]] = {
    MEMORY: (
        "parse_memory_mb",
        "MB",
        "Filen kräver mer minne än gränsen för inläsning ({value}, {setting}) och lästes inte.",
    ),
    CPU: ("parse_cpu_seconds", "s", "Inläsningen tog mer processortid än gränsen ({value}, {setting}) och avbröts."),
    WALL: ("parse_wall_seconds", "s", "Inläsningen tog längre tid än gränsen ({value}, {setting}) och avbröts."),
}


def limit_problem(kind: str, lim: Limits, detail: str = "") -> Problem:
    """The Swedish problem for a child that hit a limit or died: what happened, which limit, what to do."""
    if kind not in _LIMIT_TEXTS:
        return error(
            FILE_SHEET,
            None,
            "",
            detail,
            "Filen kunde inte läsas: läsaren avbröts oväntat. Ingenting har ändrats.",
            "Öppna filen i Excel eller LibreOffice, spara den på nytt som .xlsx och ladda upp igen.",
        )
    field, unit, text = _LIMIT_TEXTS[kind]
    value = f"{format_number(getattr(lim, field))} {unit}"
    return error(
        FILE_SHEET,
        None,
        "",
        value,
        text.format(value=value, setting=LIMIT_VARIABLES[field]) + " Ingenting har ändrats.",
        "Dela upp data i mindre filer och ta bort tomma men formaterade rader och kolumner. "
        "En administratör kan höja gränsen.",
    )


def _death_kind(exitcode: int | None) -> tuple[str, str]:
    """How a child that ended without a result ended: (kind, detail)."""
    if exitcode is not None and exitcode < 0:
        sig = -exitcode
        if sig == signal.SIGXCPU:
            return CPU, ""
        # An allocation beyond RLIMIT_AS aborts native code (SIGABRT) or faults (SIGSEGV, SIGBUS); the kernel's
        # out-of-memory killer sends SIGKILL.
        if sig in (signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS, signal.SIGKILL):
            return MEMORY, ""
        return CRASH, f"signal {sig}"
    return CRASH, f"kod {exitcode}"


def _child_env() -> dict[str, str]:
    """The settings the child must see as they are now (the fork server started with an older environment)."""
    return {k: v for k, v in os.environ.items() if k.startswith("SEGDASH_")}


def run_limited(
    target: Callable[..., object], args: tuple[object, ...], lim: Limits | None = None
) -> tuple[str, object]:
    """target(*args) run in a child under the memory, CPU and wall-time limits: ("ok", result) or (kind, detail).

    The kinds besides "ok" are MEMORY, CPU, WALL and CRASH. `target` must be a module-level function (it is
    pickled by reference) and its result picklable.
    """
    lim = lim or limits()
    ctx = _fork_server()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(
        target=_run_child, args=(sender, lim, _child_env(), target, args), daemon=True, name="segdash-parse"
    )
    process.start()
    sender.close()
    outcome: tuple[str, object] | None = None
    timed_out = False
    deadline = time.monotonic() + max(1, lim.parse_wall_seconds)
    try:
        while outcome is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            ready = wait([receiver, process.sentinel], timeout=remaining)
            if receiver in ready:
                try:
                    outcome = receiver.recv()
                except (EOFError, OSError):
                    break  # the child died before it could send (its exit code tells how)
            elif ready:
                if receiver.poll(0):
                    continue  # the result arrived as the child ended
                break
    finally:
        if outcome is None:
            process.kill()
        process.join(_JOIN_SECONDS)
        if process.exitcode is None:
            process.kill()
            process.join(_JOIN_SECONDS)
        receiver.close()
    if timed_out:
        _log.warning("Inläsning i barnprocess avbröts: tidsgränsen %s s nåddes.", lim.parse_wall_seconds)
        return WALL, ""
    if outcome is None:
        kind, detail = _death_kind(process.exitcode)
        _log.warning("Inläsning i barnprocess avslutades utan resultat (kod %s): %s.", process.exitcode, kind)
        return kind, detail
    return outcome


def read_isolated(
    data: bytes, file_name: str, known: Dataset, options: ReadOptions | None = None, lim: Limits | None = None
) -> ReadResult:
    """The checked tables of an upload, read in a child process under hard limits (sources not yet filled in)."""
    lim = lim or limits()
    kind, payload = run_limited(_parse, (data, file_name, catalogue_only(known), options, lim), lim)
    if kind == "ok":
        return payload  # type: ignore[return-value]
    return ReadResult(None, [limit_problem(kind, lim, str(payload or ""))], ReadInfo())


def warm_up() -> None:
    """Start the fork server now (it imports the reader in the background), so the first upload need not wait."""
    _fork_server()
    forkserver.ensure_running()
