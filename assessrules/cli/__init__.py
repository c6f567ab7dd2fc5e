"""The ``assessrules`` command line: thin over the library.

Exit codes: 0 success; 1 bad facts (or a rule that fails on them); 2 a bad
spec or bad usage; 3 an internal error (a bug). Problems are printed as ``file:line:col: message`` with a
hint; never a traceback. Only :func:`main` exits; :func:`run` returns the code.
Heavy modules are imported inside the commands so that ``--help`` is quick.

Everything a person reads is in the chosen language (``--lang``, else ``ASSESSRULES_LANG``, else Chinese),
argparse's own words included: the language is read from the arguments before they are parsed, and
argparse's ``gettext`` is pointed at the catalogue only while the parser is built and run
(:func:`argparse_in`), so nothing is left changed in the standard library afterwards.

No command loses a person's data: an output that is one of the command's inputs (the same file, by hard
link or symlink too) is refused, a file holding entered data is replaced only with ``--force``, and
replacing any other file is said in one line (:func:`guard_output`, :func:`write_output`).
"""

from __future__ import annotations

import argparse
import contextlib
import contextvars
import datetime as dt
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO

import attrs

if TYPE_CHECKING:
    from ..engine.spec import Spec
    from ..errors import AssessRulesError, Problem
    from ..outputs.documents.model import Document as IssuedDocument
    from ..outputs.documents.model import Letterhead
    from ..rules.document import Document

DEFAULT_SPEC = "2021"
MAX_EXAMPLES = 100_000
"""The most examples per invariant `check` runs."""

STDOUT = "-"
"""``-o -``: write to standard output (text formats only)."""


@attrs.frozen
class _Run:
    """What every part of one run needs to know: its language, whether --force was given, where notes go."""

    lang: str
    force: bool = False
    err: TextIO | None = None


_RUN: contextvars.ContextVar[_Run | None] = contextvars.ContextVar("assessrules_cli_run", default=None)


def _current() -> _Run:
    from ..messages import default_language

    return _RUN.get() or _Run(default_language())


def language_of(argv: Sequence[str], environ: dict[str, str] | None = None) -> str:
    """The language the run speaks, known before the arguments are parsed: ``--lang``, else the environment.

    >>> language_of(["score", "x.yaml", "--lang", "en"]), language_of(["--lang=en", "score"]), language_of([], {})
    ('en', 'en', 'zh')
    """
    from ..messages import LANGUAGES, default_language

    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg[7:] if arg.startswith("--lang=") else None
        if value in LANGUAGES:
            return value
    return default_language(environ)


# argparse's own words (its module calls gettext's ``_`` and ``ngettext``), each with the catalogue line that
# says it and the %-placeholder each of that line's {fields} stands for.
_ARGPARSE_WORDS: dict[str, tuple[str, dict[str, str]]] = {
    "usage: ": ("cli.argparse_usage", {}),
    "positional arguments": ("cli.argparse_positionals", {}),
    "options": ("cli.argparse_options", {}),
    "show this help message and exit": ("cli.argparse_help", {}),
    "%(prog)s: error: %(message)s\n": ("cli.argparse_error", {"prog": "%(prog)s", "message": "%(message)s"}),
    "argument %(argument_name)s: %(message)s": ("cli.argparse_argument",
                                                 {"argument": "%(argument_name)s", "message": "%(message)s"}),
    "the following arguments are required: %s": ("cli.argparse_required", {"names": "%s"}),
    "one of the arguments %s is required": ("cli.argparse_one_required", {"names": "%s"}),
    "not allowed with argument %s": ("cli.argparse_not_allowed", {"name": "%s"}),
    "invalid choice: %(value)r (choose from %(choices)s)": ("cli.argparse_choice",
                                                            {"value": "%(value)r", "choices": "%(choices)s"}),
    "expected one argument": ("cli.argparse_one", {}),
    "expected at most one argument": ("cli.argparse_at_most_one", {}),
    "expected at least one argument": ("cli.argparse_at_least_one", {}),
    "expected %s argument": ("cli.argparse_count", {"count": "%s"}),
    "expected %s arguments": ("cli.argparse_count", {"count": "%s"}),
    "unrecognized arguments: %s": ("cli.argparse_unrecognized", {"names": "%s"}),
    "ambiguous option: %(option)s could match %(matches)s": ("cli.argparse_ambiguous",
                                                             {"option": "%(option)s", "matches": "%(matches)s"}),
    "invalid %(type)s value: %(value)r": ("cli.argparse_invalid", {"type": "%(type)s", "value": "%(value)r"}),
    "ignored explicit argument %r": ("cli.argparse_explicit", {"value": "%r"}),
    "unexpected option string: %s": ("cli.argparse_unexpected", {"option": "%s"}),
    "unknown parser %(parser_name)r (choices: %(choices)s)": ("cli.argparse_unknown_parser",
                                                              {"parser_name": "%(parser_name)r",
                                                               "choices": "%(choices)s"}),
    "can't open '%(filename)s': %(error)s": ("cli.argparse_open", {"filename": "%(filename)s", "error": "%(error)s"}),
}


def argparse_words(lang: str) -> Callable[[str], str]:
    """argparse's ``gettext`` in ``lang``: each of its words from the catalogue, anything else as argparse wrote it.

    >>> argparse_words("zh")("usage: "), argparse_words("en")("usage: ")
    ('用法：', 'usage: ')
    """
    from ..messages import text

    def gettext(message: str) -> str:
        found = _ARGPARSE_WORDS.get(message)
        if found is None:
            return message
        code, placeholders = found
        return text(code, lang, **placeholders)

    return gettext


@contextlib.contextmanager
def argparse_in(lang: str) -> Iterator[None]:
    """Within the block, argparse speaks ``lang``; its ``_`` and ``ngettext`` are put back afterwards, whatever happens."""
    module: Any = argparse
    saved = module._, module.ngettext
    gettext = argparse_words(lang)
    module._ = gettext
    module.ngettext = lambda singular, plural, n: gettext(singular if n == 1 else plural)
    try:
        yield
    finally:
        module._, module.ngettext = saved


class _Parser(argparse.ArgumentParser):
    """argparse's parser, whose Chinese section headings end with a Chinese colon (选项：), as the rest of its text."""

    def format_help(self) -> str:
        return re.sub(r"^([^\s:][^\n:]*[\u4e00-\u9fff]):$", "\\1：", super().format_help(), flags=re.MULTILINE)


def _document_options(p: argparse.ArgumentParser, h: Callable[..., str], date: Callable[[str], Any]) -> None:
    """``--issuer``, ``--number`` and ``--date``: the letterhead of a document written as .docx or .pdf."""
    p.add_argument("--issuer", metavar="OFFICE", help=h("issuer"))
    p.add_argument("--number", metavar="NUMBER", help=h("number"))
    p.add_argument("--date", type=date, metavar="DATE", help=h("doc_date"))


def _parser(lang: str | None = None) -> argparse.ArgumentParser:
    """The parser, its every help text in ``lang``; build it inside :func:`argparse_in` for argparse's own words."""
    from .. import _resources
    from .._version import __version__
    from ..messages import default_language, text

    lang = lang or default_language()

    def h(code: str, **values: object) -> str:
        return text(f"help.{code}", lang, **values)

    parser = _Parser(prog="assessrules", description=h("description"),
                                     epilog=h("epilog", docs=_resources.docs_dir()))
    parser.add_argument("--version", action="version", version=f"assessrules {__version__}", help=h("version"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    date_or_period, date, jobs = _date_or_period_type(lang), _date_type(lang), _jobs_type(lang)
    whole, number = _int_type(lang), _float_type(lang)

    p = sub.add_parser("validate", help=h("validate"), description=h("validate"))
    p.add_argument("specs", nargs="+", metavar="SPEC", help=h("validate_specs"))
    p.set_defaults(handler=cmd_validate)

    p = sub.add_parser("score", help=h("score"), description=h("score"))
    p.add_argument("facts", metavar="FACTS", help=h("facts"))
    p.add_argument("--spec", help=h("spec"))
    p.add_argument("--as-of", type=date_or_period, metavar="DATE", help=h("as_of"))
    p.add_argument("--format", choices=("table", "json", "csv"), help=h("format_table"))
    p.add_argument("--ids", action="store_true", help=h("ids"))
    p.add_argument("-o", "--output", metavar="FILE",
                   help=h("output", formats=".xlsx .csv .json .html .txt .docx .pdf"))
    p.add_argument("--full", action="store_true", help=h("full"))
    _document_options(p, h, date)
    p.add_argument("-j", "--jobs", type=jobs, default=1, metavar="N", help=h("jobs"))
    p.set_defaults(handler=cmd_score)

    p = sub.add_parser("report", help=h("report"), description=h("report"))
    p.add_argument("facts", metavar="FACTS", help=h("facts"))
    p.add_argument("--spec", help=h("spec"))
    p.add_argument("--as-of", type=date_or_period, metavar="DATE", help=h("as_of"))
    p.add_argument("-o", "--output", metavar="FILE", help=h("report_formats"))
    _document_options(p, h, date)
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser("explain", help=h("explain"), description=h("explain"))
    p.add_argument("facts", metavar="FACTS", help=h("facts"))
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--unit", metavar="UNIT", help=h("unit"))
    which.add_argument("--all", action="store_true", help=h("all"))
    p.add_argument("--spec", help=h("spec"))
    p.add_argument("--as-of", type=date_or_period, metavar="DATE", help=h("as_of"))
    p.add_argument("--format", choices=("text", "json"), help=h("format_text"))
    p.add_argument("-o", "--output", metavar="FILE",
                   help=h("output", formats=".txt .json (--all: .html .xlsx .docx .pdf)"))
    _document_options(p, h, date)
    p.set_defaults(handler=cmd_explain)

    p = sub.add_parser("bulletin", help=h("bulletin"), description=h("bulletin"))
    p.add_argument("facts", metavar="FACTS", help=h("facts"))
    p.add_argument("--quarter", required=True, metavar="QUARTER", help=h("quarter"))
    p.add_argument("--spec", help=h("spec"))
    p.add_argument("--format", choices=("table", "json", "csv"), help=h("format_table"))
    p.add_argument("--ids", action="store_true", help=h("bulletin_ids"))
    p.add_argument("-o", "--output", metavar="FILE", help=h("output", formats=".csv .json .txt .docx .pdf"))
    _document_options(p, h, date)
    p.set_defaults(handler=cmd_bulletin)

    p = sub.add_parser("check", help=h("check"), description=h("check"))
    p.add_argument("spec", metavar="SPEC", help=h("spec_arg"))
    p.add_argument("--examples", type=whole, default=100, metavar="N", help=h("examples"))
    p.add_argument("--seed", type=whole, default=None, metavar="S", help=h("seed"))
    p.add_argument("--thorough", action="store_true", help=h("thorough"))
    p.add_argument("--counterexamples", metavar="DIR", help=h("counterexamples"))
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("test", help=h("test"), description=h("test"))
    p.add_argument("spec", metavar="SPEC", help=h("spec_arg"))
    p.add_argument("tests", metavar="TESTS", nargs="?", help=h("tests"))
    p.set_defaults(handler=cmd_test)

    p = sub.add_parser("show", help=h("show"), description=h("show"))
    p.add_argument("spec", metavar="SPEC", help=h("spec_arg"))
    p.add_argument("-o", "--output", metavar="FILE", help=h("output_plain"))
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("rules", help=h("rules"), description=h("rules"))
    p.add_argument("spec", metavar="SPEC", help=h("spec_arg"))
    p.add_argument("-o", "--output", metavar="FILE", help=h("rules_output"))
    p.add_argument("--changes", nargs="?", const="", default=None, metavar="OTHER", help=h("changes"))
    p.set_defaults(handler=cmd_rules)

    p = sub.add_parser("diff", help=h("diff"), description=h("diff"))
    p.add_argument("old", metavar="OLD", help=h("old"))
    p.add_argument("new", metavar="NEW", help=h("new"))
    p.add_argument("--format", choices=("text", "json"), default="text", help=h("format"))
    p.set_defaults(handler=cmd_diff)

    p = sub.add_parser("impact", help=h("impact"), description=h("impact"))
    p.add_argument("old", metavar="OLD", help=h("old"))
    p.add_argument("new", metavar="NEW", help=h("new"))
    p.add_argument("facts", metavar="FACTS", help=h("facts"))
    p.add_argument("--as-of", type=date_or_period, metavar="DATE", help=h("as_of"))
    p.add_argument("--format", choices=("text", "json"), default="text", help=h("format"))
    p.set_defaults(handler=cmd_impact)

    p = sub.add_parser("facts-schema", help=h("facts_schema"), description=h("facts_schema"))
    p.add_argument("spec", metavar="SPEC", nargs="?", default=DEFAULT_SPEC, help=h("spec_arg_default"))
    p.add_argument("-o", "--output", metavar="FILE", help=h("output_plain"))
    p.set_defaults(handler=cmd_facts_schema)

    p = sub.add_parser("template", help=h("template"), description=h("template"))
    p.add_argument("spec", metavar="SPEC", nargs="?", default=DEFAULT_SPEC, help=h("spec_arg_default"))
    p.add_argument("-o", "--output", required=True, metavar="FILE", help=h("template_output"))
    p.add_argument("--units", metavar="FILE", help=h("units"))
    p.add_argument("--as-of", type=date, metavar="DATE", help=h("template_as_of"))
    p.set_defaults(handler=cmd_template)

    p = sub.add_parser("convert", help=h("convert"), description=h("convert"))
    p.add_argument("facts", metavar="IN", help=h("convert_in"))
    p.add_argument("-o", "--output", required=True, metavar="OUT", help=h("convert_out"))
    p.add_argument("--spec", help=h("spec"))
    p.set_defaults(handler=cmd_convert)

    p = sub.add_parser("serve", help=h("serve"), description=h("serve"))
    p.add_argument("--host", default="127.0.0.1", help=h("host"))
    p.add_argument("--port", type=whole, default=8000, help=h("port"))
    p.add_argument("--spec-dir", metavar="DIR", help=h("spec_dir"))
    p.add_argument("--workers", type=whole, default=1, metavar="N", help=h("workers"))
    p.add_argument("--max-body", type=whole, default=4 * 1024 * 1024, metavar="BYTES", help=h("max_body"))
    p.add_argument("--timeout", type=number, default=30.0, metavar="SECONDS", help=h("timeout"))
    p.add_argument("--password-file", metavar="FILE", help=h("password_file"))
    p.add_argument("--hash-password", metavar="NAME", help=h("hash_password"))
    p.add_argument("--upload-ttl", type=number, default=3600.0, metavar="SECONDS", help=h("upload_ttl"))
    p.add_argument("--max-upload", type=whole, default=20 * 1024 * 1024, metavar="BYTES", help=h("max_upload"))
    p.add_argument("--max-uploads", type=whole, default=50, metavar="N", help=h("max_uploads"))
    p.set_defaults(handler=cmd_serve)

    parser.add_argument("--errors", choices=("text", "json"), default="text", help=h("errors"))
    parser.add_argument("--lang", choices=("zh", "en"), default=None, help=h("lang"))
    for name, command in sub.choices.items():  # the same options also after the command, e.g. `score - --errors json`
        command.add_argument("--errors", choices=("text", "json"), default=argparse.SUPPRESS, help=h("errors"))
        command.add_argument("--lang", choices=("zh", "en"), default=argparse.SUPPRESS, help=h("lang"))
        command.add_argument("--allow-dir", action="append", default=[], metavar="DIR", help=h("allow_dir"))
        if name in _WRITERS:
            command.add_argument("--force", action="store_true", help=h("force"))
    return parser


_WRITERS = ("score", "report", "explain", "bulletin", "check", "show", "facts-schema", "template", "convert", "rules")
"""The commands that write files, each with ``--force``."""

def date_of(written: str) -> dt.date:
    """The date ``written`` as a cell may hold it: 2021-12-31, 2021/12/31, 2021.12.31, 2021年12月31日, 20211231.

    Full-width digits count as digits. A ValueError when it is none of these, or no such day.

    >>> date_of("2021年12月31日"), date_of("2021/1/5"), date_of("２０２１－１２－３１"), date_of("20211231")
    (datetime.date(2021, 12, 31), datetime.date(2021, 1, 5), datetime.date(2021, 12, 31), datetime.date(2021, 12, 31))
    """
    from .. import periods

    return periods.written_date(written, digits=True)


def _argument_type(lang: str, code: str, convert: Callable[[str], Any], name: str) -> Callable[[str], Any]:
    """An argparse type that converts with ``convert`` and refuses with the catalogue's ``code`` in ``lang``."""
    from ..messages import text

    def parse(value: str) -> Any:
        try:
            return convert(value)
        except ValueError:
            raise argparse.ArgumentTypeError(text(code, lang, value=repr(value))) from None

    parse.__name__ = name
    return parse


def _date_type(lang: str) -> Callable[[str], Any]:
    return _argument_type(lang, "cli.not_date", date_of, "date")


def _period_or_date(value: str) -> dt.date | str:
    """A period (2021Q2, 2021H1, 2021-06) as its label: a snapshot as of its last day; else a date."""
    from .. import periods

    plain = unicodedata.normalize("NFKC", value).strip()
    try:
        periods.parse(plain)
        return plain
    except ValueError:
        return date_of(plain)


def _date_or_period_type(lang: str) -> Callable[[str], Any]:
    return _argument_type(lang, "cli.not_date_or_period", _period_or_date, "date_or_period")


def _count_of_jobs(value: str) -> int:
    jobs = int(value)
    if jobs < 0:
        raise ValueError(value)
    return jobs


def _jobs_type(lang: str) -> Callable[[str], Any]:
    return _argument_type(lang, "cli.not_jobs", _count_of_jobs, "jobs")


def _int_type(lang: str) -> Callable[[str], Any]:
    return _argument_type(lang, "cli.not_whole", int, "int")


def _float_type(lang: str) -> Callable[[str], Any]:
    return _argument_type(lang, "cli.not_number", float, "float")


@contextlib.contextmanager
def progress_bar(err: TextIO, total: int, what: str) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on ``err`` when it is a terminal, shown once the work has taken a second; else None."""
    if not (hasattr(err, "isatty") and err.isatty()) or total <= 0:
        yield None
        return
    from tqdm import tqdm

    from ..messages import text

    with tqdm(total=total, file=err, delay=1.0, unit=text("cli.progress_units", _current().lang), desc=what,
              leave=False) as bar:

        def advance(done: int) -> None:
            bar.update(done)

        yield advance


def _to_stdout(output: str | None) -> bool:
    return output is None or output == STDOUT


def write_output(text: str | bytes, output: str | None, stdout: TextIO) -> None:
    """Write to stdout (no ``-o``, or ``-o -``), or to ``output`` whole or not at all (see :mod:`assessrules.files`).

    Replacing an existing file is said in one line on the run's stderr (``已覆盖 结果.xlsx``); call
    :func:`guard_output` first, before the work, so that an input or entered data is never replaced.
    """
    from ..files import is_null, write_whole

    if _to_stdout(output):
        if isinstance(text, bytes):
            from ..errors import UsageError
            from ..messages import problem

            raise UsageError([problem("usage.output_stdout", format=".xlsx", extension=".xlsx")])
        stdout.write(text)
        return
    assert output is not None
    replacing = not is_null(output) and os.path.isfile(output)
    write_whole(output, text)
    if replacing:
        _note_overwrote(output)


def _note_overwrote(output: str) -> None:
    from ..messages import text

    run = _current()
    if run.err is not None:
        run.err.write(text("cli.overwrote", run.lang, file=output) + "\n")


_INPUTS = ("facts", "units", "spec", "specs", "old", "new", "tests")
"""The arguments that name a command's input files."""


def guard_output(target: str | None, inputs: Sequence[str | None] = (), *, force: bool = False) -> bool:
    """Refuse to write ``target`` if it is one of ``inputs`` (exit 2), or holds entered data and not ``force``.

    Returns whether an existing file will be replaced. Standard output and the null device are always fine.
    """
    from ..errors import UsageError
    from ..files import check_target, is_null
    from ..inputs.entered import holds_entered_data
    from ..messages import problem

    if _to_stdout(target) or is_null(target or ""):
        return False
    assert target is not None
    check_target(target)
    if not os.path.isfile(target):
        return False
    for given in inputs:
        if given and given != STDOUT and os.path.exists(given) and os.path.samefile(given, target):
            raise UsageError([problem("usage.overwrite_input", file=target, input=given)])
    if not force and holds_entered_data(target):
        raise UsageError([problem("usage.overwrite_data", file=target)])
    return True


def _guard(args: argparse.Namespace, target: str | None = None) -> bool:
    """:func:`guard_output` for ``args.output`` (or ``target``), with the command's inputs and ``--force``."""
    inputs: list[str] = []
    for name in _INPUTS:
        value = getattr(args, name, None)
        inputs.extend(value if isinstance(value, list) else [value] if isinstance(value, str) else [])
    return guard_output(target if target is not None else args.output, inputs, force=getattr(args, "force", False))


_EXTENSIONS = {".xlsx": "xlsx", ".csv": "csv", ".json": "json", ".html": "html", ".htm": "html", ".txt": "text",
               ".docx": "docx", ".pdf": "pdf", ".md": "md"}


def output_format(args: argparse.Namespace, allowed: Sequence[str], text: str = "table") -> str:
    """The output format: from the -o file's extension, else --format, else ``text``; anything else is a usage error.

    The output is checked first (:func:`guard_output`): never an input, never entered data without ``--force``.
    """
    from ..errors import UsageError
    from ..files import is_null
    from ..messages import problem

    chosen: str | None = getattr(args, "format", None)
    _guard(args)
    if _to_stdout(args.output) or is_null(args.output):
        return chosen or text
    extension = os.path.splitext(args.output)[1].lower()
    found = _EXTENSIONS.get(extension)
    shown = [e for e, f in _EXTENSIONS.items() if (text if f == "text" else f) in allowed and e != ".htm"]
    if found is None:
        raise UsageError([problem("usage.output_extension", file=args.output, extension=extension or "—",
                                  extensions=shown)])
    fmt = text if found == "text" else found
    if fmt not in allowed:
        raise UsageError([problem("usage.output_unsupported", file=args.output, extension=extension,
                                  extensions=shown)])
    if chosen is not None and chosen != fmt:
        raise UsageError([problem("usage.output_mismatch", file=args.output, format=chosen, extension=extension)])
    if fmt == "pdf":
        from ..outputs.documents.printed import require_pdf

        require_pdf()  # before the work: without the [pdf] extra, say how to get it
    return fmt


def _issued(args: argparse.Namespace, spec: Spec, results: Sequence[Any], fmt: str,
            make: Callable[[Letterhead], IssuedDocument]) -> str | bytes:
    """A document an office issues (公示, 通报, 扣分明细, report) as .docx, .pdf or .html, under the letterhead
    of ``--issuer``, ``--number`` and ``--date`` (by default the spec's issuer, a blank 文号, the assessment date)."""
    from ..outputs.documents.build import letterhead_of

    document = make(letterhead_of(spec, results, args.issuer, args.number, args.date))
    if fmt == "docx":
        from ..outputs.documents.word import render_docx

        return render_docx(document)
    from ..outputs.documents import printed

    return printed.render_pdf(document) if fmt == "pdf" else printed.render_html(document)


def _with_bom(text: str, args: argparse.Namespace) -> str:
    """CSV written to a file starts with a BOM, so that Excel on Chinese Windows reads it as UTF-8."""
    return "\ufeff" + text if not _to_stdout(args.output) else text


def _require_units(args: argparse.Namespace, document: Document) -> list[Any]:
    """The document's units; a workbook or file with none filled in is an error (exit 1), never an empty result."""
    from ..errors import FactsError
    from ..inputs.facts_file import units_of
    from ..messages import problem

    units = units_of(document)
    if not units:
        raise FactsError([problem("facts.no_units", file=args.facts)])
    return units


def _spec_for(args: argparse.Namespace, document: Document) -> Spec:
    """The spec ``--spec`` names, else the facts file's ``spec:`` (under the file-access policy), else 2021."""
    from ..engine.spec import load_spec
    from ..errors import UsageError
    from ..inputs.facts_file import spec_of

    if args.spec is not None:
        if not args.spec.strip():
            from ..messages import problem

            raise UsageError([problem("usage.spec_empty")])
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
    lang = _lang(args)
    failed = 0
    total = 0
    for source in args.specs:
        try:
            if str(source).endswith(".tests.yaml"):  # a scenario file: its spec loads, and so do its cases
                from ..authoring.scenarios import load_cases, spec_for_cases

                cases = load_cases(load_spec(spec_for_cases(source), allow=args.allow_dir), source)
                code = "cli.valid_case" if len(cases) == 1 else "cli.valid_cases"
                out.write(text(code, lang, source=source, count=len(cases)) + "\n")
                continue
            spec = load_spec(source, allow=args.allow_dir)
        except SpecError as exc:
            failed += 1
            total += len(exc.problems)
            for problem in exc.problems:
                err.write(_render(problem, args) + "\n")
            continue
        nodes = len(spec.nodes) - 1
        out.write(text("cli.valid_spec" if spec.graded else "cli.valid_spec_ungraded", lang, source=spec.source,
                       title=spec.metadata.title, indicators=nodes, rules=len(spec.triggers), facts=len(spec.facts),
                       grades=len(spec.grades), assumptions=len(spec.assumptions)) + "\n")
        _warn(spec.warnings, args, out, err)
    if failed:
        if lang == "zh":
            err.write(text("cli.spec_problems", lang, count=total, failed=failed, total=len(args.specs)) + "\n")
        else:
            err.write(f"{total} problem{'s' if total != 1 else ''} in {failed} of {len(args.specs)} "
                      f"spec{'s' if len(args.specs) != 1 else ''}\n")
        return 2
    return 0


def cmd_score(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Score every unit of a facts file and report in the chosen format."""
    from ..inputs.facts_file import read_facts, score_document
    from ..messages import text
    from ..outputs.report import render_csv, render_json, render_json_compact, render_json_compact_bytes, render_table

    fmt = output_format(args, ("table", "json", "csv", "xlsx", "html", "docx", "pdf"))
    document = read_facts(args.facts, _spec_source(args))
    spec = _spec_for(args, document)
    units = _require_units(args, document)
    with progress_bar(err, len(units), text("cli.progress_scoring", _lang(args))) as progress:
        results = score_document(spec, document, args.as_of, jobs=args.jobs, progress=progress)
    groups = spec.score_groups(results)  # 全县 and the like, from the members' results
    if fmt in ("docx", "pdf"):  # the 公示 of the ranking
        from ..outputs.documents.build import publicity

        write_output(_issued(args, spec, results, fmt,
                             lambda head: publicity(spec, results, head, groups, _lang(args))), args.output, out)
    elif fmt == "xlsx":
        from ..outputs.workbook import render_workbook

        write_output(render_workbook(spec, results, groups), args.output, out)
    elif fmt == "html":
        write_output(_report_html(spec, document, results, groups), args.output, out)
    elif fmt == "csv":
        write_output(_with_bom(render_csv(spec, results, ids=args.ids, groups=groups, lang=_lang(args)), args),
                     args.output, out)
    elif fmt == "json" and not args.full:  # each unit's inputs are in the facts file already
        write_output(render_json_compact(spec, results, groups) if _to_stdout(args.output)
                     else render_json_compact_bytes(spec, results, groups), args.output, out)
    elif fmt == "json":
        write_output(render_json(spec, results, groups), args.output, out)
    else:
        write_output(render_table(spec, results, groups, _lang(args)), args.output, out)
    return 0


def _report_html(spec: Spec, document: Document, results: Sequence[Any], groups: Sequence[Any] = ()) -> str:
    """The HTML report, with the bulletin of each quarter of the spec's year when it records months,
    and the spec's groups (考核组) when it has any."""
    from ..outputs.html import render_report

    return render_report(spec, results, _bulletins(spec, document), groups=groups)


def _bulletins(spec: Spec, document: Document) -> list[Any]:
    """The bulletin of each quarter of the spec's year, when it records months."""
    from ..errors import FactsError
    from ..inputs.facts_file import locate, units_of

    if "month" not in spec.period_kinds or spec.year is None:
        return []
    try:
        return [spec.bulletin(units_of(document), f"{spec.year}Q{q}") for q in range(1, 5)]
    except FactsError as exc:
        raise FactsError(locate(exc.problems, document)) from None


def cmd_report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write the printable HTML report of a facts file."""
    from ..inputs.facts_file import read_facts, score_document

    fmt = output_format(args, ("html", "docx", "pdf"), text="html")
    document = read_facts(args.facts, _spec_source(args))
    spec = _spec_for(args, document)
    _require_units(args, document)
    results = score_document(spec, document, args.as_of)
    groups = spec.score_groups(results)
    if fmt == "html":
        write_output(_report_html(spec, document, results, groups), args.output, out)
        return 0
    from ..outputs.documents.build import report

    bulletins = _bulletins(spec, document)
    write_output(_issued(args, spec, results, fmt, lambda head: report(
        spec, results, head, bulletins=bulletins, groups=groups, lang=_lang(args))), args.output, out)
    return 0


def cmd_explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Explain one unit of a facts file."""
    import attrs

    from ..errors import FactsError
    from ..inputs.facts_file import as_of_of, locate, read_facts
    from ..jsontext import indented

    fmt = output_format(args, ("text", "json", "html", "xlsx", "docx", "pdf") if args.all else ("text", "json"),
                        text="text")
    document = read_facts(args.facts, _spec_source(args))
    spec = _spec_for(args, document)
    units = _require_units(args, document)
    if args.all:
        from ..inputs.facts_file import score_document

        results = score_document(spec, document, args.as_of)
        if fmt in ("docx", "pdf"):  # the 扣分明细
            from ..outputs.documents.build import deductions

            write_output(_issued(args, spec, results, fmt, lambda head: deductions(spec, results, head, _lang(args))),
                         args.output, out)
        else:
            write_output(_accounts(spec, results, fmt, _lang(args)), args.output, out)
        return 0
    i = find_unit(units, args.unit, args.facts)
    if any(isinstance(u, dict) and u.get("parent") is not None for u in units):
        from ..inputs.facts_file import score_document

        result = score_document(spec, document, args.as_of)[i]  # sub-units first: a parent reads their results
    else:
        result = None
    try:
        result = result or spec.evaluate(units[i], as_of=args.as_of or as_of_of(document))
    except FactsError as exc:
        moved = [attrs.evolve(p, path=("units", i, *p.path)) for p in exc.problems]
        raise FactsError(locate(moved, document)) from None
    if fmt == "json":
        write_output(indented(result.to_dict()) + "\n", args.output, out)
    else:
        write_output(result.explain(_lang(args)), args.output, out)
    return 0


def _accounts(spec: Spec, results: Sequence[Any], fmt: str, lang: str = "zh") -> str | bytes:
    """Every unit's account, ordered by unit type then rank, in one text, JSON, HTML or xlsx file."""
    from ..engine.ranking import ranked
    from ..jsontext import indented

    ordered = ranked(spec, results)
    if fmt == "html":
        from ..outputs.html import render_accounts

        return render_accounts(spec, ordered)
    if fmt == "xlsx":
        from ..outputs.workbook import accounts_workbook, stamp_of, workbook_bytes

        return workbook_bytes(accounts_workbook(spec, ordered), stamp_of(ordered))
    if fmt == "json":
        return indented([r.to_dict() for r in ordered]) + "\n"
    return ("\n" + "═" * 40 + "\n\n").join(r.explain(lang) for r in ordered)


def find_unit(units: Sequence[Any], wanted: str, file: str) -> int:
    """The position of the unit whose id, or else whose name, is ``wanted``; a usage error with a did-you-mean if none."""
    import difflib

    from ..errors import UsageError
    from ..messages import problem

    entries = [(i, str(u.get("id")), str(u.get("name", ""))) for i, u in enumerate(units) if isinstance(u, dict)]
    for i, uid, _ in entries:
        if uid == wanted:
            return i
    named = [(i, uid) for i, uid, name in entries if name == wanted]
    if len(named) == 1:
        return named[0][0]
    if named:
        raise UsageError([problem("usage.unit_ambiguous", file=file, count=len(named), wanted=wanted,
                                  ids=[f"`{uid}`" for _, uid in named])])
    words = {uid: uid for _, uid, _ in entries} | {name: f"{name} ({uid})" for _, uid, name in entries if name}
    close = difflib.get_close_matches(wanted, list(words), n=3, cutoff=0.5)
    if close:
        raise UsageError([problem("usage.unit_unknown", file=file, wanted=wanted,
                                  close=[f"`{words[c]}`" for c in close])])
    ids = [uid for _, uid, _ in entries[:10]] + (["…"] if len(entries) > 10 else [])
    raise UsageError([problem("usage.unit_not_listed", file=file, wanted=wanted, ids=ids)])


def cmd_bulletin(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print the bulletin of one quarter."""
    from ..errors import FactsError
    from ..inputs.facts_file import locate, read_facts, units_of
    from ..outputs.report import BULLETIN_REPORTERS, render_bulletin_csv, render_bulletin_table

    fmt = output_format(args, ("table", "json", "csv", "docx", "pdf"))
    document = read_facts(args.facts, _spec_source(args))
    spec = _spec_for(args, document)
    _require_units(args, document)
    try:
        made = spec.bulletin(units_of(document), args.quarter)
    except FactsError as exc:
        raise FactsError(locate(exc.problems, document)) from None
    if fmt in ("docx", "pdf"):  # the quarterly 通报
        from ..outputs.documents.build import bulletin_notice

        results = [e.result for e in made.entries]
        write_output(_issued(args, spec, results, fmt, lambda head: bulletin_notice(spec, made, head, _lang(args))),
                     args.output, out)
    elif fmt == "csv":
        write_output(_with_bom(render_bulletin_csv(made, ids=args.ids, lang=_lang(args)), args), args.output, out)
    elif fmt == "table":
        write_output(render_bulletin_table(made, _lang(args)), args.output, out)
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
        from ..messages import problem

        raise UsageError([problem("usage.check_extra")]) from None
    from ..engine.spec import load_spec
    from ..errors import UsageError

    if not 1 <= args.examples <= MAX_EXAMPLES:
        from ..messages import problem

        raise UsageError([problem("usage.examples", most=f"{MAX_EXAMPLES:,}", given=args.examples)])
    from ..authoring._words import say
    from ..messages import text

    spec = load_spec(args.spec, allow=args.allow_dir)
    _warn(spec.warnings, args, out, err)  # what next year's removals left behind, as validate says it
    lang = _lang(args)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    out.write(text("authoring.checking", lang, source=spec.source, title=spec.metadata.title, count=len(INVARIANTS),
                   examples=args.examples, thorough=text("authoring.thorough", lang) if args.thorough else "",
                   seed=seed) + "\n")
    started = time.monotonic()
    summaries = {inv.name: say(inv.summary, lang) for inv in INVARIANTS}
    began = [started]

    def progress(name: str, state: str) -> None:
        if state == "running":
            began[0] = time.monotonic()
            out.write(f"  {name:<17} {_cut(summaries[name], 70)} … ")
        else:
            out.write(text("authoring.state", lang, state=text(f"authoring.state_{state}", lang),
                           seconds=f"{time.monotonic() - began[0]:.1f}") + "\n")
        out.flush()

    violations = check_spec(spec, args.examples, seed, progress, thorough=args.thorough)
    elapsed = f"{time.monotonic() - started:.1f}"
    for violation in violations:
        out.write(f"\n{violation.render(lang)}\n")
    if args.counterexamples:
        _write_counterexamples(args.counterexamples, args.spec, violations, out)
    errors = [v for v in violations if v.severity != "warning"]
    warnings = len(violations) - len(errors)
    also = (text("authoring.warning_one", lang) if warnings == 1 else text("authoring.warnings", lang, count=warnings)
            if warnings else "")
    if errors:
        out.write("\n" + text("authoring.broken", lang, broken=len(errors), count=len(INVARIANTS), also=also,
                              seconds=elapsed) + "\n")
        return 1
    out.write(("\n" if warnings else "")
              + text("authoring.all_hold", lang, count=len(INVARIANTS), also=also, seconds=elapsed) + "\n")
    return 0


def _cut(line: str, columns: int) -> str:
    """The start of ``line`` that fits in ``columns`` of a terminal (a Chinese character takes two)."""
    from ..outputs.report import width

    while width(line) > columns:
        line = line[:-1]
    return line


def _write_counterexamples(directory: str, spec_source: str, violations: Sequence[object], out: TextIO) -> None:
    """Write each violation's units as ``DIR/NN-invariant.yaml``, a facts file whose ``spec:`` resolves from DIR.

    ``spec:`` is the bundled id, or the spec's path relative to DIR; the comment at the top gives the command
    that scores the file, with absolute paths, so that it runs as copied from any folder.
    """
    from ..authoring.invariants import Violation
    from ..messages import text

    run = _current()
    reference, command = counterexample_reference(directory, spec_source)
    how = text("cli.counterexample_how", run.lang, command=command)
    os.makedirs(directory, exist_ok=True)
    for number, violation in enumerate(violations, 1):
        assert isinstance(violation, Violation)
        if not violation.units():
            continue
        path = os.path.join(directory, f"{number:02d}-{violation.invariant}.yaml")
        guard_output(path, (spec_source,), force=run.force)
        write_output(violation.facts_file(reference, how.replace("THIS_FILE", _quoted(os.path.abspath(path)))),
                     path, out)
        out.write(text("cli.counterexample_written", run.lang, file=path) + "\n")


def counterexample_reference(directory: str, spec_source: str) -> tuple[str, str]:
    """What a counterexample file in ``directory`` writes as ``spec:``, and the command that scores it.

    A bundled id stays an id; a spec file is named by its path relative to ``directory`` (``/`` between
    folders, read the same on Windows), which lies outside the file's folder, so the command allows the
    spec's folder with ``--allow-dir``. ``THIS_FILE`` in the command stands for the file's own path.
    """
    from .. import _resources

    if not os.path.isfile(spec_source) and spec_source in _resources.bundled_specs():
        return spec_source, "assessrules score THIS_FILE"
    spec = os.path.abspath(spec_source)
    folder = os.path.abspath(directory)
    try:
        reference = os.path.relpath(spec, folder).replace(os.sep, "/")
    except ValueError:  # another drive (Windows): only the absolute path reaches it
        reference = spec.replace(os.sep, "/")
    command = f"assessrules score THIS_FILE --allow-dir {_quoted(os.path.dirname(spec))}"
    return reference, command


def _quoted(path: str) -> str:
    """``path`` as a shell reads it as one word (double quotes when it holds a space or a quote)."""
    return f'"{path}"' if re.search(r"[\s'\"&;|<>()$`]", path) else path


def cmd_test(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run a spec's scenario tests; exit 1 if any fails."""
    from ..authoring.scenarios import default_tests_for, load_cases, render_outcomes, run_cases
    from ..engine.spec import load_spec
    from ..errors import UsageError

    spec = load_spec(args.spec, allow=args.allow_dir)
    path = args.tests or default_tests_for(spec)
    if path is None:
        from ..messages import problem

        raise UsageError([problem("usage.no_scenarios", spec=spec.source, name=args.spec)])
    outcomes = run_cases(spec, load_cases(spec, path))
    shown = str(path) if args.tests else os.path.join(os.path.dirname(spec.source), os.path.basename(path))
    out.write(render_outcomes(shown, outcomes, _lang(args)))
    return 0 if all(o.passed for o in outcomes) else 1


def cmd_show(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print the effective (merged) spec as YAML, after checking it."""
    from ..engine.spec import spec_from_document
    from ..messages import text
    from ..rules.access import allowed_roots
    from ..rules.document import dump_yaml
    from ..rules.loader import effective_document

    _guard(args)
    document = effective_document(args.spec, allowed_roots(args.allow_dir))
    spec = spec_from_document(document, args.allow_dir)  # checked before it is shown; already merged, so read once
    header = text("cli.effective_spec", _lang(args), id=spec.metadata.id, sources=" + ".join(spec.sources)) + "\n"
    write_output(header + dump_yaml(document.data), args.output, out)
    return 0


def cmd_rules(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write the spec as its 考评细则 (Markdown on stdout, or -o .md .html .docx .pdf); --changes marks what differs
    from the spec it extends, or from OTHER."""
    from ..engine.spec import load_spec
    from ..errors import UsageError
    from ..messages import problem
    from ..outputs.documents.rules import rules_document

    fmt = output_format(args, ("md", "html", "docx", "pdf"), text="md")
    spec = load_spec(args.spec, allow=args.allow_dir)
    base = None
    if args.changes == "":  # the spec its `extends:` names, found as the loader finds it
        from ..rules.access import allowed_roots
        from ..rules.extend import resolve_base
        from ..rules.loader import read_spec_document

        child = read_spec_document(args.spec)
        if not isinstance(child.data, dict) or "extends" not in child.data:
            raise UsageError([problem("usage.rules_no_base", spec=args.spec)])
        _, path = resolve_base(child, allowed_roots(args.allow_dir))
        base = load_spec(path, allow=[*args.allow_dir, os.path.dirname(path)])
    elif args.changes is not None:
        base = load_spec(args.changes, allow=args.allow_dir)
    document = rules_document(spec, base=base, lang=_lang(args))
    if fmt == "docx":
        from ..outputs.documents.word import render_docx

        write_output(render_docx(document), args.output, out)
    elif fmt in ("html", "pdf"):
        from ..outputs.documents import printed

        write_output(printed.render_pdf(document) if fmt == "pdf" else printed.render_html(document), args.output, out)
    else:
        from ..outputs.documents.markdown import render_markdown

        write_output(render_markdown(document), args.output, out)
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
        out.write(render_diff(old, new, changes, _lang(args)))
    _warn(new.warnings, args, out, err)  # what next year's removals left behind
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
        out.write(render_impact(old, new, moved, len(units), _lang(args)))
    return 0


def cmd_facts_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print the JSON Schema of a facts file for a spec."""
    import json

    from ..engine.spec import load_spec

    _guard(args)
    spec = load_spec(args.spec, allow=args.allow_dir)
    write_output(json.dumps(spec.facts_schema(), ensure_ascii=False, indent=2) + "\n", args.output, out)
    return 0


def cmd_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Serve the bundled specs (and those in --spec-dir) over HTTP until stopped."""
    from ..errors import UsageError
    from ..messages import problem

    try:
        from ..service.app import serve
        from ..service.guard import account_line, check_name, new_password, write_account
    except ImportError as exc:
        raise UsageError([problem("usage.serve_extra", detail=str(exc))]) from None
    if args.hash_password is not None:  # make an account's line of the password file, and stop
        from ..messages import text

        check_name(args.hash_password)
        line = account_line(args.hash_password, new_password(_lang(args)))
        if args.password_file is None:
            out.write(line + "\n")
        else:
            write_account(args.password_file, line)
            err.write(text("out.guard_written", _lang(args), name=args.hash_password, file=args.password_file) + "\n")
        return 0
    return serve(host=args.host, port=args.port, spec_dir=args.spec_dir, workers=args.workers,
                 max_body=args.max_body, timeout=args.timeout, password_file=args.password_file, lang=_lang(args),
                 upload_ttl=args.upload_ttl, max_upload=args.max_upload, max_uploads=args.max_uploads)


def _lang(args: argparse.Namespace | None) -> str:
    from ..messages import default_language

    chosen: str | None = getattr(args, "lang", None)
    return chosen or default_language()


def _warn(warnings: Sequence[Problem], args: argparse.Namespace, out: TextIO, err: TextIO) -> None:
    """Print a loaded spec's warnings (what an extending spec left behind) on stderr, after what ``out`` has
    already taken: they fail nothing."""
    from ..messages import text

    if warnings:
        out.flush()
    for warning in warnings:
        err.write(text("cli.spec_warning", _lang(args), problem=_render(warning, args)) + "\n")


def _render(problem: Problem, args: argparse.Namespace | None) -> str:
    from ..messages import render_problem

    return render_problem(problem, _lang(args))


def _validate_json(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``validate --errors json``: one problems document with the problems of every spec."""
    import json

    from ..engine.spec import load_spec
    from ..errors import SpecError
    from ..messages import text

    problems: list[Problem] = []
    for source in args.specs:
        try:
            spec = load_spec(source)
        except SpecError as exc:
            problems.extend(exc.problems)
            continue
        out.write(text("cli.valid", _lang(args), source=spec.source) + "\n")
        _warn(spec.warnings, args, out, err)
    if problems:
        from ..messages import error_document

        err.write(json.dumps(error_document(SpecError(problems), _lang(args)), ensure_ascii=False, indent=2) + "\n")
        return 2
    return 0


def _report_error(exc: AssessRulesError, args: argparse.Namespace, err: TextIO) -> None:
    """Print an error's problems on stderr, as text in the chosen language or as one JSON document."""
    import json

    from ..messages import error_document, text

    if args.errors == "json":  # the codes are the same in either language; the words are in the chosen one
        err.write(json.dumps(error_document(exc, _lang(args)), ensure_ascii=False, indent=2) + "\n")
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
    from ..messages import text

    _workbook_output(args.output)
    replacing = _guard(args)
    spec = load_spec(args.spec, allow=args.allow_dir)
    units = units_of(read_facts(args.units, spec)) if args.units else []
    write_workbook(spec, args.output, units, spec_ref=args.spec, as_of=args.as_of)
    if replacing:
        _note_overwrote(args.output)
    if units:
        out.write(text("cli.wrote_template_units", _lang(args), file=args.output, title=spec.metadata.title,
                       count=len(units)) + "\n")
    else:
        out.write(text("cli.wrote_template", _lang(args), file=args.output, title=spec.metadata.title) + "\n")
    return 0


def _workbook_output(output: str) -> None:
    from ..errors import UsageError
    from ..files import is_null
    from ..messages import problem

    if output == STDOUT:
        raise UsageError([problem("usage.output_stdout", format=".xlsx", extension=".xlsx")])
    if not is_null(output) and not output.lower().endswith(".xlsx"):
        raise UsageError([problem("usage.output_unsupported", file=output,
                                  extension=os.path.splitext(output)[1] or "—", extensions=[".xlsx"])])


def cmd_convert(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Convert a facts file to another format, after checking it against its spec, losing nothing."""
    from ..errors import UsageError
    from ..files import is_null
    from ..inputs.convert import FORMATS, dump_facts
    from ..inputs.facts_file import read_facts, score_document
    from ..messages import problem, text
    from ..rules.document import dump_yaml

    target = os.path.splitext(args.output)[1].lower()
    if args.output != STDOUT and not is_null(args.output) and target not in FORMATS:
        raise UsageError([problem("usage.output_extension", file=args.output, extension=target or "—",
                                  extensions=list(FORMATS))])
    replacing = _guard(args)
    document = read_facts(args.facts, _spec_source(args))
    spec = _spec_for(args, document)
    units = _require_units(args, document)
    score_document(spec, document)  # refuse what does not pass the spec's checks: it would not convert faithfully
    if args.output == STDOUT:
        out.write(dump_yaml(document.data))
        return 0
    if is_null(args.output):
        return 0
    dump_facts(spec, document.data, args.output, spec_ref=args.spec)
    if replacing:
        _note_overwrote(args.output)
    out.write(text("cli.wrote_converted", _lang(args), file=args.output, count=len(units)) + "\n")
    return 0


def run(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line with ``argv``; return the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = language_of(argv)
    try:
        with argparse_in(lang), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = _parser(lang).parse_args(argv)
    except SystemExit as exc:  # argparse has printed its help or usage message
        return int(exc.code or 0)
    handler: Callable[[argparse.Namespace, TextIO, TextIO], int] = args.handler
    from ..errors import AssessRulesError

    token = _RUN.set(_Run(_lang(args), bool(getattr(args, "force", False)), err))
    try:
        return handler(args, out, err)
    except AssessRulesError as exc:
        _report_error(exc, args, err)
        return exc.exit_code
    except OSError as exc:
        _report_error(_os_error(exc), args, err)
        return 2
    finally:
        _RUN.reset(token)


def _os_error(exc: OSError) -> AssessRulesError:
    """A file that could not be read or written, as a usage problem naming it."""
    import errno

    from ..errors import UsageError
    from ..messages import problem

    file = os.fsdecode(exc.filename) if exc.filename is not None else None
    if exc.errno == errno.ENOENT:
        return UsageError([problem("usage.not_found", file=file)])
    if exc.errno in (errno.EACCES, errno.EPERM):
        return UsageError([problem("usage.permission", file=file)])
    return UsageError([problem("usage.file", file=file, reason=exc.strerror or str(exc))])


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
        from ..messages import text

        sys.stderr.write(text("cli.internal_error", language_of(sys.argv[1:]), prog="assessrules",
                              error=f"{type(exc).__name__}: {exc}") + "\n")
        code = 3
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
