"""The layering holds: no module imports a higher layer or a sibling, and no import cycle, type-only imports included.

The layers, lowest first, are those of docs/architecture.md. Every module of the package must
belong to one; a new module or subpackage is placed by adding it to ``LAYERS``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "assessrules"

LAYERS: dict[str, tuple[int, str]] = {
    # module or subpackage (dotted, under assessrules) -> (rank, layer name)
    "_version": (0, "base"),
    "_resources": (0, "base"),
    "errors": (0, "base"),
    "files": (0, "base"),
    "jsontext": (0, "base"),
    "messages": (0, "base"),
    "catalogue": (0, "base"),
    "numbers": (0, "base"),
    "sheets": (0, "base"),
    "periods": (0, "base"),
    "workdays": (0, "base"),
    "rules": (1, "rules"),
    "engine": (2, "engine"),
    "inputs": (3, "inputs"),
    "outputs": (3, "outputs"),
    "authoring": (4, "authoring"),
    "service": (5, "service"),
    "cli": (6, "cli"),
    "": (7, "the package's face"),
    "__main__": (7, "the package's face"),
}
"""Layers of equal rank are siblings: neither may import the other."""


def module_name(path: Path) -> str:
    """``assessrules/engine/spec.py`` → ``engine.spec``; a package's ``__init__`` is the package."""
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> tuple[int, str]:
    """The layer a module belongs to, by its top-level name under the package."""
    head = module.split(".", maxsplit=1)[0]
    if head not in LAYERS:
        raise AssertionError(f"assessrules.{module} belongs to no layer: add `{head}` to LAYERS "
                             "in tests/test_architecture.py and to docs/architecture.md")
    return LAYERS[head]


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> Iterator[str]:
    """The package modules an ``from … import …`` statement reads, relative or absolute."""
    if node.level:
        base = module.split(".") if module else []
        if not is_package:
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
        target = ".".join(base + ([node.module] if node.module else []))
    elif node.module and (node.module == "assessrules" or node.module.startswith("assessrules.")):
        target = node.module.removeprefix("assessrules").removeprefix(".")
    else:
        return
    for alias in node.names:
        child = f"{target}.{alias.name}" if target else alias.name
        yield child if child in MODULES else target


def imports() -> Iterator[tuple[str, str, int]]:
    """Every (importer, imported, line) inside the package, type-only and function-level imports included."""
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                for target in _resolve(module, path.name == "__init__.py", node):
                    yield module, target, node.lineno
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("assessrules."):
                        yield module, alias.name.removeprefix("assessrules."), node.lineno


EDGES = sorted(set(imports()))


def where(module: str, line: int) -> str:
    return f"{MODULES[module].relative_to(PACKAGE.parent)}:{line}"


def test_every_module_belongs_to_a_layer() -> None:
    """A module outside every layer is reported with the place to add it."""
    for module in MODULES:
        layer_of(module)


def test_no_module_imports_a_higher_layer_or_a_sibling() -> None:
    """A lower layer never imports a higher one (not even for type hints), nor inputs and outputs each other."""
    wrong = []
    for importer, imported, line in EDGES:
        (low, low_name), (high, high_name) = layer_of(importer), layer_of(imported)
        if high > low:
            wrong.append(f"{where(importer, line)}: `{importer}` ({low_name}) imports `{imported}` ({high_name}), "
                         "a higher layer")
        elif high == low and low_name != high_name:
            wrong.append(f"{where(importer, line)}: `{importer}` ({low_name}) imports `{imported}` ({high_name}), "
                         "a sibling layer")
    assert wrong == []


def find_cycle(edges: list[tuple[str, str, int]]) -> list[tuple[str, str, int]] | None:
    """One cycle among the modules, as the imports that make it; None when there is none."""
    graph: dict[str, list[tuple[str, int]]] = {}
    for a, b, line in edges:
        if a != b and b in MODULES:
            graph.setdefault(a, []).append((b, line))
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[tuple[str, str, int]] = []

    def visit(node: str) -> list[tuple[str, str, int]] | None:
        state[node] = 1
        for nxt, line in graph.get(node, ()):
            stack.append((node, nxt, line))
            if state.get(nxt) == 1:
                start = next(i for i, (a, _, _) in enumerate(stack) if a == nxt)
                return stack[start:]
            if state.get(nxt) is None and (found := visit(nxt)):
                return found
            stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if state.get(node) is None and (found := visit(node)):
            return found
    return None


def test_there_is_no_import_cycle() -> None:
    """No chain of imports leads a module back to itself; a cycle is reported import by import."""
    cycle = find_cycle(EDGES)
    assert cycle is None, "import cycle:\n" + "\n".join(f"  {where(a, line)}: {a} → {b}" for a, b, line in cycle or ())


def test_the_cycle_finder_names_the_imports_of_a_cycle() -> None:
    """The checker itself finds a made-up cycle (so that a silent pass means something)."""
    made_up = [("engine.spec", "engine.results", 1), ("engine.results", "engine.spec", 2),
               ("engine.results", "numbers", 3)]
    assert find_cycle(made_up) == [("engine.results", "engine.spec", 2), ("engine.spec", "engine.results", 1)]


@pytest.mark.parametrize(("importer", "imported", "ok"), [
    ("engine.results", "outputs.explain", False),
    ("outputs.report", "inputs.facts_file", False),
    ("cli", "engine.spec", True),
    ("rules.kinds", "engine.compiler", False),
])
def test_the_layer_rule_tells_up_from_down(importer: str, imported: str, ok: bool) -> None:
    """The rule the layering test applies, on known cases."""
    (low, low_name), (high, high_name) = layer_of(importer), layer_of(imported)
    assert (high < low or (high == low and low_name == high_name)) == ok
