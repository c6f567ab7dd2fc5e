"""Load a spec's rules: read the file, merge ``extends:``, check the schema, build the model, check its sense.

Every problem is collected before failing; :class:`~assessrules.errors.SpecError`
carries them all, each with file, line, column, path, message and hint. The
result is the checked :class:`~assessrules.rules.ruleset.Rules`; the engine
compiles it (:func:`assessrules.load_spec` does both).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path as FsPath
from typing import Any

from .. import _resources
from ..errors import SpecError, UsageError, sort_problems, with_code
from ..messages import problem
from .build.assumptions import build_assumptions
from .build.context import BuildContext
from .build.derived import build_derived, check_subunit_reads
from .build.direct import build_direct
from .build.facts import build_facts
from .build.grades import build_grades, build_verdict_grades
from .build.groups import build_groups
from .build.indicators import ROOT_ID, build_tree, check_score_order, declare_scores
from .build.metadata import build_metadata, build_unit_types
from .build.outcome import build_bonus, build_conversion, build_rounding, build_vetoes
from .build.parameters import build_parameters
from .document import Document, DocumentError, load_document, read_document
from .exactness import Place, derived_places, nonterminating_places
from .expressions import Name
from .extend import expand
from .model import Grade
from .ruleset import Rules
from .schema import schema_problems

UNGRADED = Grade("ungraded", "不评等次", None, None)
"""The one grade of a spec that declares none: it gives scores only, and no consequence."""


def resolve_spec(source: str | os.PathLike[str]) -> FsPath:
    """Turn ``"2021"`` (a bundled spec id) or a path into the path of a spec file."""
    if not isinstance(source, str | os.PathLike):
        raise UsageError([problem("spec.name_type", kind=type(source).__name__)])
    text = os.fspath(source)
    if not text.strip() or "\x00" in text:
        raise UsageError([problem("spec.no_name")])
    bundled = _resources.bundled_specs()
    if text in bundled and not FsPath(text).exists():
        return bundled[text]
    path = FsPath(text)
    if not path.exists() and not any(sep in text for sep in "/\\") and not text.endswith((".yaml", ".yml")):
        raise SpecError([problem("spec.not_found", file=text, name=text, bundled=list(bundled))])
    return path


def read_spec_document(source: str | os.PathLike[str]) -> Document:
    """Read the spec file ``source`` names (a bundled one is called ``specs/<name>`` in messages)."""
    path = resolve_spec(source)
    try:
        return read_document(path, _resources.shown(path))
    except DocumentError as exc:
        raise SpecError(with_code(exc.problems, "spec.file")) from None


def effective_document(source: str | os.PathLike[str], allow: Sequence[FsPath] = ()) -> Document:
    """The spec as it takes effect: read, with every ``extends:`` merged in (not yet checked).

    ``allow`` names folders (real paths) an ``extends:`` may read from besides the spec's own folder tree.
    """
    return expand(read_spec_document(source), allow=allow)


def text_document(text: str, file: str = "<text>") -> Document:
    """Read spec text into a located document; ``file`` names it in messages."""
    if not isinstance(text, str) or not isinstance(file, str):
        raise UsageError([problem("spec.text_type")])
    try:
        return load_document(text, file)
    except DocumentError as exc:
        raise SpecError(with_code(exc.problems, "spec.file")) from None


def rules_from_document(document: Document, allow: Sequence[FsPath] = ()) -> Rules:
    """Check a spec already read into a :class:`Document` (following ``extends:``) and build its rules.

    ``allow`` names folders (real paths) an ``extends:`` may read from besides the spec's own folder tree.
    """
    if document.data is None:
        raise SpecError([document.say("spec.empty", ())])
    if not isinstance(document.data, dict):
        raise SpecError([document.say("spec.file", ())])
    document = expand(document, allow=allow)
    problems = schema_problems(document)
    if problems:
        raise SpecError(sort_problems(with_code(problems, "spec.schema")))
    ctx = BuildContext(document)
    rules = build_rules(ctx, document.data)
    if ctx.problems or rules is None:
        raise SpecError(sort_problems(ctx.problems))
    return rules


def build_rules(ctx: BuildContext, d: Mapping[str, Any]) -> Rules | None:
    """Run the section builders in the order their names become visible; None if the tree could not be built."""
    metadata = build_metadata(ctx, d["metadata"])
    unit_types = build_unit_types(d["unit_types"], ctx)
    build_assumptions(ctx, d.get("assumptions", []))
    build_parameters(ctx, d.get("parameters", {}))
    ctx.names["as_of"] = Name("date", "run", "考核日期（assessment date）")
    facts = build_facts(ctx, d["facts"])
    if ctx.period_kinds and (metadata.year or (metadata.effective_from.year if metadata.effective_from else None)) is None:
        ctx.say("spec.year", ("metadata",))
    derived = build_derived(ctx, d.get("derived", {}), facts, build_rounding(d.get("rounding")))
    declare_scores(ctx, d)  # score("web") may be read by rules, never by derived values
    for unit_name, label, kinds in (("unit_type", "单位类型（unit type）", tuple(unit_types)),  # so may the unit's
                                    ("unit_id", "单位编号（unit id）", None)):
        ctx.names.setdefault(unit_name, Name("text", "run", label, kinds))
    root = build_tree(ctx, d, metadata, unit_types)
    if root is not None:
        check_score_order(ctx, root)
    conversion = build_conversion(d.get("conversion"), metadata.scale)
    grade_on = d.get("grade_on", "score")
    graded = Decimal(100) if grade_on == "percentage" else conversion.to if conversion else metadata.scale
    bonus_section = d.get("bonus") or {}
    top = None if bonus_section and "cap" not in bonus_section else (  # no cap: no highest score
        graded + Decimal(bonus_section.get("cap", 0)) * graded / metadata.scale)
    has_grades = "grades" in d
    grade_by = d.get("grade_by")
    if grade_by is not None and has_grades:  # the grade is the assessor's verdict (好/较好/一般/差), not a threshold
        grades = build_verdict_grades(ctx, d["grades"], grade_by, facts)
    else:
        if grade_by is not None:
            ctx.say("spec.grade_by_no_grades", ("grade_by",), fact=grade_by)
        grades = build_grades(ctx, d["grades"], top) if has_grades else [UNGRADED]
        for i, g in enumerate(d.get("grades") or ()):
            if "verdict" in g:
                ctx.say("spec.verdict_without_grade_by", ("grades", i, "verdict"), grade=g["label"])
    direct = build_direct(ctx, d.get("direct_deductions"))
    bonus = build_bonus(ctx, d.get("bonus"), metadata.scale)
    vetoes = build_vetoes(ctx, d.get("veto", []), grades)
    consequences = ctx.add_triggers(d.get("consequences", []), "consequence", ("consequences",))
    groups = build_groups(ctx, d.get("groups", {}), unit_types)
    check_subunit_reads(ctx, derived, root, grades, has_grades)
    for trigger in ctx.triggers:
        trigger.check(facts, ctx.say)
    rounding = build_rounding(d.get("rounding"))
    if rounding is not None and rounding.indicators is not None and rounding.at != "score":
        ctx.say("spec.rounding_at", ("rounding", "at"), at=rounding.at)
    if root is not None and rounding is None:
        averaged: list[Place] = [("spec.inexact_group", ("groups", gid), {"group": g["label"], "group_id": gid})
                                 for gid, g in (d.get("groups") or {}).items()]
        averaged += derived_places(derived, ctx.parameters)
        for code, path, values in averaged + nonterminating_places(root, ctx.triggers, ctx.parameters,
                                                                   d.get("not_applicable", "full_marks"), conversion):
            ctx.say(code, path, **values)
    if ctx.problems or root is None:
        return None
    direct_section = d.get("direct_deductions") or {}
    return Rules(
        metadata=metadata, unit_types=unit_types, parameters=ctx.parameters, facts=facts, root=root,
        grades=tuple(grades), direct_deductions=tuple(direct), assumptions=ctx.assumptions,
        triggers=tuple(ctx.triggers), source=ctx.doc.file, sha256=hashlib.sha256(ctx.doc.text.encode("utf-8")).hexdigest(),
        derived=tuple(derived), direct_clause=direct_section.get("clause"), bonus=bonus, vetoes=tuple(vetoes),
        conversion=conversion, not_applicable=d.get("not_applicable", "full_marks"),
        limit_to_target=bool(direct_section.get("limit_to_target", True)), rounding=rounding, graded=has_grades,
        consequences=tuple(consequences), groups=tuple(groups),
        positions=ctx.doc.positions, sources=ctx.doc.sources or (ctx.doc.file,), warnings=ctx.doc.warnings,
        grade_by=grade_by, grade_on=grade_on,
    )


__all__ = [
    "ROOT_ID",
    "build_rules",
    "effective_document",
    "read_spec_document",
    "resolve_spec",
    "rules_from_document",
    "text_document",
]
