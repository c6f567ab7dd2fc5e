"""The office's web pages, in Chinese, on the same Starlette application as the JSON API.

首页 lists the served specs, each with its template (blank, or pre-filled with the units of a previous facts
file), its 考评细则 and its upload form. An upload is read with the same readers as the command line (a
workbook: .xlsx, .xlsm, .xls, .ods; or a YAML/JSON facts file) and scored with the spec chosen; its problems are
listed all at once (工作表 / 单元格 / 单位 / 问题 / 怎么改) and nothing is scored, or its results are kept in a
temporary folder (:mod:`.uploads`) and shown: the ranking per unit type with its charts, each unit's 扣分明细,
the quarterly bulletins, and the downloads — each made on its first request, then kept with the upload.

Every page is rendered from the jinja2 templates beside this module with autoescape on: a unit's name is always
text. No page has a script; the stylesheet ships in the package (``static/site.css``). Every sentence comes
from the catalogue (``out.web_*``, ``catalogue/web.py``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
import urllib.parse
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
import attrs
import jinja2
import markupsafe
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from ..._version import __version__
from ...engine.ranking import competition_ranks, ranked
from ...errors import AssessRulesError, FactsError, Problem
from ...messages import problem, problem_message, text
from ...numbers import format_points
from ...outputs.documents import build, printed
from ...outputs.documents.model import MERGED, Chart, Document, Table
from .uploads import FullError, Uploads

LANG = "zh"
FORMATS = (".xlsx", ".xlsm", ".xls", ".ods", ".yaml", ".yml", ".json")
"""The files an upload may be: a filled workbook or a facts file."""
UPLOAD_PATH = re.compile(r"^/web/specs/[^/]+/(upload|template)$")
"""The form posts that carry a file: their body may be as large as ``--max-upload`` (others keep ``--max-body``)."""
FORM_SLACK = 64 * 1024
"""What a form adds to its file (boundaries, headers, the other fields), in bytes."""
_QUARTER = re.compile(r"^(\d{4})-(\d{2})$")


def say(code: str, **values: object) -> str:
    """A line of the web pages, from the catalogue (``out.web_<code>``)."""
    return text(f"out.web_{code}", LANG, **values)


def body_limit(scope: Scope, max_body: int, max_upload: int) -> int:
    """The largest request body for this request: an upload form takes ``max_upload`` (and its form's slack)."""
    if scope.get("method") == "POST" and UPLOAD_PATH.match(scope.get("path", "")):
        return max(max_body, max_upload + FORM_SLACK)
    return max_body


@attrs.frozen
class ProblemRow:
    """One problem as the table shows it: 工作表 / 单元格 / 单位 / 问题 / 怎么改."""

    sheet: str
    cell: str
    unit: str
    message: str
    hint: str


def problem_rows(problems: Sequence[Problem]) -> list[ProblemRow]:
    """The problems in the page's words: where each is (a workbook's sheet and cell, or a file's line), what, how."""
    rows = []
    for p in problems:
        message, hint = problem_message(p, LANG)
        sheet, cell = "—", "—"
        if p.cell:
            sheet, _, cell = p.cell.rpartition("!")
            sheet = sheet or "—"
        elif p.line is not None:
            cell = say("line", line=p.line) if p.column is None else say("line_column", line=p.line, column=p.column)
        rows.append(ProblemRow(sheet, cell, p.unit or "—", message, hint or "—"))
    return rows


@attrs.define
class Scored:
    """What one upload gave: the spec, the facts read, the results; the bulletins once asked for."""

    spec_id: str
    spec: Any
    units: list[Any]
    results: list[Any]
    groups: tuple[Any, ...]
    name: str
    _bulletins: dict[str, Any] = attrs.field(factory=dict)
    _lock: threading.Lock = attrs.field(factory=threading.Lock)

    def quarters(self) -> list[str]:
        """The quarters the data covers (a month of it falls in them), when the spec records months."""
        if "month" not in self.spec.period_kinds:
            return []
        found: set[tuple[int, int]] = set()
        for unit in self.units:
            periods = unit.get("periods") if isinstance(unit, dict) else None
            for key in periods or ():
                matched = _QUARTER.match(str(key))
                if matched:
                    found.add((int(matched[1]), (int(matched[2]) - 1) // 3 + 1))
        return [f"{year}Q{q}" for year, q in sorted(found)]

    def bulletin(self, quarter: str) -> Any:
        """The bulletin of ``quarter``, made once."""
        with self._lock:
            if quarter not in self._bulletins:
                self._bulletins[quarter] = self.spec.bulletin(self.units, quarter)
            return self._bulletins[quarter]

    def in_order(self) -> list[Any]:
        """The results by unit type (spec order), then rank."""
        return ranked(self.spec, self.results)


def _read_and_score(spec: Any, path: Path, as_of: dt.date | None) -> tuple[list[Any], list[Any]]:
    """The units of the file at ``path`` and their results; raise the library's error with every problem."""
    from ...inputs.facts_file import read_facts, score_document, units_of

    document = read_facts(path, spec)
    units = units_of(document)
    if not units:
        raise FactsError([problem("facts.no_units", file=path.name)])
    return units, score_document(spec, document, as_of)


@attrs.frozen
class Download:
    """One download of an upload's results: its file name in the address, the name it is saved under, its type."""

    key: str
    saved_as: str
    media: str
    label: str


_MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
}


def _pdf_available() -> bool:
    try:
        printed.require_pdf()
    except AssessRulesError:
        return False
    return True


class Site:
    """The web pages of one service: their routes, the uploads they keep, the start-up and shutdown sweeps."""

    def __init__(self, registry: Any, *, upload_ttl: float, max_upload: int, max_uploads: int) -> None:
        self.registry = registry
        self.max_upload = max_upload
        self.uploads = Uploads(upload_ttl, max_uploads)
        self._scored: OrderedDict[str, Scored] = OrderedDict()
        self._lock = threading.Lock()
        self._making: dict[tuple[str, str], threading.Lock] = {}  # one lock per download being made
        self._keep = max(1, min(max_uploads, 8))  # results held in memory; others are read again from their folder
        self.pdf = _pdf_available()
        env = printed._environment()
        env.loader = jinja2.ChoiceLoader([jinja2.PackageLoader("assessrules.service.web", "templates"),
                                          env.loader or jinja2.DictLoader({})])
        env.trim_blocks = env.lstrip_blocks = True
        env.globals.update(say=say, version=__version__, points=format_points, MERGED=MERGED, anchors=frozenset())
        env.filters["spans"] = code_spans
        self.env = env

    # --- the application's life -------------------------------------------------------------

    @asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        """Sweep expired uploads when the service starts, then every little while (so that an upload is deleted on
        time even when nobody asks for a page); delete this process's uploads when it stops."""
        self.uploads.sweep()
        every = max(0.5, min(self.uploads.ttl / 4, 60.0))

        async def sweeping() -> None:
            while True:
                await anyio.sleep(every)
                await anyio.to_thread.run_sync(self.uploads.sweep)

        try:
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(sweeping)
                try:
                    yield
                finally:
                    tasks.cancel_scope.cancel()
        finally:
            self.uploads.close()

    def routes(self) -> list[BaseRoute]:
        """The pages' routes (``/`` is 首页)."""
        return [
            Route("/", self.home),
            Mount("/static", app=StaticFiles(packages=[("assessrules.service.web", "static")]), name="static"),
            Route("/web/specs/{id}/template", self.template, methods=["GET", "POST"]),
            Route("/web/specs/{id}/upload", self.upload, methods=["GET", "POST"]),
            Route("/web/specs/{id}/rules", self.rules),
            Route("/web/specs/{id}/rules.{kind}", self.rules),
            Route("/web/results/{token}", self.results),
            Route("/web/results/{token}/units/{n:int}", self.unit),
            Route("/web/results/{token}/bulletins/{quarter}", self.bulletin),
            Route("/web/results/{token}/files/{name}", self.file),
        ]

    # --- helpers ------------------------------------------------------------------------------

    def page(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        """The page ``template`` rendered; one showing an upload's data (``token`` or ``rows`` given) is not cached."""
        html = self.env.get_template(template).render(**values)
        private = "token" in values or "rows" in values
        return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"} if private else None)

    def message(self, status: int, title: str, words: str, *, back: str = "/") -> HTMLResponse:
        return self.page("message.html.j2", status, title=title, words=words, back=back)

    def entry(self, spec_id: str) -> Any:
        entry = self.registry.entries.get(spec_id)
        return entry if entry is not None and entry.spec is not None else None

    def scored(self, token: str) -> tuple[Scored, Path] | None:
        """The results of upload ``token`` (held, or read and scored again from its folder), if it has not expired."""
        found = self.uploads.find(token)
        if found is None:
            with self._lock:
                self._scored.pop(token, None)
                for key in [k for k in self._making if k[0] == token]:
                    del self._making[key]
            return None
        folder, meta = found
        with self._lock:
            held = self._scored.get(token)
            if held is not None:
                self._scored.move_to_end(token)
                return held, folder
        entry = self.entry(str(meta.get("spec")))
        if entry is None:
            return None
        as_of = dt.date.fromisoformat(meta["as_of"]) if meta.get("as_of") else None
        try:
            units, results = _read_and_score(entry.spec, folder / meta["input"], as_of)
        except AssessRulesError:
            return None
        made = Scored(entry.id, entry.spec, units, results, entry.spec.score_groups(results), meta.get("name", ""))
        self._hold(token, made)
        return made, folder

    def _hold(self, token: str, made: Scored) -> None:
        with self._lock:
            self._scored[token] = made
            while len(self._scored) > self._keep:
                self._scored.popitem(last=False)

    def gone(self) -> HTMLResponse:
        return self.message(404, say("gone_title"), say("gone", minutes=_minutes(self.uploads.ttl)))

    def not_found(self) -> HTMLResponse:
        return self.message(404, say("not_found_title"), say("not_found"))

    # --- 首页 ---------------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        self.uploads.sweep()
        specs = []
        for entry in self.registry.entries.values():
            if entry.spec is None:
                specs.append({"id": entry.id, "valid": False})
                continue
            meta = entry.spec.metadata
            specs.append({"id": entry.id, "valid": True, "title": meta.title, "number": meta.document_number,
                          "year": entry.spec.year})
        return self.page("home.html.j2", specs=specs, minutes=_minutes(self.uploads.ttl),
                         limit=_size(self.max_upload), formats="、".join(FORMATS))

    # --- 下载填报模板 ----------------------------------------------------------------------------

    async def template(self, request: Request) -> Response:
        entry = self.entry(request.path_params["id"])
        if entry is None:
            return self.not_found()
        self.uploads.sweep()
        spec = entry.spec
        upload: UploadFile | None = None
        if request.method == "POST":
            async with request.form(max_files=1, max_fields=4) as form:
                given = form.get("units")
                if isinstance(given, UploadFile) and given.filename:
                    upload = given
                if upload is None:
                    return await self._template_bytes(spec, entry.id, [])
                refused = self._refuse_file(upload)
                if refused is not None:
                    return self.message(refused[0], say("template_failed"), refused[1])
                with self.uploads.scratch() as folder:
                    path = folder / ("units" + _extension(upload.filename or ""))
                    await _save(upload, path)

                    def read() -> list[Any]:
                        from ...inputs.facts_file import read_facts, units_of

                        return units_of(read_facts(path, spec))

                    try:
                        units = await anyio.to_thread.run_sync(read, abandon_on_cancel=True)
                    except AssessRulesError as exc:
                        return self.page("problems.html.j2", 422, spec=_spec_view(entry), name=upload.filename,
                                         rows=problem_rows(exc.problems), for_template=True)
            return await self._template_bytes(spec, entry.id, units)
        return await self._template_bytes(spec, entry.id, [])

    async def _template_bytes(self, spec: Any, spec_id: str, units: Sequence[Any]) -> Response:
        def make() -> bytes:
            import io

            from ...inputs.template import build_workbook

            out = io.BytesIO()
            build_workbook(spec, units, spec_ref=spec_id).save(out)
            return out.getvalue()

        data = await anyio.to_thread.run_sync(make, abandon_on_cancel=True)
        return _attachment(data, say("template_file", year=spec.year or spec_id, ext="xlsx"), _MEDIA["xlsx"], "template.xlsx")

    # --- 上传数据评分 ---------------------------------------------------------------------------

    def _refuse_file(self, upload: UploadFile) -> tuple[int, str] | None:
        """Why an uploaded file is not taken (its type or size) with the status to answer, or None."""
        name = upload.filename or ""
        if not name.lower().endswith(FORMATS):
            return 415, say("bad_type", formats="、".join(FORMATS))
        size = upload.size if upload.size is not None else 0
        if size > self.max_upload:
            return 413, say("too_large", limit=_size(self.max_upload))
        if size == 0:
            return 400, say("empty_file")
        return None

    async def upload(self, request: Request) -> Response:
        entry = self.entry(request.path_params["id"])
        if entry is None:
            return self.not_found()
        self.uploads.sweep()
        view = _spec_view(entry)
        values: dict[str, Any] = {"spec": view, "minutes": _minutes(self.uploads.ttl), "limit": _size(self.max_upload),
                  "formats": "、".join(FORMATS), "error": None}
        if request.method == "GET":
            return self.page("upload.html.j2", **values)
        async with request.form(max_files=1, max_fields=4) as form:
            given = form.get("facts")
            as_of_text = str(form.get("as_of") or "").strip()
            if not isinstance(given, UploadFile) or not given.filename:
                return self.page("upload.html.j2", 400, **{**values, "error": say("no_file")})
            refused = self._refuse_file(given)
            if refused is not None:
                return self.page("upload.html.j2", refused[0], **{**values, "error": refused[1]})
            as_of: dt.date | None = None
            if as_of_text:
                try:
                    as_of = dt.date.fromisoformat(as_of_text)
                except ValueError:
                    return self.page("upload.html.j2", 400, **{**values, "error": say("bad_date", value=as_of_text)})
            name = re.split(r"[\\/]", given.filename or "")[-1]  # an old browser on Windows sends the whole path
            ext = _extension(name)
            meta = {"spec": entry.id, "as_of": as_of.isoformat() if as_of else None, "input": "input" + ext,
                    "name": name}
            try:
                token, folder = self.uploads.create(meta)
            except FullError:
                return self.message(503, say("full_title"), say("full", minutes=_minutes(self.uploads.ttl)))
            await _save(given, folder / meta["input"])
        spec = entry.spec
        try:
            units, results = await anyio.to_thread.run_sync(
                lambda: _read_and_score(spec, folder / meta["input"], as_of), abandon_on_cancel=True)
        except AssessRulesError as exc:
            self.uploads.discard(token)
            return self.page("problems.html.j2", 422, spec=view, name=name, rows=problem_rows(exc.problems),
                             for_template=False)
        except BaseException:
            self.uploads.discard(token)
            raise
        self._hold(token, Scored(entry.id, spec, units, results, spec.score_groups(results), name))
        return RedirectResponse(f"/web/results/{token}", status_code=303)

    # --- the results --------------------------------------------------------------------------

    async def results(self, request: Request) -> Response:
        self.uploads.sweep()
        found = await anyio.to_thread.run_sync(self.scored, request.path_params["token"])
        if found is None:
            return self.gone()
        made, _ = found
        token = request.path_params["token"]
        return self.page("results.html.j2", **_results_view(made, token), downloads=self.downloads(made),
                         minutes=_minutes(self.uploads.ttl))

    async def unit(self, request: Request) -> Response:
        self.uploads.sweep()
        found = await anyio.to_thread.run_sync(self.scored, request.path_params["token"])
        if found is None:
            return self.gone()
        made, _ = found
        order = made.in_order()
        n = request.path_params["n"]
        if not 0 <= n < len(order):
            return self.not_found()
        result = order[n]
        table, _ = build.account_rows(result, LANG)
        rank = next(rank for rank, r in competition_ranks([r for r in order if r.unit.type == result.unit.type])
                    if r is result)
        return self.page("unit.html.j2", token=request.path_params["token"], spec=made.spec, result=result,
                         type_label=made.spec.unit_types[result.unit.type].label, rank=rank, table=_table_view(table),
                         name=made.name)

    async def bulletin(self, request: Request) -> Response:
        self.uploads.sweep()
        token = request.path_params["token"]
        found = await anyio.to_thread.run_sync(self.scored, token)
        if found is None:
            return self.gone()
        made, _ = found
        quarter = request.path_params["quarter"]
        if quarter not in made.quarters():
            return self.not_found()

        def make() -> Document:
            head = build.letterhead_of(made.spec, made.results)
            return build.bulletin_notice(made.spec, made.bulletin(quarter), head, LANG)

        document = await anyio.to_thread.run_sync(make, abandon_on_cancel=True)
        return self.page("document.html.j2", document=document, back=f"/web/results/{token}", token=token,
                         back_label=say("back_results"),
                         downloads=[{"href": f"/web/results/{token}/files/{d.key}", "label": d.label}
                                    for d in self.downloads(made) if d.key.startswith(f"bulletin-{quarter}.")])

    def downloads(self, made: Scored) -> list[Download]:
        """What may be downloaded of these results (PDF where WeasyPrint is installed)."""
        out = [Download("results.xlsx", say("file_results", ext="xlsx"), _MEDIA["xlsx"], say("dl_results_xlsx")),
               Download("report.html", say("file_results", ext="html"), _MEDIA["html"], say("dl_report_html")),
               Download("results.json", say("file_results", ext="json"), _MEDIA["json"], say("dl_results_json"))]
        kinds = ("docx", "pdf") if self.pdf else ("docx",)
        for doc in ("publicity", "deductions"):
            for kind in kinds:
                out.append(Download(f"{doc}.{kind}", say(f"file_{doc}", ext=kind), _MEDIA[kind],
                                    say(f"dl_{doc}", kind="." + kind)))
        for quarter in made.quarters():
            words = say("quarter", year=quarter[:4], number=quarter[-1])
            for kind in kinds:
                out.append(Download(f"bulletin-{quarter}.{kind}", say("file_bulletin", quarter=words, ext=kind),
                                    _MEDIA[kind], say("dl_bulletin", quarter=words, kind="." + kind)))
        return out

    async def file(self, request: Request) -> Response:
        self.uploads.sweep()
        token = request.path_params["token"]
        found = await anyio.to_thread.run_sync(self.scored, token)
        if found is None:
            return self.gone()
        made, folder = found
        name = request.path_params["name"]
        chosen = next((d for d in self.downloads(made) if d.key == name), None)
        if chosen is None:
            return self.not_found()
        path = folder / chosen.key
        with self._lock:
            making = self._making.setdefault((token, chosen.key), threading.Lock())

        def get() -> bytes:
            # One request makes a download; another asking meanwhile waits for it. A request that times out leaves
            # the making to finish, so that asking again later finds the file.
            with making:
                if path.is_file():
                    return path.read_bytes()
                data = _render(made, chosen.key)
                tmp = path.with_name(path.name + ".part")
                tmp.write_bytes(data)
                os.replace(tmp, path)
                return data

        data = await anyio.to_thread.run_sync(get, abandon_on_cancel=True)
        return _attachment(data, chosen.saved_as, chosen.media, chosen.key)

    # --- 考评细则 -------------------------------------------------------------------------------

    async def rules(self, request: Request) -> Response:
        entry = self.entry(request.path_params["id"])
        if entry is None:
            return self.not_found()
        from ...outputs.documents.rules import rules_document

        kind = request.path_params.get("kind")
        if kind is not None and kind not in self._rule_kinds():
            return self.not_found()
        document = await anyio.to_thread.run_sync(lambda: rules_document(entry.spec, lang=LANG), abandon_on_cancel=True)
        if kind is not None:
            data = await anyio.to_thread.run_sync(lambda: _document_bytes(document, kind), abandon_on_cancel=True)
            return _attachment(data, say("file_rules", title=entry.spec.metadata.title, ext=kind), _MEDIA[kind],
                               f"rules.{kind}")
        downloads = [{"href": f"/web/specs/{entry.id}/rules.{k}", "label": say("dl_rules", kind="." + k)}
                     for k in self._rule_kinds()]
        return self.page("document.html.j2", document=document, back="/", back_label=say("back_home"),
                         downloads=downloads)

    def _rule_kinds(self) -> tuple[str, ...]:
        return ("docx", "html", "pdf") if self.pdf else ("docx", "html")


# --- views ------------------------------------------------------------------------------------


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:g}"


def _size(limit: int) -> str:
    return f"{limit / (1024 * 1024):.3g} MB" if limit >= 1024 * 1024 else f"{limit / 1024:.3g} KB"


def _extension(name: str) -> str:
    ext = os.path.splitext(name)[1].lower()
    return ext if ext in FORMATS else ".bin"


async def _save(upload: UploadFile, path: Path) -> None:
    with path.open("wb") as sink:
        while chunk := await upload.read(1024 * 1024):
            sink.write(chunk)


def _attachment(data: bytes, saved_as: str, media: str, fallback: str) -> Response:
    """``data`` to be saved as ``saved_as`` (said as RFC 6266 ``filename*``; ``fallback``: ASCII, for old browsers)."""
    quoted = urllib.parse.quote(saved_as, safe="")
    return Response(data, media_type=media, headers={
        "Content-Disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quoted}",
        "Cache-Control": "no-store"})


def _spec_view(entry: Any) -> dict[str, Any]:
    meta = entry.spec.metadata
    return {"id": entry.id, "title": meta.title, "number": meta.document_number, "year": entry.spec.year}


@attrs.frozen
class TableView:
    """A document's table as the pages show it: header cells, and rows of (text lines, numeric, continues)."""

    header: tuple[str, ...]
    rows: tuple[tuple[tuple[tuple[str, ...], bool, bool], ...], ...]
    caption: str | None
    total: bool


def _table_view(table: Table) -> TableView:
    rows = tuple(tuple((tuple(cell.split("\n")) if cell != MERGED else (), j in table.numeric, cell == MERGED)
                       for j, cell in enumerate(row)) for row in table.rows)
    return TableView(table.header, rows, table.caption, table.total)


def _bins(spec: Any, group: Sequence[Any]) -> list[tuple[str, int]]:
    """Ten equal bins over the graded scale, as the report's score chart has them."""
    scale: Decimal = spec.graded_scale
    step = scale / 10
    out = []
    for i in range(10):
        low, high = step * i, step * (i + 1)
        out.append((format_points(low), sum(1 for r in group
                                            if low <= r.score and (r.score < high or (i == 9 and r.score <= high)))))
    other = sum(1 for r in group if r.score > scale or r.score < 0)
    if other:
        out.append((text("out.doc_chart_other", LANG), other))
    return out


def _results_view(made: Scored, token: str) -> dict[str, Any]:
    """The ranking per unit type (with each unit's position in the page's order, for its link) and the charts."""
    spec = made.spec
    types: list[dict[str, Any]] = []
    position = 0
    by_type: dict[str, list[Any]] = {}
    for r in made.in_order():
        by_type.setdefault(r.unit.type, []).append(r)
    for type_id, group in by_type.items():
        label = spec.unit_types[type_id].label
        rows = []
        for rank, r in competition_ranks(group):
            rows.append({"rank": rank, "n": position, "name": r.unit.name, "score": format_points(r.score),
                         "grade": r.grade if spec.graded else None, "commended": r.commended,
                         "deduction": format_points(r.deduction) if r.deduction else None})
            position += 1
        charts = []
        if spec.graded:
            grades = [(g.label, sum(1 for r in group if r.grade_index == i)) for i, g in enumerate(spec.grades)]
            charts.append(Chart(text("out.doc_chart_grades", LANG, label=label),
                                text("out.doc_chart_grades_caption", LANG, label=label), build.bars(grades),
                                text("out.doc_chart_units", LANG), text("out.doc_col_grade", LANG)))
        charts.append(Chart(text("out.doc_chart_scores", LANG, label=label),
                            text("out.doc_chart_scores_caption", LANG, label=label), build.bars(_bins(spec, group)),
                            text("out.doc_chart_units", LANG), text("out.doc_col_score", LANG)))
        types.append({"label": label, "count": len(group), "rows": rows, "charts": charts})
    grade_counts = [(g.label, sum(1 for r in made.results if r.grade_index == i)) for i, g in enumerate(spec.grades)]
    quarters = [(q, say("quarter", year=q[:4], number=q[-1])) for q in made.quarters()]
    return {"token": token, "spec": spec, "types": types, "grade_counts": grade_counts, "count": len(made.results),
            "quarters": quarters, "name": made.name, "graded": spec.graded}


def code_spans(words: str) -> markupsafe.Markup:
    """A catalogue sentence as HTML: escaped, its `code spans` as <code> (never the backticks themselves).

    >>> str(code_spans("请填 `TRUE` 或 <b>"))
    '请填 <code>TRUE</code> 或 &lt;b&gt;'
    """
    escaped = str(markupsafe.escape(words))
    return markupsafe.Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped))


def _render(made: Scored, key: str) -> bytes:
    """The download ``key`` of these results, made now."""
    spec, results, groups = made.spec, made.results, made.groups
    if key == "results.xlsx":
        from ...outputs.workbook import render_workbook

        return render_workbook(spec, results, groups)
    if key == "results.json":
        from ...outputs.report import render_json_compact_bytes

        return render_json_compact_bytes(spec, results, groups)
    bulletins = [made.bulletin(q) for q in made.quarters()]
    if key == "report.html":
        from ...outputs.html import render_report

        return render_report(spec, results, bulletins, groups=groups).encode("utf-8")
    stem, _, kind = key.partition(".")
    head = build.letterhead_of(spec, results)
    make: Callable[[], Document]
    if stem == "publicity":
        make = lambda: build.publicity(spec, results, head, groups, LANG)  # noqa: E731
    elif stem == "deductions":
        make = lambda: build.deductions(spec, results, head, LANG)  # noqa: E731
    else:
        quarter = stem.removeprefix("bulletin-")
        make = lambda: build.bulletin_notice(spec, made.bulletin(quarter), head, LANG)  # noqa: E731
    return _document_bytes(make(), kind)


def _document_bytes(document: Document, kind: str) -> bytes:
    """``document`` as .docx, .pdf or .html."""
    if kind == "docx":
        from ...outputs.documents.word import render_docx

        return render_docx(document)
    if kind == "html":
        return printed.render_html(document).encode("utf-8")
    return printed.render_pdf(document)


__all__ = ["FORMATS", "ProblemRow", "Site", "body_limit", "problem_rows", "say"]
