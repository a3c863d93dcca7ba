"""Command line for IT staff and scheduled loads: validate, import, fetch, versions, rollback, export,
prune-originals, and reports (Bilaga 5, the yearly follow-up) that can be produced on a schedule.

Exit codes: 0 success, 1 invalid data (the problem table is printed), 2 wrong usage,
3 the database could not be read or written (for example locked by another import for too long).
`fetch` has its own 0/1/2: 0 every definition fetched (and stored unless --dry-run), 1 some failed or errors blocked
the store (the rest still stored), 2 nothing could be fetched (every definition failed, or none to run).
The CLI works on the local store file only; it has no login, so whoever can run it on the
server can change data: keep the store file readable and writable only by the service account.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

import pandas as pd

from analysis.core.formatting import format_count
from analysis.core.model import Dataset
from analysis.core.settings import baseline_year, store_path, store_target
from analysis.exports.followup_document import FORMATS as BILAGA5_FORMATS
from analysis.exports.followup_document import bilaga5_docx
from analysis.exports.workbook import dataset_to_workbook, template_workbook
from analysis.ingest.fetch_spec import fetch_specs
from analysis.ingest.kolada import KoladaClient
from analysis.ingest.problems import has_errors, problems_frame
from analysis.ingest.pxweb import PxWebClient
from analysis.ingest.pxweb1 import PxWeb1Client
from analysis.ingest.validate import ReadOptions
from analysis.store.backends import DB_ERRORS
from analysis.store.backup import backup_store
from analysis.store.fetcher import FetchRun, fetch_all, preview_fetch, store_fetch
from analysis.store.history import Diff, StoreError, format_mb
from analysis.store.importer import import_upload, open_store, preview_upload
from analysis.store.migrate import migrate_store
from analysis.store.preview import diff_counts, original_file_status, table_title, value_changes
from analysis.viewmodels.accessibility_statement import statement_markdown
from analysis.viewmodels.bilaga5 import bilaga5
from analysis.viewmodels.followup import follow_up, followup_years
from analysis.viewmodels.method import method_markdown
from analysis.viewmodels.plans import plan_versions

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_STORE = 0, 1, 2, 3
# fetch: some definitions failed (or errors blocked the store), and nothing at all could be fetched.
EXIT_FETCH_PARTLY, EXIT_FETCH_NOTHING = 1, 2
PREVIEW_LINES = 10  # changed and new values the fetch preview lists


class _Parser(argparse.ArgumentParser):
    """argparse with Swedish error text and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Print usage and a Swedish message, exit with code 2."""
        self.print_usage(sys.stderr)
        print(f"Fel i kommandot: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per action."""
    parser = _Parser(
        prog="python -m analysis",
        description="Data för uppföljningen av Åtgärdsplan mot segregation: kontrollera, importera, versioner, "
        "återställ och exportera. Arbetar direkt mot databasen (ingen inloggning).",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(p: argparse.ArgumentParser) -> None:
        """The --db option every command has."""
        p.add_argument(
            "--db",
            type=store_target,
            help="databasfil eller postgresql://-adress (standard: SEGDASH_DB eller data/store.sqlite)",
        )

    def read_opts(p: argparse.ArgumentParser) -> None:
        """Options for reading a file."""
        p.add_argument(
            "--indicator", help="indikator (id eller namn) för en exporterad tabell från SCB, PxWeb eller Kolada"
        )
        p.add_argument("--sex", help="kön för en exporterad tabell: Totalt, Kvinnor eller Män")
        p.add_argument("--new-areas", action="store_true", help="lägg till okända områden med typen Övrigt")

    p = sub.add_parser("validate", help="kontrollera en fil utan att importera")
    p.add_argument("file", type=Path)
    common(p)
    read_opts(p)
    p = sub.add_parser("import", help="importera en fil som en ny version")
    p.add_argument("file", type=Path)
    common(p)
    read_opts(p)
    p.add_argument("--user", help="vem som importerar (standard: inloggad användare)")
    p = sub.add_parser(
        "fetch",
        help="hämta officiell statistik enligt bladet Hämtningar (PxWeb), förhandsgranska och spara som en ny version",
    )
    p.add_argument(
        "--indicator",
        action="extend",
        nargs="+",
        metavar="ID",
        help="bara hämtningarna för dessa indikatorer (id; kan upprepas)",
    )
    p.add_argument("--dry-run", action="store_true", help="visa vad som skulle ändras men spara ingenting")
    p.add_argument("--timeout", type=float, default=30.0, help="sekunder att vänta på svar från API:t (standard 30)")
    common(p)
    p.add_argument("--user", help="vem som hämtar (standard: inloggad användare)")
    p = sub.add_parser("versions", help="lista alla versioner")
    common(p)
    p = sub.add_parser("rollback", help="återställ data till en tidigare version (skapar en ny version)")
    p.add_argument("version", type=int)
    common(p)
    p.add_argument("--user", help="vem som återställer")
    p = sub.add_parser(
        "prune-originals",
        help="ta bort äldre versioners originalfiler för att frigöra utrymme (data och historik finns kvar)",
    )
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--keep", type=int, metavar="N", help="spara originalfilerna för de N nyaste versionerna som har en"
    )
    which.add_argument(
        "--before", type=int, metavar="VERSION", help="ta bort originalfilerna för versioner före VERSION"
    )
    common(p)
    p.add_argument("--user", help="vem som tar bort (standard: inloggad användare)")
    p = sub.add_parser("export", help="exportera nuvarande data i mallens format")
    p.add_argument("out", type=Path)
    common(p)
    p = sub.add_parser(
        "backup", help="skriv en säkerhetskopia av databasen medan tjänsten körs, och kontrollera att den går att läsa"
    )
    p.add_argument("out", type=Path, help="ny fil för kopian (skrivs aldrig över)")
    common(p)
    p = sub.add_parser(
        "migrate",
        help="flytta hela databasen (alla versioner, originalfiler och historik) till en ny, tom databas, t.ex. "
        "från SQLite till PostgreSQL, och kontrollera att varje version blev densamma",
    )
    p.add_argument("--from", dest="source", type=store_target, required=True, help="databasen att flytta från")
    p.add_argument(
        "--to", dest="target", type=store_target, required=True, help="ny, tom databas (fil eller postgresql://…)"
    )
    sub.add_parser("method", help="skriv ut metodbeskrivningen (Så räknar vi) som Markdown, som i README")
    sub.add_parser("tillganglighet", help="skriv ut tillgänglighetsredogörelsen som Markdown, som i README")
    p = sub.add_parser(
        "report", help="skriv en rapport, t.ex. Bilaga 5 (uppföljningen) som Word, PowerPoint eller HTML"
    )
    p.add_argument("kind", choices=["bilaga5"], help="bilaga5: Uppföljning av åtgärdsplan mot segregation")
    p.add_argument("--year", type=int, help="uppföljningsåret (standard: läget i dag)")
    p.add_argument("--out", type=Path, required=True, help="filen att skriva: .docx, .pptx eller .html")
    p.add_argument("--plan", help="planversionen (standard: planen för året)")
    p.add_argument("--reference", help="jämförelseområde (standard: området av typen Jämförelse)")
    p.add_argument("--baseline", type=int, help="basår (standard: SEGDASH_BASELINE_YEAR eller 2020)")
    p.add_argument("--linked-only", action="store_true", help="bara indikatorer som åtgärderna ska påverka")
    p.add_argument("--no-images", action="store_true", help="diagrammen som tabeller i Word (ingen Chromium behövs)")
    common(p)
    p = sub.add_parser("template", help="skriv en tom mall med nuvarande områden och indikatorer")
    p.add_argument("out", type=Path)
    common(p)
    return parser


def _user(args: argparse.Namespace) -> str:
    """The user name recorded with a change."""
    if getattr(args, "user", None):
        return str(args.user)
    try:
        return f"{getpass.getuser()} (kommandorad)"
    except Exception:
        return os.environ.get("USER", "kommandorad")


def _read_file(path: Path) -> bytes | None:
    """The bytes of a file, or None with a message when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        print(f"Filen {path} kan inte läsas: {exc.strerror or exc}", file=sys.stderr)
        return None


def _print_problems(problems) -> None:
    """The problem table, or nothing when there are none."""
    if not problems:
        return
    frame = problems_frame(problems).astype(object).fillna("")
    with pd.option_context("display.max_colwidth", 90, "display.width", 250):
        print(frame.to_string(index=False))


def _options(args: argparse.Namespace) -> ReadOptions:
    """Read options from the command line."""
    return ReadOptions(indicator=args.indicator, sex=args.sex, new_areas=args.new_areas)


def _cmd_validate(args: argparse.Namespace) -> int:
    """Validate a file against the store; prints problems and what an import would change."""
    data = _read_file(args.file)
    if data is None:
        return EXIT_USAGE
    with open_store(args.db) as store:
        read, diff = preview_upload(store, data, args.file.name, _options(args))
    _print_problems(read.problems)
    if not read.ok or has_errors(read.problems):
        n = sum(p.is_error for p in read.problems)
        print(f"Filen har {n} fel och kan inte importeras.")
        return EXIT_INVALID
    print(
        f"Filen är giltig ({read.info.layout or 'arbetsbok'}). En import skulle ge "
        f"{diff.n_new} nya, {diff.n_changed} ändrade och {diff.n_unchanged} oförändrade värden."
    )
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    """Import a file as a new version."""
    data = _read_file(args.file)
    if data is None:
        return EXIT_USAGE
    with open_store(args.db) as store:
        outcome = import_upload(store, data, args.file.name, _user(args), _options(args))
    _print_problems(outcome.problems)
    if outcome.result is None:
        n = sum(p.is_error for p in outcome.problems)
        print(f"Filen har {n} fel. Ingenting importerades.")
        return EXIT_INVALID
    print(outcome.result.message)
    return EXIT_OK


def _print_fetch_outcomes(run: FetchRun) -> None:
    """One line per definition: what it gave or why it failed, and the addresses it called."""
    print(f"Hämtning {run.retrieved}:")
    for o in run.outcomes:
        print(f"- {o.spec.label}: {'OK' if o.ok else 'MISSLYCKADES'}. {o.message}")
        for url in o.urls:
            print(f"    {url}")


def _print_fetch_preview(diff: Diff, dataset: Dataset) -> None:
    """The counts per table, then the first changed values (old → new) and the first new ones."""
    print(
        f"Förhandsgranskning: {format_count(diff.n_new)} nya, {format_count(diff.n_changed)} ändrade och "
        f"{format_count(diff.n_unchanged)} oförändrade värden."
    )
    counts = diff_counts(diff)
    with pd.option_context("display.width", 250, "display.max_colwidth", 60):
        if len(counts):
            print(counts.to_string(index=False))
        for kind, title, total in (("changed", "Ändrade värden", diff.n_changed), ("new", "Nya värden", diff.n_new)):
            if not total:
                continue
            shown = value_changes(diff, dataset, kind, limit=PREVIEW_LINES).drop(columns=["Källa"])
            first = f" (de första {PREVIEW_LINES} av {format_count(total)})" if total > PREVIEW_LINES else ""
            print(f"{title}{first}:")
            print(shown.to_string(index=False))


def _cmd_fetch(args: argparse.Namespace) -> int:
    """Fetch the definitions' tables, print what each gave and the preview, and store one version (not --dry-run)."""
    wanted = list(dict.fromkeys(args.indicator or []))
    with open_store(args.db) as store:
        known = store.current()
        specs = fetch_specs(known.fetches, wanted or None)
        missing = [i for i in wanted if i not in {s.indicator for s in specs}]
        for indicator in missing:
            print(f"Ingen hämtning är definierad för indikatorn {indicator} (bladet Hämtningar).", file=sys.stderr)
        if not specs:
            print("Det finns inga hämtningar att köra. Lägg till dem på bladet Hämtningar och importera arbetsboken.")
            return EXIT_FETCH_NOTHING
        run = fetch_all(
            store,
            specs,
            client_factory=lambda url: PxWebClient(url, timeout=args.timeout),
            kolada_factory=lambda url: KoladaClient(url, timeout=args.timeout),
            pxweb1_factory=lambda url: PxWeb1Client(url, timeout=args.timeout),
            progress=lambda text: print(text, file=sys.stderr, flush=True),
        )
        _print_fetch_outcomes(run)
        _print_problems(run.problems)
        if not run.succeeded:
            print("Ingenting kunde hämtas; ingenting sparades.")
            return EXIT_FETCH_NOTHING
        _print_fetch_preview(preview_fetch(store, run), known)
        if run.blocked:
            print("Ingenting sparades: rätta felen ovan och hämta igen.")
            return EXIT_FETCH_PARTLY
        if args.dry_run:
            print("Provkörning (--dry-run): ingenting sparades.")
        else:
            result = store_fetch(store, run, _user(args))
            print(result.message if result is not None else "Ingenting sparades.")
    if run.failed:
        print(f"{len(run.failed)} av {len(run.outcomes)} hämtningar misslyckades; deras värden sparades inte.")
        return EXIT_FETCH_PARTLY
    return EXIT_OK


def _cmd_versions(args: argparse.Namespace) -> int:
    """Print every version, newest first."""
    with open_store(args.db) as store:
        frame = store.versions()
    cols = [
        "version",
        "created_at",
        "user",
        "kind",
        "file_name",
        "n_new",
        "n_changed",
        "n_unchanged",
        "n_removed",
        "rollback_of",
    ]
    labels = [
        "Version",
        "Tid (UTC)",
        "Användare",
        "Typ",
        "Fil",
        "Nya",
        "Ändrade",
        "Oförändrade",
        "Borttagna",
        "Återställd till",
    ]
    out = frame[cols].rename(columns=dict(zip(cols, labels))).astype(object).fillna("")
    out["Originalfil"] = original_file_status(frame)
    with pd.option_context("display.width", 250, "display.max_colwidth", 60):
        print(out.to_string(index=False))
    return EXIT_OK


def _cmd_rollback(args: argparse.Namespace) -> int:
    """Roll back to an earlier version (as a new version)."""
    with open_store(args.db) as store:
        try:
            result = store.rollback(args.version, user=_user(args))
        except ValueError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_USAGE
    print(result.message)
    return EXIT_OK


def _cmd_prune_originals(args: argparse.Namespace) -> int:
    """Delete the original files of older versions; the data, the history and a record of the deletion stay."""
    with open_store(args.db, seed=False) as store:
        try:
            pruned = store.prune_originals(user=_user(args), keep=args.keep, before=args.before)
        except ValueError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_USAGE
        left = store.originals_size()
    if not pruned:
        print(f"Inga originalfiler att ta bort. Sparade originalfiler tar {format_mb(left)}.")
        return EXIT_OK
    versions = ", ".join(str(p.version) for p in pruned)
    print(
        f"Tog bort {len(pruned)} originalfiler ({format_mb(sum(p.size for p in pruned))}) för version {versions}. "
        "Data och historik finns kvar; historiken visar att filerna fanns och när de togs bort. "
        f"Sparade originalfiler tar nu {format_mb(left)}."
    )
    return EXIT_OK


def _write(path: Path, data: bytes) -> int:
    """Write bytes to a file; exit code 2 when that fails."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        print(f"Kunde inte skriva {path}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"Skrev {path}.")
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    """Export the current data in the template's format."""
    with open_store(args.db) as store:
        version = store.current_version()
        data = dataset_to_workbook(store.current(), title=f"Export av data, version {version}")
    return _write(args.out, data)


def _cmd_backup(args: argparse.Namespace) -> int:
    """Copy the store with SQLite's online backup and prove that the copy restores it."""
    report = backup_store(args.db or store_path(), args.out)
    print(
        f"Skrev säkerhetskopian {report.path} ({format_mb(report.bytes)}, {report.versions:d} versioner, senaste "
        f"version {report.current_version or '–'}).\nKontroll: kopian är hel (SQLite integrity_check) och har samma "
        f"kontrollsumma som databasen ({report.checksum[:16]}…). Återställ genom att stoppa tjänsten och lägga kopian "
        "där SEGDASH_DB pekar."
    )
    return EXIT_OK


def _cmd_migrate(args: argparse.Namespace) -> int:
    """Copy a whole store into an empty one (e.g. SQLite to PostgreSQL) and prove every version is the same."""
    report = migrate_store(args.source, args.target, progress=lambda text: print(text, file=sys.stderr, flush=True))
    rows = ", ".join(f"{table_title(t).lower()} {format_count(n)}" for t, n in report.rows.items() if n)
    print(
        f"Flyttade {report.versions:d} versioner och {report.originals:d} originalfiler från {report.source} till "
        f"{report.target}.\nHistorikrader: {rows}."
    )
    if not report.ok:
        which = ", ".join(str(v) for v in report.mismatched_versions) or "hela databasen"
        print(
            f"Kontrollen misslyckades: versionerna {which} skiljer sig mellan databaserna. Använd inte måldatabasen; "
            "töm den och försök igen.",
            file=sys.stderr,
        )
        return EXIT_STORE
    print(
        f"Kontroll: alla {report.versions:d} versioner har samma kontrollsumma i båda databaserna, och hela "
        f"databasen likaså ({report.target_checksum[:16]}…). Peka nu SEGDASH_DB på måldatabasen och starta om."
    )
    return EXIT_OK


def _cmd_template(args: argparse.Namespace) -> int:
    """Write the empty template with the current areas and indicators."""
    with open_store(args.db) as store:
        data = template_workbook(store.current())
    return _write(args.out, data)


def _cmd_report(args: argparse.Namespace) -> int:
    """Write Bilaga 5 for a follow-up year as Word, PowerPoint or HTML (by the file's extension)."""
    extension = args.out.suffix.lower().lstrip(".")
    builders = {ext: build for _, ext, _, build in BILAGA5_FORMATS}
    if extension not in builders:
        print(
            f"Okänd filtyp ”{args.out.suffix}”. Skriv till en fil som slutar på .docx, .pptx eller .html.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    with open_store(args.db) as store:
        version, dataset = store.current_version(), store.current()
    years = followup_years(dataset)
    if args.year is not None and args.year not in years:
        known = ", ".join(str(y) for y in years) or "inga"
        print(f"Det finns ingen uppföljning för {args.year}. Uppföljningsår i datan: {known}.", file=sys.stderr)
        return EXIT_USAGE
    plans = [v.name for v in plan_versions(dataset)]
    if args.plan is not None and args.plan not in plans:
        print(
            f"Okänd plan ”{args.plan}”. Planer i datan: {', '.join(p or '(utan namn)' for p in plans)}.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    fu = follow_up(
        dataset,
        reference=args.reference,
        baseline=args.baseline or baseline_year(),
        current_year=args.year,
        linked_only=args.linked_only,
        plan=args.plan,
    )
    report = bilaga5(dataset, fu, version=version)
    data = bilaga5_docx(report, render=False) if extension == "docx" and args.no_images else builders[extension](report)
    return _write(args.out, data)


def _cmd_method(args: argparse.Namespace) -> int:
    """Print the method ("Så räknar vi") as Markdown, generated from the constants the code uses."""
    print(method_markdown(), end="")
    return EXIT_OK


def _cmd_statement(args: argparse.Namespace) -> int:
    """Print the tillgänglighetsredogörelse as Markdown, written from the audit's allow-list."""
    print(statement_markdown(), end="")
    return EXIT_OK


COMMANDS = {
    "validate": _cmd_validate,
    "import": _cmd_import,
    "fetch": _cmd_fetch,
    "versions": _cmd_versions,
    "rollback": _cmd_rollback,
    "prune-originals": _cmd_prune_originals,
    "export": _cmd_export,
    "backup": _cmd_backup,
    "migrate": _cmd_migrate,
    "report": _cmd_report,
    "template": _cmd_template,
    "method": _cmd_method,
    "tillganglighet": _cmd_statement,
}


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if exc.code in (0, None) else EXIT_USAGE
    try:
        return COMMANDS[args.command](args)
    except StoreError as exc:  # full disk, I/O error, read-only store, original-file limit: says what to do
        print(str(exc), file=sys.stderr)
        return EXIT_STORE
    except DB_ERRORS as exc:
        print(
            f"Databasen kunde inte läsas eller skrivas ({exc}). Ingenting ändrades. Om en annan import pågår: "
            "vänta och försök igen.",
            file=sys.stderr,
        )
        return EXIT_STORE
