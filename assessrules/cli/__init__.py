"""The ``assessrules`` command line: thin over the library.

Exit codes: 0 success; 1 bad facts (or a rule that fails on them); 2 a bad
spec or bad usage; 3 an internal error (a bug). Problems are printed as ``file:line:col: message`` with a
hint; never a traceback. Only :func:`main` exits; :func:`run` returns the code.
Heavy modules are imported inside the commands so that ``--help`` is quick.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from ..engine.spec import Spec
    from ..errors import AssessRulesError, Problem
    from ..rules.document import Document

DEFAULT_SPEC = "2021"
MAX_EXAMPLES = 100_000
"""The most examples per invariant `check` runs."""


def _parser() -> argparse.ArgumentParser:
    from .. import _resources
    from .._version import __version__

    parser = argparse.ArgumentParser(
        prog="assessrules",
        description="Score government units against a year's assessment rules (政务公开考核) written as YAML.",
        epilog=f"Exit codes: 0 ok, 1 bad facts, 2 bad spec or usage, 3 internal error (a bug: please report it). "
               f"Docs: {_resources.docs_dir()}",
    )
    parser.add_argument("--version", action="version", version=f"assessrules {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("validate", help="check specs (and X.tests.yaml scenario files) and list every problem "
                                        "as file:line:col")
    p.add_argument("specs", nargs="+", metavar="SPEC",
                   help="spec files, bundled ids such as 2021, or scenario files (X.tests.yaml)")
    p.set_defaults(handler=cmd_validate)

    facts_help = "a facts file (YAML, JSON or a filled .xlsx, .xlsm, .xls or .ods workbook); - reads it from standard input"
    spec_help = "the spec: a bundled id (2021) or a path; default: the facts file's `spec:`, else 2021"
    as_of_help = ("the assessment date (考核日期), e.g. 2022-01-10, or a period such as 2021Q2 for a snapshot as of its "
                  "last day (later periods and records left out); default: the facts file's `as_of:`, else the year's end")
    output_help = ("write to FILE (whole or not at all) instead of stdout; its extension gives the format: "
                   "{}")
    p = sub.add_parser("score", help="score every unit of a facts file")
    p.add_argument("facts", metavar="FACTS", help=facts_help)
    p.add_argument("--spec", help=spec_help)
    p.add_argument("--as-of", type=_date_or_period, metavar="DATE", help=as_of_help)
    p.add_argument("--format", choices=("table", "json", "csv"), help="output format on stdout (table)")
    p.add_argument("--ids", action="store_true", help="CSV with machine ids (type, rank, id, …) instead of Chinese headers")
    p.add_argument("-o", "--output", metavar="FILE", help=output_help.format(".xlsx .csv .json .html .txt"))
    p.add_argument("--full", action="store_true",
                   help="with JSON: repeat each unit's facts and periods in its result (default: left out, "
                        "one result per line)")
    p.add_argument("-j", "--jobs", type=_jobs, default=1, metavar="N",
                   help="score in N worker processes (0: one per core); the output is the same (1)")
    p.set_defaults(handler=cmd_score)

    p = sub.add_parser("report", help="a printable, self-contained HTML report: ranking, charts, bulletins, accounts")
    p.add_argument("facts", metavar="FACTS", help=facts_help)
    p.add_argument("--spec", help=spec_help)
    p.add_argument("--as-of", type=_date_or_period, metavar="DATE", help=as_of_help)
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE.html (whole or not at all) instead of stdout")
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser("explain", help="explain one unit's score, point by point")
    p.add_argument("facts", metavar="FACTS", help=facts_help)
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--unit", metavar="UNIT", help="the unit's id or name (名称) in the facts file")
    which.add_argument("--all", action="store_true", help="every unit's account, in one file")
    p.add_argument("--spec", help=spec_help)
    p.add_argument("--as-of", type=_date_or_period, metavar="DATE", help=as_of_help)
    p.add_argument("--format", choices=("text", "json"), help="output format on stdout (text)")
    p.add_argument("-o", "--output", metavar="FILE", help=output_help.format(".txt .json, and with --all .html .xlsx"))
    p.set_defaults(handler=cmd_explain)

    p = sub.add_parser("bulletin", help="the quarterly bulletin (通报): each month's missed items and the running score")
    p.add_argument("facts", metavar="FACTS", help=facts_help)
    p.add_argument("--quarter", required=True, metavar="QUARTER", help="the quarter, e.g. 2021Q3")
    p.add_argument("--spec", help=spec_help)
    p.add_argument("--format", choices=("table", "json", "csv"), help="output format on stdout (table)")
    p.add_argument("--ids", action="store_true", help="CSV with machine ids instead of Chinese headers")
    p.add_argument("-o", "--output", metavar="FILE", help=output_help.format(".csv .json .txt"))
    p.set_defaults(handler=cmd_bulletin)

    p = sub.add_parser("check", help="property-test a spec: bounds, monotonicity, grades, deductions, determinism")
    p.add_argument("spec", metavar="SPEC", help="a spec path or bundled id")
    p.add_argument("--examples", type=int, default=100, metavar="N", help="units drawn (100)")
    p.add_argument("--seed", type=int, default=None, metavar="S", help="a seed, to repeat a run exactly")
    p.add_argument("--thorough", action="store_true",
                   help="draw five times as many units and search each invariant on its own as well (slower)")
    p.add_argument("--counterexamples", metavar="DIR",
                   help="write each counterexample to DIR as a facts file, ready for `assessrules score`")
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("test", help="run the scenario tests beside a spec (X.tests.yaml)")
    p.add_argument("spec", metavar="SPEC", help="a spec path or bundled id")
    p.add_argument("tests", metavar="TESTS", nargs="?", help="the scenario file (default: SPEC's .tests.yaml)")
    p.set_defaults(handler=cmd_test)

    p = sub.add_parser("show", help="print the effective spec, with every `extends:` merged in")
    p.add_argument("spec", metavar="SPEC", help="a spec path or bundled id")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("diff", help="what changed from one spec to another, in the document's terms")
    p.add_argument("old", metavar="OLD", help="the old spec (path or bundled id)")
    p.add_argument("new", metavar="NEW", help="the new spec (path or bundled id)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (text)")
    p.set_defaults(handler=cmd_diff)

    p = sub.add_parser("impact", help="score the same units under two specs and list every unit that moves")
    p.add_argument("old", metavar="OLD", help="the old spec (path or bundled id)")
    p.add_argument("new", metavar="NEW", help="the new spec (path or bundled id)")
    p.add_argument("facts", metavar="FACTS", help=facts_help)
    p.add_argument("--as-of", type=_date_or_period, metavar="DATE", help=as_of_help)
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (text)")
    p.set_defaults(handler=cmd_impact)

    p = sub.add_parser("facts-schema", help="print the JSON Schema of a facts file for a spec")
    p.add_argument("spec", metavar="SPEC", nargs="?", default=DEFAULT_SPEC, help="a spec path or bundled id")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(handler=cmd_facts_schema)

    p = sub.add_parser("template", help="write the data-entry workbook (考核数据.xlsx) for a spec")
    p.add_argument("spec", metavar="SPEC", nargs="?", default=DEFAULT_SPEC, help="a spec path or bundled id (2021)")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the workbook to write (.xlsx)")
    p.add_argument("--units", metavar="FILE", help="a facts file whose units pre-fill the workbook's rows")
    p.add_argument("--as-of", type=_date, metavar="DATE", help="the assessment date to write in the workbook")
    p.set_defaults(handler=cmd_template)

    p = sub.add_parser("convert", help="convert a facts file between YAML, JSON and a workbook (.xlsx)")
    p.add_argument("facts", metavar="IN", help="a facts file (.yaml, .json, or a workbook: .xlsx, .xlsm, .xls, .ods)")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="the file to write (.yaml, .json or .xlsx)")
    p.add_argument("--spec", help=spec_help)
    p.set_defaults(handler=cmd_convert)

    p = sub.add_parser("serve", help="serve the specs over HTTP (needs: pip install 'assessrules[serve]')")
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on (127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="the port (8000)")
    p.add_argument("--spec-dir", metavar="DIR", help="also serve every *.yaml spec in DIR (besides the bundled ones)")
    p.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes, passed to uvicorn (1)")
    p.add_argument("--max-body", type=int, default=4 * 1024 * 1024, metavar="BYTES",
                   help="the largest request body accepted (4 MiB)")
    p.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="time limit per request (30)")
    p.set_defaults(handler=cmd_serve)

    errors_help = "how to print problems on stderr: text, or json (a problems document, schemas/problem-1.schema.json)"
    lang_help = "the language of messages: zh or en (default: from the locale, LANG/LC_ALL)"
    parser.add_argument("--errors", choices=("text", "json"), default="text", help=errors_help)
    parser.add_argument("--lang", choices=("zh", "en"), default=None, help=lang_help)
    for command in sub.choices.values():  # the same options also after the command, e.g. `score - --errors json`
        command.add_argument("--errors", choices=("text", "json"), default=argparse.SUPPRESS, help=errors_help)
        command.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS, help=lang_help)
    for each in sub.choices.values():
        each.add_argument("--allow-dir", action="append", default=[], metavar="DIR",
                          help="a folder an `extends:` or a facts file's `spec:` may also read from (repeatable)")
    return parser


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2022-01-10") from None


def _date_or_period(text: str) -> dt.date | str:
    """A date, or a period (2021Q2, 2021H1, 2021-06): a snapshot as of its last day."""
    from .. import periods

    try:
        periods.parse(text)
        return text
    except ValueError:
        pass
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2022-01-10, nor a period like 2021Q2") from None


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
        if jobs < 0:
            raise ValueError(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes (0 for one per core)") from None
    return jobs


@contextlib.contextmanager
def progress_bar(err: TextIO, total: int, what: str) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on ``err`` when it is a terminal, shown once the work has taken a second; else None."""
    if not (hasattr(err, "isatty") and err.isatty()) or total <= 0:
        yield None
        return
    from tqdm import tqdm

    with tqdm(total=total, file=err, delay=1.0, unit=" units", desc=what, leave=False) as bar:

        def advance(done: int) -> None:
            bar.update(done)

        yield advance


def write_output(text: str | bytes, output: str | None, stdout: TextIO) -> None:
    """Write to stdout, or to ``output`` whole or not at all, with the usual permissions (see :mod:`assessrules.files`)."""
    from ..files import write_whole

    if output is None:
        if isinstance(text, bytes):  # pragma: no cover - the formats that make bytes require -o
            raise TypeError("binary output needs a file")
        stdout.write(text)
        return
    write_whole(output, text)


_EXTENSIONS = {".xlsx": "xlsx", ".csv": "csv", ".json": "json", ".html": "html", ".htm": "html", ".txt": "text"}


def output_format(args: argparse.Namespace, allowed: Sequence[str], text: str = "table") -> str:
    """The output format: from the -o file's extension, else --format, else ``text``; anything else is a usage error."""
    chosen: str | None = getattr(args, "format", None)
    if args.output is None:
        return chosen or text
    from ..errors import Problem, UsageError
    from ..files import check_target

    check_target(args.output)  # a folder, device or pipe is refused as such, before its name is read for a format

    extension = os.path.splitext(args.output)[1].lower()
    found = _EXTENSIONS.get(extension)
    shown = [e for e, f in _EXTENSIONS.items() if (text if f == "text" else f) in allowed and e != ".htm"]
    if found is None:
        raise UsageError([Problem(f"cannot tell the output format from the extension `{extension or '(none)'}`",
                                  file=args.output, hint=f"name the file with one of {', '.join(shown)}")])
    fmt = text if found == "text" else found
    if fmt not in allowed:
        raise UsageError([Problem(f"this command does not write {extension} files", file=args.output,
                                  hint=f"name the file with one of {', '.join(shown)}")])
    if chosen is not None and chosen != fmt:
        raise UsageError([Problem(f"--format {chosen} does not match the file's extension {extension}", file=args.output,
                                  hint="give one or the other")])
    return fmt


def _with_bom(text: str, args: argparse.Namespace) -> str:
    """CSV written to a file starts with a BOM, so that Excel on Chinese Windows reads it as UTF-8."""
    return "\ufeff" + text if args.output is not None else text


def _spec_for(args: argparse.Namespace, document: Document) -> Spec:
    """The spec ``--spec`` names, else the facts file's ``spec:`` (under the file-access policy), else 2021."""
    from ..engine.spec import load_spec
    from ..errors import UsageError
    from ..inputs.facts_file import spec_of

    if args.spec is not None:
        if not args.spec.strip():
            raise UsageError("--spec is empty: give a path or a bundled id such as 2021")
        return load_spec(args.spec, allow=args.allow_dir)
    return load_spec(spec_of(document, args.allow_dir) or DEFAULT_SPEC, allow=args.allow_dir)


def _spec_source(args: argparse.Namespace, fallback: str | None = None) -> Callable[[str | None], Spec]:
    """How a workbook facts file finds its spec: --spec, else the one it names, else ``fallback`` or the default."""
    from ..engine.spec import load_spec
    from ..inputs.facts_file import spec_of
    from ..rules.document import Document

    allow = getattr(args, "allow_dir", [])

    def source(named: str | None) -> Spec:
        given = getattr(args, "spec", None)
        if given is None and named is not None:  # what the workbook names, under the file-access policy
            given = spec_of(Document({"spec": named}, args.facts, {}, ""), allow)
        return load_spec(str(given or fallback or DEFAULT_SPEC), allow=allow)

    return source


def cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Check each spec; print every problem, then a summary."""
    from ..engine.spec import load_spec
    from ..errors import SpecError
    from ..messages import text

    if args.errors == "json":
        return _validate_json(args, out, err)
    failed = 0
    total = 0
    for source in args.specs:
        try:
            if str(source).endswith(".tests.yaml"):  # a scenario file: its spec loads, and so do its cases
                from ..authoring.scenarios import load_cases, spec_for_cases

                cases = load_cases(load_spec(spec_for_cases(source), allow=args.allow_dir), source)
                out.write(f"ok: {source} — scenario file, {len(cases)} case{'s' if len(cases) != 1 else ''}\n")
                continue
            spec = load_spec(source, allow=args.allow_dir)
        except SpecError as exc:
            failed += 1
            total += len(exc.problems)
            for problem in exc.problems:
                err.write(_render(problem, args) + "\n")
            continue
        nodes = len(spec.nodes) - 1
        out.write(f"ok: {spec.source} — {spec.metadata.title}: {nodes} indicators, {len(spec.triggers)} rules, "
                  f"{len(spec.facts)} facts, {len(spec.grades) if spec.graded else 'no'} grades, "
                  f"{len(spec.assumptions)} assumptions\n")
    if failed:
        if _lang(args) == "zh":
            err.write(text("cli.spec_problems", "zh", count=total, failed=failed, total=len(args.specs)) + "\n")
        else:
            err.write(f"{total} problem{'s' if total != 1 else ''} in {failed} of {len(args.specs)} "
                      f"spec{'s' if len(args.specs) != 1 else ''}\n")
        return 2
    return 0


def cmd_score(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Score every unit of a facts file and report in the chosen format."""
    from ..inputs.facts_file import read_facts, score_document, units_of
    from ..outputs.report import render_csv, render_json, render_json_compact, render_json_compact_bytes, render_table

    fmt = output_format(args, ("table", "json", "csv", "xlsx", "html"))
    document = read_facts(args.facts, _spec_source(args))
    spec = _spec_for(args, document)
    with progress_bar(err, len(units_of(document)), "scoring") as progress:
        results = score_document(spec, document, args.as_of, jobs=args.jobs, progress=progress)
    groups = spec.score_groups(results)  # 全县 and the like, from the members' results
    if fmt == "xlsx":
        from ..outputs.workbook import render_workbook

        write_output(render_workbook(spec, results, groups), args.output, out)
    elif fmt == "html":
        write_output(_report_html(spec, document, results, groups), args.output, out)
    elif fmt == "csv":
        write_output(_with_bom(render_csv(spec, results, ids=args.ids, groups=groups), args), args.output, out)
    elif fmt == "json" and not args.full:  # each unit's inputs are in the facts file already
        write_output(render_json_compact(spec, results, groups) if args.output is None
                     else render_json_compact_bytes(spec, results, groups), args.output, out)
    elif fmt == "json":
        write_output(render_json(spec, results, groups), args.output, out)
    else:
        write_output(render_table(spec, results, groups), args.output, out)
    return 0


def _report_html(spec: Spec, document: Document, results: Sequence[Any], groups: Sequence[Any] = ()) -> str:
    """The HTML report, with the bulletin of each quarter of the spec's year when it records months,
    and the spec's groups (考核组) when it has any."""
    from ..errors import FactsError
    from ..inputs.facts_file import locate, units_of
    from ..outputs.html import render_report

    bulletins = []
    if "month" in spec.period_kinds and spec.year is not None:
        try:
            bulletins = [spec.bulletin(units_of(document), f"{spec.year}Q{q}") for q in range(1, 5)]
        except FactsError as exc:
            raise FactsError(locate(exc.problems, document)) from None
    return render_report(spec, results, bulletins, groups=groups)


def cmd_report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write the printable HTML report of a facts file."""
    from ..inputs.facts_file import read_facts, score_document

    output_format(args, ("html",), text="html")
    document = read_facts(args.facts, _spec_source(args))
    spec = _spec_for(args, document)
    results = score_document(spec, document, args.as_of)
    write_output(_report_html(spec, document, results, spec.score_groups(results)), args.output, out)
    return 0


def cmd_explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Explain one unit of a facts file."""
    import attrs

    from ..errors import FactsError
    from ..inputs.facts_file import as_of_of, locate, read_facts, units_of
    from ..jsontext import indented

    fmt = output_format(args, ("text", "json", "html", "xlsx") if args.all else ("text", "json"), text="text")
    document = read_facts(args.facts, _spec_source(args))
    spec = _spec_for(args, document)
    units = units_of(document)
    if args.all:
        from ..inputs.facts_file import score_document

        write_output(_accounts(spec, score_document(spec, document, args.as_of), fmt), args.output, out)
        return 0
    i = find_unit(units, args.unit, args.facts)
    try:
        result = spec.evaluate(units[i], as_of=args.as_of or as_of_of(document))
    except FactsError as exc:
        moved = [attrs.evolve(p, path=("units", i, *p.path)) for p in exc.problems]
        raise FactsError(locate(moved, document)) from None
    if fmt == "json":
        write_output(indented(result.to_dict()) + "\n", args.output, out)
    else:
        write_output(result.explain(), args.output, out)
    return 0


def _accounts(spec: Spec, results: Sequence[Any], fmt: str) -> str | bytes:
    """Every unit's account, ordered by id, in one text, JSON, HTML or xlsx file."""
    from ..jsontext import indented

    ordered = sorted(results, key=lambda r: r.unit.id)
    if fmt == "html":
        from ..outputs.html import render_accounts

        return render_accounts(spec, ordered)
    if fmt == "xlsx":
        from ..outputs.workbook import accounts_workbook, stamp_of, workbook_bytes

        return workbook_bytes(accounts_workbook(spec, ordered), stamp_of(ordered))
    if fmt == "json":
        return indented([r.to_dict() for r in ordered]) + "\n"
    return ("\n" + "═" * 40 + "\n\n").join(r.explain() for r in ordered)


def find_unit(units: Sequence[Any], wanted: str, file: str) -> int:
    """The position of the unit whose id, or else whose name, is ``wanted``; a usage error with a did-you-mean if none."""
    import difflib

    from ..errors import Problem, UsageError

    entries = [(i, str(u.get("id")), str(u.get("name", ""))) for i, u in enumerate(units) if isinstance(u, dict)]
    for i, uid, _ in entries:
        if uid == wanted:
            return i
    named = [(i, uid) for i, uid, name in entries if name == wanted]
    if len(named) == 1:
        return named[0][0]
    if named:
        raise UsageError([Problem(f"{len(named)} units are named `{wanted}`", file=file,
                                  hint="give the id, one of " + ", ".join(uid for _, uid in named))])
    words = {uid: uid for _, uid, _ in entries} | {name: f"{name} ({uid})" for _, uid, name in entries if name}
    close = difflib.get_close_matches(wanted, list(words), n=3, cutoff=0.5)
    if close:
        hint = "did you mean " + " or ".join(f"`{words[c]}`" for c in close) + "?"
    else:
        known = ", ".join(uid for _, uid, _ in entries[:10])
        hint = f"the units are {known}{', …' if len(entries) > 10 else ''}"
    raise UsageError([Problem(f"no unit with id or name `{wanted}`", file=file, hint=hint)])


def cmd_bulletin(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print the bulletin of one quarter."""
    from ..errors import FactsError
    from ..inputs.facts_file import locate, read_facts, units_of
    from ..outputs.report import BULLETIN_REPORTERS, render_bulletin_csv

    fmt = output_format(args, ("table", "json", "csv"))
    document = read_facts(args.facts, _spec_source(args))
    spec = _spec_for(args, document)
    try:
        made = spec.bulletin(units_of(document), args.quarter)
    except FactsError as exc:
        raise FactsError(locate(exc.problems, document)) from None
    if fmt == "csv":
        write_output(_with_bom(render_bulletin_csv(made, ids=args.ids), args), args.output, out)
    else:
        write_output(BULLETIN_REPORTERS[fmt](made), args.output, out)
    return 0


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run every invariant against a spec; report each broken one with a shrunk counterexample.

    Exit 1 when an invariant breaks; warnings alone are printed and exit 0.
    """
    import random
    import time

    try:
        from ..authoring.invariants import INVARIANTS, check_spec
    except ImportError:  # pragma: no cover - hypothesis is an optional dependency
        from ..errors import UsageError

        raise UsageError("`check` needs hypothesis: pip install 'assessrules[testing]'") from None
    from ..engine.spec import load_spec
    from ..errors import UsageError

    if not 1 <= args.examples <= MAX_EXAMPLES:
        raise UsageError(f"--examples must be from 1 to {MAX_EXAMPLES:,}, not {args.examples}")
    spec = load_spec(args.spec, allow=args.allow_dir)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    out.write(f"checking {spec.source} — {spec.metadata.title}: {len(INVARIANTS)} invariants on {args.examples} "
              f"units{' (thorough)' if args.thorough else ''} (--seed {seed})\n")
    started = time.monotonic()
    summaries = {inv.name: inv.summary for inv in INVARIANTS}
    began = [started]

    def progress(name: str, state: str) -> None:
        if state == "running":
            began[0] = time.monotonic()
            out.write(f"  {name:<17} {summaries[name][:70]} … ")
        else:
            word = {"ok": "ok", "warning": "warning", "broken": "BROKEN"}[state]
            out.write(f"{word} ({time.monotonic() - began[0]:.1f} s)\n")
        out.flush()

    violations = check_spec(spec, args.examples, seed, progress, thorough=args.thorough)
    elapsed = time.monotonic() - started
    for violation in violations:
        out.write(f"\n{violation}\n")
    if args.counterexamples:
        _write_counterexamples(args.counterexamples, args.spec, violations, out)
    errors = [v for v in violations if v.severity != "warning"]
    warnings = len(violations) - len(errors)
    also = f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""
    if errors:
        out.write(f"\n{len(errors)} of {len(INVARIANTS)} invariants broken{also} ({elapsed:.1f} s)\n")
        return 1
    out.write(f"{chr(10) if warnings else ''}all {len(INVARIANTS)} invariants hold{also} ({elapsed:.1f} s)\n")
    return 0


def _write_counterexamples(directory: str, spec_source: str, violations: Sequence[object], out: TextIO) -> None:
    """Write each violation's units as ``DIR/NN-invariant.yaml``, a facts file naming the spec."""
    from ..authoring.invariants import Violation

    os.makedirs(directory, exist_ok=True)
    for number, violation in enumerate(violations, 1):
        assert isinstance(violation, Violation)
        if not violation.units():
            continue
        path = os.path.join(directory, f"{number:02d}-{violation.invariant}.yaml")
        write_output(violation.facts_file(spec_source), path, out)
        out.write(f"counterexample written: {path}\n")


def cmd_test(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run a spec's scenario tests; exit 1 if any fails."""
    from ..authoring.scenarios import default_tests_for, load_cases, render_outcomes, run_cases
    from ..engine.spec import load_spec
    from ..errors import UsageError

    spec = load_spec(args.spec, allow=args.allow_dir)
    path = args.tests or default_tests_for(spec)
    if path is None:
        raise UsageError(f"no scenario file beside {spec.source}: give one, e.g. "
                         f"`assessrules test {args.spec} my-cases.yaml`")
    outcomes = run_cases(spec, load_cases(spec, path))
    shown = str(path) if args.tests else os.path.join(os.path.dirname(spec.source), os.path.basename(path))
    out.write(render_outcomes(shown, outcomes))
    return 0 if all(o.passed for o in outcomes) else 1


def cmd_show(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print the effective (merged) spec as YAML, after checking it."""
    from ..engine.spec import spec_from_document
    from ..rules.access import allowed_roots
    from ..rules.document import dump_yaml
    from ..rules.loader import effective_document

    document = effective_document(args.spec, allowed_roots(args.allow_dir))
    spec = spec_from_document(document, args.allow_dir)  # checked before it is shown; already merged, so read once
    header = f"# the effective spec {spec.metadata.id}, from: {' + '.join(spec.sources)}\n"
    write_output(header + dump_yaml(document.data), args.output, out)
    return 0


def cmd_diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print what changed from OLD to NEW (nothing when they agree)."""
    import json

    from ..authoring.diff import diff, render_diff
    from ..engine.spec import load_spec

    old, new = load_spec(args.old, allow=args.allow_dir), load_spec(args.new, allow=args.allow_dir)
    changes = diff(old, new)
    if args.format == "json":
        out.write(json.dumps([c.to_dict() for c in changes], ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(render_diff(old, new, changes))
    return 0


def cmd_impact(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Score a facts file under OLD and NEW and list the units that move."""
    import json

    from ..authoring.diff import impact, render_impact
    from ..engine.spec import load_spec
    from ..errors import FactsError
    from ..inputs.facts_file import as_of_of, locate, read_facts, units_of

    old, new = load_spec(args.old, allow=args.allow_dir), load_spec(args.new, allow=args.allow_dir)
    document = read_facts(args.facts, _spec_source(args, args.old))
    units = units_of(document)
    try:
        moved = impact(old, new, units, args.as_of or as_of_of(document))
    except FactsError as exc:
        raise FactsError(locate(exc.problems, document)) from None
    if args.format == "json":
        out.write(json.dumps({"old": old.metadata.id, "new": new.metadata.id, "units": len(units),
                              "changed": [m.to_dict() for m in moved]}, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(render_impact(old, new, moved, len(units)))
    return 0


def cmd_facts_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print the JSON Schema of a facts file for a spec."""
    import json

    from ..engine.spec import load_spec

    spec = load_spec(args.spec, allow=args.allow_dir)
    write_output(json.dumps(spec.facts_schema(), ensure_ascii=False, indent=2) + "\n", args.output, out)
    return 0


def cmd_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Serve the bundled specs (and those in --spec-dir) over HTTP until stopped."""
    from ..errors import UsageError

    try:
        from ..service.app import serve
    except ImportError as exc:
        raise UsageError(f"`serve` needs the serve extra: pip install 'assessrules[serve]' ({exc})") from None
    return serve(host=args.host, port=args.port, spec_dir=args.spec_dir, workers=args.workers,
                 max_body=args.max_body, timeout=args.timeout)


def _lang(args: argparse.Namespace | None) -> str:
    from ..messages import default_language

    chosen: str | None = getattr(args, "lang", None)
    return chosen or default_language()


def _render(problem: Problem, args: argparse.Namespace | None) -> str:
    from ..messages import render_problem

    return render_problem(problem, _lang(args))


def _validate_json(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``validate --errors json``: one problems document with the problems of every spec."""
    import json

    from ..engine.spec import load_spec
    from ..errors import SpecError

    problems: list[Problem] = []
    for source in args.specs:
        try:
            spec = load_spec(source)
        except SpecError as exc:
            problems.extend(exc.problems)
            continue
        out.write(f"ok: {spec.source}\n")
    if problems:
        err.write(json.dumps(SpecError(problems).to_dict(), ensure_ascii=False, indent=2) + "\n")
        return 2
    return 0


def _report_error(exc: AssessRulesError, args: argparse.Namespace, err: TextIO) -> None:
    """Print an error's problems on stderr, as text in the chosen language or as one JSON document."""
    import json

    from ..messages import text

    if args.errors == "json":
        err.write(json.dumps(exc.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    for problem in exc.problems:
        err.write(_render(problem, args) + "\n")
    if len(exc.problems) > 1:
        err.write(text("cli.problems", _lang(args), count=len(exc.problems)) + "\n")


def cmd_template(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write the data-entry workbook for a spec, its rows pre-filled with --units' units."""
    from ..engine.spec import load_spec
    from ..inputs.facts_file import read_facts, units_of
    from ..inputs.template import write_workbook

    _workbook_output(args.output)
    spec = load_spec(args.spec)
    units = units_of(read_facts(args.units, spec)) if args.units else []
    write_workbook(spec, args.output, units, spec_ref=args.spec, as_of=args.as_of)
    out.write(f"wrote {args.output}: the data-entry workbook for {spec.metadata.title}"
              f"{f' with {len(units)} units' if units else ''}\n")
    return 0


def _workbook_output(output: str) -> None:
    from ..errors import UsageError

    if not output.lower().endswith(".xlsx"):
        raise UsageError(f"{output}: a workbook is written as .xlsx; name the file so")


def cmd_convert(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Convert a facts file to another format, after checking it against its spec, losing nothing."""
    from ..errors import UsageError
    from ..inputs.convert import FORMATS, dump_facts
    from ..inputs.facts_file import read_facts, score_document

    target = os.path.splitext(args.output)[1].lower()
    if target not in FORMATS:
        raise UsageError(f"{args.output}: cannot tell the format; name it .yaml, .yml, .json or .xlsx")
    document = read_facts(args.facts, _spec_source(args))
    spec = _spec_for(args, document)
    score_document(spec, document)  # refuse what does not pass the spec's checks: it would not convert faithfully
    dump_facts(spec, document.data, args.output, spec_ref=args.spec)
    out.write(f"wrote {args.output}: {len(document.data['units'])} units\n")
    return 0


def run(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line with ``argv``; return the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = _parser()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed its help or usage message
        return int(exc.code or 0)
    handler: Callable[[argparse.Namespace, TextIO, TextIO], int] = args.handler
    from ..errors import AssessRulesError

    try:
        return handler(args, out, err)
    except AssessRulesError as exc:
        _report_error(exc, args, err)
        return exc.exit_code
    except OSError as exc:
        if args.errors == "json":
            from ..errors import Problem, UsageError

            _report_error(UsageError([Problem(exc.strerror or str(exc), file=exc.filename, code="usage.io")]), args, err)
        else:
            err.write(f"assessrules: {exc.filename or ''}: {exc.strerror or exc}\n")
        return 2


def main() -> None:
    """Entry point of the ``assessrules`` script."""
    from ..outputs.terminal import console

    try:
        with console() as (out, err):
            code = run(out=out, err=err)
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:
        code = 0
    except Exception as exc:  # a bug: say so in one line; the traceback only when asked for
        if os.environ.get("ASSESSRULES_DEBUG"):
            raise
        sys.stderr.write(f"assessrules: internal error ({type(exc).__name__}: {exc}); this is a bug — "
                         "please report it with the files you used (ASSESSRULES_DEBUG=1 shows the traceback)\n")
        code = 3
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
