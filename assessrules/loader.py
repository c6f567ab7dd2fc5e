"""Load a spec: read it, check it against the JSON Schema, build the model, check its sense.

Every problem is collected before failing; :class:`~assessrules.errors.SpecError`
carries them all, each with file, line, column, path, message and hint.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import itertools
import json
import os
from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

import attrs

from . import _resources
from .derive import DERIVED_KINDS, Derived
from .errors import Path, Problem, SpecError, sort_problems, with_code
from .expressions import FUNCTIONS, Expression, ExpressionError, Name, check_expression
from .facts import FACT_TYPES, Fact, FactValueError
from .kinds import KINDS, TRIGGER_KEYS, Trigger, build_trigger
from .model import Assumption, Bonus, Conversion, Grade, Indicator, Metadata, Parameter, UnitType
from .numbers import format_points, parse_fraction
from .yamlio import Document, DocumentError, load_document, read_document

if TYPE_CHECKING:
    import jsonschema

    from .spec import Spec

ROOT_ID = "total"
RUN_NAMES = frozenset({"as_of"})
"""Names every expression may read that come from the run, not from the facts."""


@cache
def spec_schema() -> dict[str, Any]:
    """The JSON Schema of a spec (format 1), as data."""
    with open(_resources.spec_schema_path(), encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


@cache
def _validator() -> jsonschema.protocols.Validator:
    import jsonschema

    base = jsonschema.validators.validator_for(spec_schema())
    # YAML reads 2021-01-01 as a date: to the schema it is the string it was written as.
    checker = base.TYPE_CHECKER.redefine(
        "string", lambda _checker, value: isinstance(value, str | dt.date))
    cls = jsonschema.validators.extend(base, type_checker=checker)  # type: ignore[no-untyped-call]
    return cls(spec_schema())  # type: ignore[no-any-return]


def resolve_spec(source: str | os.PathLike[str]) -> FsPath:
    """Turn ``"2021"`` (a bundled spec id) or a path into the path of a spec file."""
    text = os.fspath(source)
    bundled = _resources.bundled_specs()
    if text in bundled and not FsPath(text).exists():
        return bundled[text]
    path = FsPath(text)
    if not path.exists() and not any(sep in text for sep in "/\\") and not text.endswith((".yaml", ".yml")):
        known = ", ".join(bundled) or "none"
        raise SpecError([Problem(f"no spec file `{text}` and no bundled spec of that id", (), text,
                                 hint=f"give a path to a .yaml file, or a bundled id ({known})", code="spec.not_found")])
    return path


def load_spec(source: str | os.PathLike[str]) -> Spec:
    """Load, check and compile a spec from a path or a bundled id such as ``"2021"``.

    >>> spec = load_spec("2021")
    >>> spec.metadata.document_number
    '镇考办发〔2021〕10号'
    """
    return spec_from_document(read_spec_document(source))


def read_spec_document(source: str | os.PathLike[str]) -> Document:
    """Read the spec file ``source`` names (a bundled one is called ``specs/<name>`` in messages)."""
    path = resolve_spec(source)
    try:
        return read_document(path, _resources.shown(path))
    except DocumentError as exc:
        raise SpecError(with_code(exc.problems, "spec.file")) from None


def effective_document(source: str | os.PathLike[str]) -> Document:
    """The spec as it takes effect: read, with every ``extends:`` merged in (not yet checked)."""
    from .extend import expand

    return expand(read_spec_document(source))


def spec_from_text(text: str, file: str = "<text>") -> Spec:
    """Load a spec from YAML text; ``file`` names it in messages.

    >>> spec_from_text(open("specs/2021.yaml", encoding="utf-8").read(), "2021.yaml").metadata.year
    2021
    """
    try:
        document = load_document(text, file)
    except DocumentError as exc:
        raise SpecError(with_code(exc.problems, "spec.file")) from None
    return spec_from_document(document)


def spec_from_document(document: Document) -> Spec:
    """Check and compile a spec already read into a :class:`Document` (following ``extends:``)."""
    from .extend import expand

    if not isinstance(document.data, dict):
        raise SpecError([document.problem("a spec must be a mapping of keys (spec_format, metadata, facts, …)", (),
                                          "start from specs/2021.yaml")])
    document = expand(document)
    problems = schema_problems(document)
    if problems:
        raise SpecError(sort_problems(with_code(problems, "spec.schema")))
    builder = _Builder(document)
    spec = builder.build()
    if builder.problems or spec is None:
        raise SpecError(sort_problems(builder.problems))
    return spec


# --- schema problems, in a person's words -------------------------------------------


def schema_problems(document: Document) -> list[Problem]:
    """Check ``document.data`` against the spec schema; return located problems."""
    if not isinstance(document.data, dict):
        return [document.problem("a spec must be a mapping of keys (spec_format, metadata, facts, …)", (),
                                 "start from specs/2021.yaml")]
    problems = []
    for error in _validator().iter_errors(document.data):
        problems.extend(_explain_schema_error(error, document))
    return problems


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "nothing (null)"
    if isinstance(value, int | Decimal | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


_TYPE_WORDS = {"object": "a mapping of keys", "array": "a list", "string": "text", "number": "a number",
               "integer": "a whole number", "boolean": "true or false", "null": "nothing"}


def _explain_schema_error(error: jsonschema.ValidationError, document: Document) -> list[Problem]:
    path: Path = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    hint = schema.get("description")
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(schema.get("properties", {}))
        out = []
        for key in error.instance:
            if key in allowed:
                continue
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            out.append(document.problem(
                f"unknown key `{key}`", path + (key,),
                f"did you mean `{close[0]}`?" if close else f"allowed here: {', '.join(allowed)}", at_key=True))
        return out
    if kind == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else error.message
        sub = schema.get("properties", {}).get(missing, {})
        return [document.problem(f"missing `{missing}`", path, sub.get("description") or hint)]
    if kind == "type" or (kind == "anyOf" and error.context and all(e.validator == "type" for e in error.context)):
        wanted: list[Any] = []
        for e in error.context if kind == "anyOf" else [error]:
            value: Any = e.validator_value
            wanted.extend([value] if isinstance(value, str) else value)
        wanted_text = " or ".join(_TYPE_WORDS.get(w, w) for w in dict.fromkeys(wanted))
        if isinstance(error.instance, bool) and "string" in wanted:
            hint = "YAML reads yes/no/on/off/true/false as true/false: put the word in quotes, e.g. 'no'"
        return [document.problem(f"expected {wanted_text}, got {_describe(error.instance)}", path, hint)]
    if kind in ("enum", "const"):
        options: Any = error.validator_value
        choices = list(options) if kind == "enum" else [options]
        return [document.problem(f"{_describe(error.instance)} is not allowed here; expected one of: "
                                 f"{', '.join(map(str, choices))}", path, hint)]
    if kind == "pattern":
        return [document.problem(f"{_describe(error.instance)} does not have the expected form", path, hint)]
    if kind == "anyOf":
        return [document.problem(f"{_describe(error.instance)} is not valid here", path, hint)]
    if kind in ("minItems", "minProperties"):
        return [document.problem("this must not be empty", path, hint)]
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return [document.problem(f"{_describe(error.instance)} is out of range ({kind} {error.validator_value})",
                                 path, hint)]
    if kind == "propertyNames":
        return [document.problem(f"`{error.instance}` is not a valid name", path, hint
                                 or "use lower-case letters, digits and _")]
    return [document.problem(error.message, path, hint)]


# --- building the model ---------------------------------------------------------------


class _Builder:
    """Walks checked data into the model, collecting every problem on the way."""

    def __init__(self, document: Document) -> None:
        self.doc = document
        self.data: dict[str, Any] = document.data
        self.problems: list[Problem] = []
        self.names: dict[str, Name] = {}
        self.parameters: dict[str, Parameter] = {}
        self.assumptions: dict[str, Assumption] = {}
        self.triggers: list[Trigger] = []
        self.node_count = 0
        self.context_name = ""
        self.period_kinds: set[str] = set()

    # the BuildContext protocol, lent to trigger kinds

    def problem(self, message: str, path: Path, hint: str | None = None, code: str = "spec.invalid") -> None:
        prefix = f"{self.context_name}: " if self.context_name else ""
        self.problems.append(attrs.evolve(self.doc.problem(prefix + message, path, hint), code=code))

    def expression(self, raw: Any, path: Path, expect: str, each: str | None = None, record: Fact | None = None,
                   *, names: Mapping[str, Name] | None = None) -> Expression | None:
        if raw is None:
            self.problem("missing expression", path)
            return None
        if isinstance(raw, bool | int | Decimal):
            raw = str(raw)
        if each is not None and each not in self.period_kinds:
            self.problem(f"`each: {each}` but no fact is recorded per {each}", path[:-1] + ("each",),
                         f"declare the facts this rule reads with `period: {each}`")
            return None
        scope = self.scope(each, record) if names is None else names
        try:
            return check_expression(raw, scope, expect)  # type: ignore[arg-type]
        except ExpressionError as exc:
            for p in exc.problems:
                where = f" at character {p.offset + 1}" if p.offset else ""
                self.problem(f"in `{raw}`{where}: {p.message}", path, p.hint, "spec.expression")
            return None

    def points(self, raw: Any, path: Path, positive: bool = True) -> Decimal | None:
        if raw is None:
            self.problem("missing points", path)
            return None
        if isinstance(raw, str):
            params = {n: info for n, info in self.names.items() if info.kind == "parameter"}
            expr = self.expression(raw, path, "number", names=params)
            if expr is None:
                return None
            value = Decimal(expr.interpret({n: self.parameters[n].value for n in expr.names}))
        else:
            value = Decimal(raw)
        if positive and value < 0:
            self.problem(f"points must not be negative, got {format_points(value)}", path,
                         "write the size of the deduction; `deduct:` already takes it away")
            return None
        return value

    def newest(self, path: Path, others: Sequence[Path]) -> Path:
        """Of ``path`` and ``others``, the one written in the most derived file (for a spec that extends another)."""
        order = {f: i for i, f in enumerate(self.doc.sources)}
        if not order:
            return path
        newest = max([path, *others], key=lambda p: order.get(self.doc.file_of(p), -1))
        return path if self.doc.file_of(newest) == self.doc.file_of(path) else newest

    def assumption_ref(self, ref: Any, path: Path) -> None:
        if ref is not None and ref not in self.assumptions:
            close = difflib.get_close_matches(str(ref), list(self.assumptions), n=1)
            self.problem(f"no assumption with id `{ref}`", path,
                         f"did you mean `{close[0]}`?" if close else "add it under `assumptions:`", "spec.unknown_assumption")

    # the sections

    def build(self) -> Spec | None:
        from .spec import Spec

        d = self.data
        metadata = self.metadata(d["metadata"])
        unit_types = {k: UnitType(k, v["label"], v.get("description")) for k, v in d["unit_types"].items()}
        self.build_assumptions(d.get("assumptions", []))
        self.build_parameters(d.get("parameters", {}))
        self.names["as_of"] = Name("date", "run", "考核日期（assessment date）")
        facts = self.build_facts(d["facts"])
        periodic = sorted({f.period for f in facts.values() if f.period})
        self.period_kinds = set(periodic)
        year = metadata.year or (metadata.effective_from.year if metadata.effective_from else None)
        if periodic and year is None:
            self.problem("facts are recorded per period, so the spec needs `metadata.year`", ("metadata",),
                         "add e.g. `year: 2021`")
        derived = self.build_derived(d.get("derived", {}), facts)
        self.floors = d.get("floors", "each")
        root = self.build_root(d, metadata, unit_types)
        conversion = None
        if "conversion" in d:
            c = d["conversion"]
            conversion = Conversion(Decimal(c["to"]), c.get("places"), c.get("clause"))
        graded = conversion.to if conversion else metadata.scale
        bonus_cap = Decimal((d.get("bonus") or {}).get("cap", 0)) * graded / metadata.scale
        grades = self.build_grades(d["grades"], graded + bonus_cap)
        direct = self.build_direct(d.get("direct_deductions"))
        bonus = self.build_bonus(d.get("bonus"), metadata.scale)
        vetoes = self.build_vetoes(d.get("veto", []), grades)
        for trigger in self.triggers:
            trigger.check(facts, self.problem)
        if self.problems or root is None:
            return None
        sha = hashlib.sha256(self.doc.text.encode("utf-8")).hexdigest()
        return Spec(
            metadata=metadata, unit_types=unit_types, parameters=self.parameters, facts=facts, root=root,
            grades=tuple(grades), direct_deductions=tuple(direct), assumptions=self.assumptions,
            triggers=tuple(self.triggers), source=self.doc.file, sha256=sha, derived=tuple(derived),
            direct_clause=(d.get("direct_deductions") or {}).get("clause"),
            bonus=bonus, vetoes=tuple(vetoes), conversion=conversion,
            not_applicable=d.get("not_applicable", "full_marks"),
            limit_to_target=bool((d.get("direct_deductions") or {}).get("limit_to_target", True)),
            positions=self.doc.positions, sources=self.doc.sources or (self.doc.file,),
        )

    def metadata(self, m: dict[str, Any]) -> Metadata:
        dates: dict[str, dt.date | None] = {}
        for key in ("effective_from", "effective_to"):
            raw = m.get(key)
            if raw is None or isinstance(raw, dt.date):
                dates[key] = raw
                continue
            try:
                dates[key] = dt.date.fromisoformat(str(raw))
            except ValueError:
                self.problem(f"`{raw}` is not a date", ("metadata", key), "write it as 2021-01-01")
                dates[key] = None
        if dates["effective_from"] and dates["effective_to"] and dates["effective_from"] > dates["effective_to"]:
            self.problem("`effective_from` is after `effective_to`", ("metadata", "effective_to"))
        return Metadata(id=str(m["id"]), title=m["title"], issuer=m.get("issuer"),
                        document_number=m.get("document_number"), year=m.get("year"),
                        effective_from=dates["effective_from"], effective_to=dates["effective_to"],
                        scale=Decimal(m["scale"]))

    def build_assumptions(self, raw: Sequence[dict[str, Any]]) -> None:
        for i, a in enumerate(raw):
            if a["id"] in self.assumptions:
                self.problem(f"two assumptions have the id `{a['id']}`", ("assumptions", i, "id"), "give each its own id",
                             "spec.duplicate_id")
                continue
            value = a.get("value")
            self.assumptions[a["id"]] = Assumption(a["id"], a["clause"], a["text"],
                                                   None if value is None else str(value))

    def build_parameters(self, raw: Mapping[str, dict[str, Any]]) -> None:
        for name, p in raw.items():
            path = ("parameters", name)
            if name in FUNCTIONS:
                self.problem(f"`{name}` is the name of a function", path, "choose another name", "spec.reserved_name")
            self.assumption_ref(p.get("assumption"), path + ("assumption",))
            self.parameters[name] = Parameter(name, Decimal(p["value"]), p["label"], p.get("clause"), p.get("assumption"))
            self.names[name] = Name("number", "parameter", p["label"])

    def build_facts(self, raw: Mapping[str, dict[str, Any]]) -> dict[str, Fact]:
        facts: dict[str, Fact] = {}
        for name, f in raw.items():
            path: Path = ("facts", name)
            if name in self.parameters:
                self.problem(f"`{name}` is declared both as a fact and as a parameter", path, "rename one of them",
                             "spec.duplicate_name")
                continue
            if name in FUNCTIONS or name in RUN_NAMES:
                self.problem(f"`{name}` is a reserved name", path, "choose another name", "spec.reserved_name")
                continue
            fact = self.build_fact(name, f, path)
            if fact is None:
                continue
            facts[name] = fact
            if fact.type == "records":
                self.names[name] = Name("any", "fact", fact.label, usable=False,
                                        hint=f"`{name}` is a list of records: count them under `derived:` "
                                             f"with `count: <condition>` and `of: {name}`")
            elif fact.period is not None:
                word = "month" if fact.period == "month" else "quarter"
                self.names[name] = Name(FACT_TYPES[fact.type].expr_type, "fact", fact.label, fact.values,
                                        period=fact.period, usable=False,
                                        hint=f"`{name}` is recorded per {word}: use it in a rule with `each: {word}`, "
                                             f"or roll it up under `derived:` (sum, mean, min, max, last, count)")
            else:
                self.names[name] = Name(FACT_TYPES[fact.type].expr_type, "fact", fact.label, fact.values)
        return facts

    def build_fact(self, name: str, f: Mapping[str, Any], path: Path, field: bool = False) -> Fact | None:
        """Build one fact declaration (or, with ``field``, one field of a record)."""
        kind = f["type"]
        values = tuple(f["values"]) if "values" in f else None
        if (kind == "enum") != (values is not None):
            self.problem("`values:` is given exactly for enum facts" if values is None or kind == "enum"
                         else f"`values:` does not apply to a {kind} fact", path + ("values",) if values else path,
                         "an enum fact lists its values, e.g. values: [优, 良, 一般, 差]")
            return None
        minimum = Decimal(f["min"]) if "min" in f else None
        maximum = Decimal(f["max"]) if "max" in f else None
        if minimum is not None and maximum is not None and minimum > maximum:
            self.problem(f"`min` ({minimum}) is greater than `max` ({maximum})", path + ("min",))
        if (minimum is not None or maximum is not None) and kind in ("bool", "enum", "date", "text", "records"):
            self.problem(f"a {kind} fact has no `min`/`max`", path)
        fields = None
        if kind == "records":
            if field or "period" in f:
                self.problem("records cannot be nested in a record or recorded per period", path + ("type",))
                return None
            fields = self.build_fields(f.get("fields"), path + ("fields",))
            if fields is None:
                return None
            dated_by = f.get("dated_by")
            if dated_by is not None and (dated_by not in fields or fields[dated_by].type != "date"):
                self.problem(f"`dated_by: {dated_by}` must name a date field of the record", path + ("dated_by",))
        elif "fields" in f:
            self.problem(f"`fields:` is for records, not for a {kind} fact", path + ("fields",))
        method = f.get("method", ())
        fact = Fact(name=name, type=kind, label=f["label"], method=(method,) if isinstance(method, str) else tuple(method),
                    required=bool(f.get("required", False)), minimum=minimum, maximum=maximum, values=values,
                    direction=f.get("direction"), unit=f.get("unit"), description=f.get("description"),
                    period=f.get("period"), fields=fields, dated_by=f.get("dated_by"))
        if "default" in f:
            if fact.required:
                self.problem("a required fact has no default", path + ("default",), "remove `default:` or `required: true`")
                return None
            if f["default"] is None and field:
                return attrs.evolve(fact, nullable=True)
            try:
                return attrs.evolve(fact, default=fact.normalize(f["default"]))
            except FactValueError as exc:
                self.problem(f"the default does not fit the fact: {exc}", path + ("default",))
                return None
        if field:
            return attrs.evolve(fact, required=True)
        if not fact.required:
            self.problem("a fact must be `required: true` or have a `default:`", path,
                         "counts of problems usually default to 0; things an assessor must check are required")
            return None
        return fact

    def build_fields(self, raw: Any, path: Path) -> dict[str, Fact] | None:
        if not raw:
            self.problem("a records fact lists its `fields:`", path, "e.g. fields: {title: {type: text, label: 标题}}")
            return None
        fields = {}
        for name, f in raw.items():
            if name in FUNCTIONS or name in RUN_NAMES or name in self.parameters:
                self.problem(f"`{name}` is a reserved name or a parameter", path + (name,), "choose another name")
                continue
            if "period" in f:
                self.problem("a field of a record is not recorded per period", path + (name, "period"))
                continue
            built = self.build_fact(name, f, path + (name,), field=True)
            if built is not None:
                fields[name] = built
        return fields

    def scope(self, each: str | None = None, record: Fact | None = None) -> dict[str, Name]:
        """The names an expression may use: annual ones, plus one period's or one record's."""
        if each is None and record is None:
            return self.names
        names = dict(self.names)
        if each is not None:
            for name, info in self.names.items():
                if info.period == each:
                    names[name] = attrs.evolve(info, usable=True, hint=None)
        if record is not None:
            for name, field in (record.fields or {}).items():
                names[name] = Name(FACT_TYPES[field.type].expr_type, "field", field.label, field.values)
        return names

    def build_derived(self, raw: Mapping[str, dict[str, Any]], facts: Mapping[str, Fact]) -> list[Derived]:
        out: list[Derived] = []
        for name, d in raw.items():
            path: Path = ("derived", name)
            if name in self.names or name in FUNCTIONS or name in RUN_NAMES:
                self.problem(f"`{name}` is already declared (as a fact, parameter or derived value)", path,
                             "give the derived value its own name")
                continue
            chosen = [k for k in DERIVED_KINDS if k in d]
            if len(chosen) != 1:
                self.problem(f"a derived value needs exactly one of {', '.join(f'`{k}`' for k in DERIVED_KINDS)}",
                             path, "e.g. `sum: info_volume` with `each: month`, or `count: <condition>` with `of: records`")
                continue
            kind = DERIVED_KINDS[chosen[0]]
            each, of = d.get("each"), d.get("of")
            record = facts.get(of) if of is not None else None
            if of is not None and (record is None or record.type != "records"):
                self.problem(f"`of: {of}` must name a records fact", path + ("of",))
                continue
            if kind.kind == "expr" and (each or of):
                self.problem("`expr:` works on annual values; leave out `each:` and `of:`", path)
                continue
            if kind.kind == "count" and bool(each) == bool(of):
                self.problem("`count:` needs either `each: month|quarter` (periods) or `of: <records>` (records)", path)
                continue
            if kind.kind not in ("count", "expr") and not each:
                self.problem(f"`{kind.kind}:` rolls periods up: add `each: month` or `each: quarter`", path)
                continue
            self.context_name = f"派生值「{d['label']}」"
            expression = self.expression(d[kind.kind], path + (kind.kind,), kind.expects, each, record)
            self.context_name = ""
            if expression is None:
                continue
            derived = kind(name=name, label=d["label"], expression=expression, clause=d.get("clause"), each=each,
                           of=of, path=path)
            out.append(derived)
            value_type = expression.type if kind.kind in ("last", "expr") else "number"
            self.names[name] = Name(value_type, "derived", d["label"])
        return out

    def build_root(self, d: dict[str, Any], metadata: Metadata, unit_types: Mapping[str, UnitType]) -> Indicator | None:
        total = dict(d.get("total", {}))
        raw = {"id": ROOT_ID, "name": total.pop("name", metadata.title), "points": metadata.scale,
               "children": d["indicators"], **total}
        self.unit_types = unit_types
        self.seen_ids: dict[str, Path] = {}
        return self.build_indicator(raw, ("total",), depth=0, parent=None, children_path=("indicators",))

    def build_indicator(self, raw: dict[str, Any], path: Path, depth: int, parent: str | None,
                        children_path: Path | None = None) -> Indicator | None:
        index = self.node_count
        self.node_count += 1
        node_id, name = raw["id"], raw["name"]
        if node_id in self.seen_ids:
            self.problem(f"the indicator id `{node_id}` is used twice", path + ("id",), "give each indicator its own id",
                         "spec.duplicate_id")
        self.seen_ids[node_id] = path
        self.context_name = f"指标「{name}」"
        points = self.points(raw["points"], path + ("points",))
        unit_types = raw.get("unit_types")
        for i, ut in enumerate(unit_types or ()):
            if ut not in self.unit_types:
                close = difflib.get_close_matches(ut, list(self.unit_types), n=1)
                self.problem(f"unknown unit type `{ut}`", path + ("unit_types", i),
                             f"did you mean `{close[0]}`?" if close else f"declared: {', '.join(self.unit_types)}")
        default_floor = Decimal(0) if (self.floors == "each" or depth == 0
                                       or (self.floors == "top_level" and depth == 1)) else None
        floor = raw.get("floor", default_floor)
        floor = None if floor is None else Decimal(floor)
        weight = None
        if "weight" in raw:
            try:
                weight = parse_fraction(raw["weight"])
            except ValueError as exc:
                self.problem(str(exc), path + ("weight",))
        applies_if = None
        if "applies_if" in raw:
            applies_if = self.expression(raw["applies_if"], path + ("applies_if",), "bool")
        if floor is not None and points is not None and floor > points:
            self.problem(f"the floor {format_points(floor)} is above the points {format_points(points)}", path + ("floor",),
                         code="spec.floor")
        triggers = self.build_triggers(raw, path)
        kids_path = children_path or path + ("children",)
        children = []
        for i, child in enumerate(raw.get("children", ())):
            built = self.build_indicator(child, kids_path + (i,), depth + 1, node_id)
            if built is not None:
                children.append(built)
        self.context_name = f"指标「{name}」"
        weights = [c.weight for c in children if c.weight is not None]
        if weights:
            if len(weights) < len(children):
                missing = "、".join(c.name for c in children if c.weight is None)
                self.problem(f"some children have a `weight:` and some do not ({missing})", path + ("children",),
                             "give every child of a weighted indicator its weight", "spec.weights")
            elif sum(weights, Decimal(0)) != 1:
                parts = " + ".join(f"{c.name} {format_points(w * 100)}%" for c, w in zip(children, weights, strict=True))
                share = format_points(sum(weights, Decimal(0)) * 100)
                where = self.newest(children[0].path + ("weight",), [c.path + ("weight",) for c in children[1:]])
                self.problem(f"the weights add up to {share}% ({parts}), not 100%", where,
                             "make the weights of the parts add up to 100%", "spec.weights")
        elif points is not None and children and raw.get("children_add_up", True) \
                and len(children) == len(raw.get("children", ())):
            total = sum((c.points for c in children), Decimal(0))
            if total != points:
                parts = " + ".join(f"{c.name} {format_points(c.points)}" for c in children)
                where = self.newest(("metadata", "scale") if depth == 0 else path + ("points",),
                                    [c.path + ("points",) for c in children])
                self.problem(f"the children add up to {format_points(total)} ({parts}), not {format_points(points)}",
                             where, "fix the points, or set `children_add_up: false` where the document "
                                    "itself does not add up", "spec.points_sum")
        if children and any(t.phase == "base" for t in triggers):
            self.problem("an indicator with children takes its score from them; `score:` is for leaves",
                         path + ("score",))
        self.context_name = ""
        if points is None:
            return None
        method = raw.get("method", ())
        return Indicator(
            id=node_id, name=name, points=points, index=index, depth=depth, path=path, floor=floor,
            method=(method,) if isinstance(method, str) else tuple(method), text=raw.get("text"),
            clause=raw.get("clause"), unit_types=frozenset(unit_types) if unit_types else None,
            children=tuple(children), triggers=tuple(triggers), parent=parent, weight=weight,
            units=frozenset(map(str, raw["units"])) if raw.get("units") else None, applies_if=applies_if)

    def add_trigger(self, entry: Mapping[str, Any], key: str, where: Path) -> Trigger | None:
        """Build the trigger written at ``where``, number it, and keep it; None if it is bad."""
        self.assumption_ref(entry.get("assumption"), where + ("assumption",))
        trigger = build_trigger(entry, key, where, self)
        if trigger is None:
            return None
        trigger = attrs.evolve(trigger, index=len(self.triggers))
        self.triggers.append(trigger)
        return trigger

    def add_triggers(self, entries: Sequence[Mapping[str, Any]], key: str, path: Path) -> list[Trigger]:
        """:meth:`add_trigger` for each entry of a list written at ``path``."""
        built = (self.add_trigger(entry, key, path + (i,)) for i, entry in enumerate(entries))
        return [t for t in built if t is not None]

    def build_triggers(self, raw: Mapping[str, Any], path: Path) -> list[Trigger]:
        out: list[Trigger] = []
        for key in TRIGGER_KEYS:
            if key not in raw:
                continue
            if next(k.many for k in KINDS if k.key == key):
                out.extend(self.add_triggers(raw[key], key, path + (key,)))
            elif (trigger := self.add_trigger(raw[key], key, path + (key,))) is not None:
                out.append(trigger)
        return out

    def build_grades(self, raw: Sequence[dict[str, Any]], scale: Decimal) -> list[Grade]:
        grades: list[Grade] = []
        seen: set[str] = set()
        for i, g in enumerate(raw):
            path: Path = ("grades", i)
            if g["id"] in seen:
                self.problem(f"two grades have the id `{g['id']}`", path + ("id",), code="spec.duplicate_id")
            seen.add(g["id"])
            try:
                fraction = parse_fraction(g.get("deduct", 0))
            except ValueError as exc:
                self.problem(str(exc), path + ("deduct",))
                fraction = Decimal(0)
            if not 0 <= fraction <= 1:
                self.problem(f"a grade deducts between 0% and 100% of the target value, not {fraction * 100}%",
                             path + ("deduct",))
            low = Decimal(g["at_least"]) if "at_least" in g else None
            high = Decimal(g["below"]) if "below" in g else None
            if low is not None and high is not None and low >= high:
                self.problem(f"「{g['label']}」: `at_least` {format_points(low)} is not below `below` "
                             f"{format_points(high)}", path)
            grades.append(Grade(g["id"], g["label"], low, high, bool(g.get("commend", False)), fraction,
                                g.get("clause"), path))
        self.check_grade_coverage(grades, scale)
        return grades

    def check_grade_coverage(self, grades: list[Grade], scale: Decimal) -> None:
        """Grades, highest first, must tile the whole score range with no gap or overlap."""
        for upper, lower in itertools.pairwise(grades):
            if upper.at_least is None:
                self.problem(f"「{upper.label}」 has no `at_least`, so no grade can come below it",
                             upper.path, "list grades from the highest down; only the last may leave out `at_least`",
                             "spec.grade_gap")
                return
            if lower.below is None:
                self.problem(f"「{lower.label}」 has no `below`; it overlaps 「{upper.label}」", lower.path,
                             f"add `below: {format_points(upper.at_least)}`", "spec.grade_overlap")
                continue
            where = self.newest(lower.path + ("below",), [upper.path + ("at_least",)])
            fix = (f"set `below: {format_points(upper.at_least)}`" if where[-1] == "below"
                   else f"set `at_least: {format_points(lower.below)}`")
            if lower.below < upper.at_least:
                self.problem(f"gap between grades: no grade covers scores from {format_points(lower.below)} "
                             f"up to {format_points(upper.at_least)} (between 「{lower.label}」 and 「{upper.label}」)",
                             where, fix, "spec.grade_gap")
            elif lower.below > upper.at_least:
                self.problem(f"grades overlap: scores from {format_points(upper.at_least)} to below "
                             f"{format_points(lower.below)} are both 「{upper.label}」 and 「{lower.label}」", where, fix,
                             "spec.grade_overlap")
        for grade in grades:
            if grade.at_least is not None and grade.at_least > scale:
                self.problem(f"「{grade.label}」 needs at least {format_points(grade.at_least)}, but scores go up to "
                             f"{format_points(scale)}: no unit can reach it", grade.path + ("at_least",),
                             "lower the threshold, or check `metadata.scale` and `conversion.to`", "spec.grade_unreachable")
        if grades:
            top, bottom = grades[0], grades[-1]
            if top.below is not None and top.below <= scale:
                self.problem(f"the highest grade 「{top.label}」 stops below {format_points(top.below)}, "
                             f"but scores go up to {format_points(scale)}", top.path + ("below",),
                             "leave out `below` on the highest grade", "spec.grade_gap")
            if bottom.at_least is not None and bottom.at_least > 0:
                self.problem(f"no grade covers scores below {format_points(bottom.at_least)} "
                             f"(the lowest grade is 「{bottom.label}」)", bottom.path + ("at_least",),
                             "leave out `at_least` on the lowest grade", "spec.grade_gap")

    def build_bonus(self, raw: dict[str, Any] | None, scale: Decimal) -> Bonus | None:
        if not raw:
            return None
        self.context_name = raw.get("label", "加分项")
        gate = Decimal(raw["gate"]) if "gate" in raw else None
        if gate is not None and not 0 < gate <= scale:
            self.problem(f"the bonus gate {format_points(gate)} is outside the base score's range 0–{format_points(scale)}",
                         ("bonus", "gate"), "the gate is a base score a unit must reach, e.g. 80")
        items = self.add_triggers(raw["items"], "bonus", ("bonus", "items"))
        self.context_name = ""
        return Bonus(tuple(items), Decimal(raw["cap"]), gate, raw.get("label", "加分项"), raw.get("clause"))

    def build_vetoes(self, raw: Sequence[dict[str, Any]], grades: Sequence[Grade]) -> list[Trigger]:
        out = []
        ids = [g.id for g in grades]
        for i, entry in enumerate(raw):
            where: Path = ("veto", i)
            self.context_name = f"一票否决「{entry['label']}」"
            if entry.get("grade") is not None and entry["grade"] not in ids:
                self.problem(f"no grade `{entry['grade']}`", where + ("grade",), f"grades: {', '.join(ids)}")
                continue
            if entry.get("stop") and entry.get("score") is None:
                self.problem("`stop: true` needs the `score:` the unit then gets", where,
                             "e.g. score: 0, or leave out `stop`")
            if (trigger := self.add_trigger(entry, "veto", where)) is not None:
                out.append(trigger)
        self.context_name = ""
        return out

    def build_direct(self, raw: dict[str, Any] | None) -> list[Trigger]:
        if not raw:
            return []
        self.context_name = "直接扣分项"
        out = self.add_triggers(raw["deduct"], "deduct", ("direct_deductions", "deduct"))
        self.context_name = ""
        return out




__all__ = [
    "ROOT_ID",
    "effective_document",
    "load_spec",
    "read_spec_document",
    "resolve_spec",
    "schema_problems",
    "spec_from_document",
    "spec_from_text",
    "spec_schema",
]
