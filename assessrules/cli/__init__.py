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
import tempfile
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ..engine.spec import Spec
    from ..rules.document import Document

DEFAULT_SPEC = "2021"


def _parser() -> argparse.ArgumentParser:
    from .._version import __version__

    parser = argparse.ArgumentParser(
        prog="assessrules",
        description="Score government units against a year's assessment rules (政务公开考核) written as YAML.",
        epilog="Exit codes: 0 ok, 1 bad facts, 2 bad spec or usage. Docs: docs/ in the source tree.",
    )
    parser.add_argument("--version", action="version", version=f"assessrules {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("validate", help="check specs (and X.tests.yaml scenario files) and list every problem "
                                        "as file:line:col")
    p.add_argument("specs", nargs="+", metavar="SPEC",
                   help="spec files, bundled ids such as 2021, or scenario files (X.tests.yaml)")
    p.set_defaults(handler=cmd_validate)

    spec_help = "the spec: a bundled id (2021) or a path; default: the facts file's `spec:`, else 2021"
    as_of_help = ("the assessment date (考核日期), e.g. 2022-01-10, or a period such as 2021Q2 for a snapshot as of its "
                  "last day (later periods and records left out); default: the facts file's `as_of:`, else the year's end")
    p = sub.add_parser("score", help="score every unit of a facts file")
    p.add_argument("facts", metavar="FACTS", help="a facts file (YAML or JSON)")
    p.add_argument("--spec", help=spec_help)
    p.add_argument("--as-of", type=_date_or_period, metavar="DATE", help=as_of_help)
    p.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output format (table)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (whole or not at all) instead of stdout")
    p.set_defaults(handler=cmd_score)

    p = sub.add_parser("explain", help="explain one unit's score, point by point")
    p.add_argument("facts", metavar="FACTS", help="a facts file (YAML or JSON)")
    p.add_argument("--unit", required=True, metavar="ID", help="the unit's id in the facts file")
    p.add_argument("--spec", help=spec_help)
    p.add_argument("--as-of", type=_date_or_period, metavar="DATE", help=as_of_help)
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (text)")
    p.set_defaults(handler=cmd_explain)

    p = sub.add_parser("bulletin", help="the quarterly bulletin (通报): each month's missed items and the running score")
    p.add_argument("facts", metavar="FACTS", help="a facts file (YAML or JSON)")
    p.add_argument("--quarter", required=True, metavar="QUARTER", help="the quarter, e.g. 2021Q3")
    p.add_argument("--spec", help=spec_help)
    p.add_argument("--format", choices=("table", "json", "csv"), default="table", help="output format (table)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (whole or not at all) instead of stdout")
    p.set_defaults(handler=cmd_bulletin)

    p = sub.add_parser("check", help="property-test a spec: bounds, monotonicity, grades, deductions, determinism")
    p.add_argument("spec", metavar="SPEC", help="a spec path or bundled id")
    p.add_argument("--examples", type=int, default=100, metavar="N", help="examples per invariant (100)")
    p.add_argument("--seed", type=int, default=None, metavar="S", help="a seed, to repeat a run exactly")
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
    p.add_argument("facts", metavar="FACTS", help="a facts file (YAML or JSON)")
    p.add_argument("--as-of", type=_date_or_period, metavar="DATE", help=as_of_help)
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (text)")
    p.set_defaults(handler=cmd_impact)

    p = sub.add_parser("facts-schema", help="print the JSON Schema of a facts file for a spec")
    p.add_argument("spec", metavar="SPEC", nargs="?", default=DEFAULT_SPEC, help="a spec path or bundled id")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(handler=cmd_facts_schema)
    return parser


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


def write_output(text: str, output: str | None, stdout: TextIO) -> None:
    """Write to stdout, or to ``output`` whole or not at all (temporary file, then rename)."""
    if output is None:
        stdout.write(text)
        return
    directory = os.path.dirname(os.path.abspath(output))
    fd, tmp = tempfile.mkstemp(prefix=".assessrules-", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, output)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _spec_for(args: argparse.Namespace, document: Document) -> Spec:
    from ..engine.spec import load_spec

    chosen = args.spec or (document.data.get("spec") if isinstance(document.data, dict) else None)
    return load_spec(str(chosen or DEFAULT_SPEC))


def cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Check each spec; print every problem, then a summary."""
    from ..engine.spec import load_spec
    from ..errors import SpecError

    failed = 0
    total = 0
    for source in args.specs:
        try:
            if str(source).endswith(".tests.yaml"):  # a scenario file: its spec loads, and so do its cases
                from ..authoring.scenarios import load_cases, spec_for_cases

                cases = load_cases(load_spec(spec_for_cases(source)), source)
                out.write(f"ok: {source} — scenario file, {len(cases)} case{'s' if len(cases) != 1 else ''}\n")
                continue
            spec = load_spec(source)
        except SpecError as exc:
            failed += 1
            total += len(exc.problems)
            for problem in exc.problems:
                err.write(f"{problem}\n")
            continue
        nodes = len(spec.nodes) - 1
        out.write(f"ok: {spec.source} — {spec.metadata.title}: {nodes} indicators, {len(spec.triggers)} rules, "
                  f"{len(spec.facts)} facts, {len(spec.grades) if spec.graded else 'no'} grades, "
                  f"{len(spec.assumptions)} assumptions\n")
    if failed:
        err.write(f"{total} problem{'s' if total != 1 else ''} in {failed} of {len(args.specs)} "
                  f"spec{'s' if len(args.specs) != 1 else ''}\n")
        return 2
    return 0


def cmd_score(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Score every unit of a facts file and report in the chosen format."""
    from ..inputs.facts_file import read_facts, score_document
    from ..outputs.report import REPORTERS

    document = read_facts(args.facts)
    spec = _spec_for(args, document)
    results = score_document(spec, document, args.as_of)
    write_output(REPORTERS[args.format](spec, results), args.output, out)
    return 0


def cmd_explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Explain one unit of a facts file."""
    import json

    import attrs

    from ..errors import FactsError, UsageError
    from ..inputs.facts_file import as_of_of, locate, read_facts, units_of

    document = read_facts(args.facts)
    spec = _spec_for(args, document)
    units = units_of(document)
    for i, unit in enumerate(units):
        if isinstance(unit, dict) and str(unit.get("id")) == args.unit:
            try:
                result = spec.evaluate(unit, as_of=args.as_of or as_of_of(document))
            except FactsError as exc:
                moved = [attrs.evolve(p, path=("units", i, *p.path)) for p in exc.problems]
                raise FactsError(locate(moved, document)) from None
            if args.format == "json":
                out.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
            else:
                out.write(result.explain())
            return 0
    known = ", ".join(str(u.get("id")) for u in units[:10] if isinstance(u, dict))
    raise UsageError(f"{args.facts}: no unit with id `{args.unit}` (units: {known}{', …' if len(units) > 10 else ''})")


def cmd_bulletin(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print the bulletin of one quarter."""
    from ..errors import FactsError
    from ..inputs.facts_file import locate, read_facts, units_of
    from ..outputs.report import BULLETIN_REPORTERS

    document = read_facts(args.facts)
    spec = _spec_for(args, document)
    try:
        made = spec.bulletin(units_of(document), args.quarter)
    except FactsError as exc:
        raise FactsError(locate(exc.problems, document)) from None
    write_output(BULLETIN_REPORTERS[args.format](made), args.output, out)
    return 0


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run every invariant against a spec; report each broken one with a shrunk counterexample."""
    import random
    import time

    try:
        from ..authoring.invariants import INVARIANTS, check_spec
    except ImportError:  # pragma: no cover - hypothesis is an optional dependency
        from ..errors import UsageError

        raise UsageError("`check` needs hypothesis: pip install 'assessrules[testing]'") from None
    from ..engine.spec import load_spec

    spec = load_spec(args.spec)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    out.write(f"checking {spec.source} — {spec.metadata.title}: {len(INVARIANTS)} invariants, "
              f"{args.examples} examples each (--seed {seed})\n")
    started = time.monotonic()
    summaries = {inv.name: inv.summary for inv in INVARIANTS}

    def progress(name: str, state: str) -> None:
        if state == "running":
            out.write(f"  {name:<17} {summaries[name][:70]} … ")
        else:
            out.write("ok\n" if state == "ok" else "BROKEN\n")
        out.flush()

    violations = check_spec(spec, args.examples, seed, progress)
    elapsed = time.monotonic() - started
    for violation in violations:
        out.write(f"\n{violation}\n")
    if violations:
        out.write(f"\n{len(violations)} of {len(INVARIANTS)} invariants broken ({elapsed:.1f} s)\n")
        return 1
    out.write(f"all {len(INVARIANTS)} invariants hold ({elapsed:.1f} s)\n")
    return 0


def cmd_test(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run a spec's scenario tests; exit 1 if any fails."""
    from ..authoring.scenarios import default_tests_for, load_cases, render_outcomes, run_cases
    from ..engine.spec import load_spec
    from ..errors import UsageError

    spec = load_spec(args.spec)
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
    from ..rules.document import dump_yaml
    from ..rules.loader import effective_document

    document = effective_document(args.spec)
    spec = spec_from_document(document)  # checked before it is shown; already merged, so read once
    header = f"# the effective spec {spec.metadata.id}, from: {' + '.join(spec.sources)}\n"
    write_output(header + dump_yaml(document.data), args.output, out)
    return 0


def cmd_diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print what changed from OLD to NEW (nothing when they agree)."""
    import json

    from ..authoring.diff import diff, render_diff
    from ..engine.spec import load_spec

    old, new = load_spec(args.old), load_spec(args.new)
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

    old, new = load_spec(args.old), load_spec(args.new)
    document = read_facts(args.facts)
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

    spec = load_spec(args.spec)
    write_output(json.dumps(spec.facts_schema(), ensure_ascii=False, indent=2) + "\n", args.output, out)
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
        for problem in exc.problems:
            err.write(f"{problem}\n")
        if len(exc.problems) > 1:
            err.write(f"{len(exc.problems)} problems; nothing was scored\n")
        return exc.exit_code
    except OSError as exc:
        err.write(f"assessrules: {exc.filename or ''}: {exc.strerror or exc}\n")
        return 2


def main() -> None:
    """Entry point of the ``assessrules`` script."""
    try:
        code = run()
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
