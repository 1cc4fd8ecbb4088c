"""What ``smsrelay`` imports. No import cycle, counting imports inside functions too: a cycle
hidden in a function works until someone moves the import to the top, and it means two modules
that cannot be understood (or tested) one without the other. And no client library of a gateway
the configuration does not use."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator, Mapping, Set
from pathlib import Path

import smsrelay

PACKAGE = Path(smsrelay.__file__).parent


def module_files(root: Path = PACKAGE, name: str = "smsrelay") -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its ``__init__.py``)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join((name, *parts))] = path
    return found


def imported_modules(
    module: str, source: str, known: Set[str], *, is_package: bool = False
) -> Iterator[str]:
    """The package's modules that ``module`` imports anywhere: at the top, in a function or
    under ``if TYPE_CHECKING`` (a cycle of type hints is still two modules that need each
    other)."""
    for node in ast.walk(ast.parse(source, module)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield from _known_prefix(alias.name, known)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, is_package, node.level, node.module)
            for alias in node.names:
                # `from package import module` imports the module; `from module import name`
                # only the module.
                submodule = f"{base}.{alias.name}"
                yield from [submodule] if submodule in known else _known_prefix(base, known)


def _absolute(module: str, is_package: bool, level: int, name: str | None) -> str:
    if level == 0:
        return name or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, name] if name else base)


def _known_prefix(name: str, known: Set[str]) -> Iterator[str]:
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in known:
            yield ".".join(parts[:end])
            return


def import_graph() -> dict[str, set[str]]:
    files = module_files()
    return {
        module: set(
            imported_modules(
                module, path.read_text("utf-8"), files.keys(), is_package=path.stem == "__init__"
            )
        )
        - {module}
        for module, path in files.items()
    }


def cycles(graph: Mapping[str, Set[str]]) -> list[list[str]]:
    """One cycle per group of modules that import each other (Tarjan's strongly connected
    components), each as the path ``[a, b, …, a]``."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(_path_within(graph, component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _path_within(graph: Mapping[str, Set[str]], component: Set[str]) -> list[str]:
    """A shortest cycle through the component's first module (breadth-first)."""
    start = min(component)
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph.get(node, ())):
                if target == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [start, *reversed(path[:-1]), start]
                if target in component and target not in came_from and target != start:
                    came_from[target] = node
                    following.append(target)
        frontier = following
    raise AssertionError(f"no cycle through {start}")


def test_smsrelay_has_no_import_cycle() -> None:
    found = cycles(import_graph())
    assert not found, "import cycles in smsrelay:\n" + "\n".join(" → ".join(c) for c in found)


def test_the_graph_sees_imports_inside_functions() -> None:
    graph = import_graph()
    # The command line imports its commands' modules only when they run.
    assert "smsrelay.app" in graph["smsrelay.cli"]
    assert "smsrelay.bootstrap" in graph["smsrelay.cli"]
    # Relative imports, from a module and from a package.
    assert "smsrelay.relay" in graph["smsrelay.api.deps"]
    assert "smsrelay.gateways.base" in graph["smsrelay.dispatcher"]


def test_a_cycle_is_reported_as_the_path_that_closes_it() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert cycles(graph) == [["a", "b", "c", "a"]]
    assert cycles({"x": {"y"}, "y": {"x"}, "z": {"x"}}) == [["x", "y", "x"]]


def test_from_imports_resolve_to_modules_or_their_package() -> None:
    known = {"p", "p.a", "p.b", "p.sub", "p.sub.c"}
    source = (
        "from . import a\n"
        "from .sub import c, nothing\n"
        "def f():\n"
        "    import p.sub.c.missing\n"
        "    from .. import outside\n"
    )
    assert set(imported_modules("p.b", source, known)) == {"p.a", "p.sub.c", "p.sub"}
    from_package = set(imported_modules("p.sub", "from . import c\nfrom .. import a", known,
                                        is_package=True))  # fmt: skip
    assert from_package == {"p.sub.c", "p.a"}


def test_a_relay_without_smpp_gateways_does_not_import_the_smpp_client(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from smsrelay.app import create_app\n"
        "from smsrelay.settings import load_settings\n"
        "create_app(load_settings())\n"
        "print('smpplib' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,  # the demo configuration keeps its database in ./data
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "False"
