"""The package's layers: every import (module level, in a function, or for type checking)
runs downwards or stays inside its own package, and no modules import each other in a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "radlink"

LAYERS: list[set[str]] = [
    {"radlink.errors", "radlink.vocabulary", "radlink.workers"},
    {"radlink.tables", "radlink.models", "radlink.readers", "radlink.engines"},
    {"radlink.outputs", "radlink.dataset", "radlink.privacy"},
    {"radlink.dicom", "radlink.nlp", "radlink.linkage", "radlink.dataset_cli", "radlink.cohort",
     "radlink.deidentify_cli"},
    {"radlink.spark"},
    {"radlink.timeline", "radlink.redcap", "radlink.profile"},
    {"radlink.synth", "radlink.export", "radlink.pacs"},
    {"radlink.cli", "radlink.pipelines"},
]
"""Rooms from the bottom up: a room may import from rooms below it and from itself."""

RANK = {room: level for level, rooms in enumerate(LAYERS) for room in rooms}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_edges(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the radlink modules it imports, anywhere in its source."""
    edges: dict[str, set[str]] = {}
    for path in sorted(package.rglob("*.py")):
        name = _module_name(path)
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = edges.setdefault(name, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here.split(".")[: len(here.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                # `from radlink.x import y` may name a submodule y: count it too
                found = [target] + [f"{target}.{a.name}" for a in node.names]
                targets.update(t for t in found if t.startswith("radlink"))
            elif isinstance(node, ast.Import):
                targets.update(a.name for a in node.names if a.name.startswith("radlink"))
    modules = set(edges)
    return {m: {t for t in ts if t in modules and t != m} for m, ts in edges.items()}


def room(module: str) -> str:
    """``radlink.linkage.api`` -> ``radlink.linkage``; ``radlink.tables`` -> itself."""
    return ".".join(module.split(".")[:2])


def upward_edges(edges: dict[str, set[str]]) -> list[str]:
    """Imports that reach a room at the same level (another room) or above."""
    bad = []
    for source, targets in edges.items():
        if source == "radlink":
            continue
        for target in targets:
            if target == "radlink":  # the root: version and lazy public names only
                continue
            a, b = room(source), room(target)
            if a != b and RANK[b] >= RANK[a]:
                bad.append(f"{source} -> {target}")
    return sorted(bad)


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of modules (a package re-exporting its own modules aside)."""
    graph = {m: {t for t in ts if not t.startswith(m + ".")} for m, ts in edges.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


EDGES = import_edges()


def test_every_room_has_a_layer():
    rooms = {room(m) for m in EDGES} - {"radlink"}
    assert rooms <= set(RANK), f"rooms without a layer: {sorted(rooms - set(RANK))}"


def test_no_import_runs_up_or_across():
    assert upward_edges(EDGES) == []


def test_no_import_cycle():
    assert cycles(EDGES) == []


def test_the_root_imports_no_room_eagerly():
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    eager = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))
             and any(a.name.startswith("radlink") for a in getattr(n, "names", []))
             or isinstance(n, ast.ImportFrom) and (n.module or "").startswith("radlink")]
    assert eager == []


@pytest.mark.parametrize("edges, expected", [
    ({"radlink.nlp.x": {"radlink.timeline.job"}, "radlink.timeline.job": set()},
     ["radlink.nlp.x -> radlink.timeline.job"]),
    ({"radlink.nlp.x": {"radlink.linkage.api"}, "radlink.linkage.api": set()},
     ["radlink.nlp.x -> radlink.linkage.api"]),
    ({"radlink.timeline.job": {"radlink.nlp.x"}, "radlink.nlp.x": set()}, []),
])
def test_the_check_sees_upward_and_sideways_imports(edges, expected):
    assert upward_edges(edges) == expected


def test_the_check_sees_a_cycle():
    edges = {"radlink.redcap.a": {"radlink.redcap.b"}, "radlink.redcap.b": {"radlink.redcap.a"}}
    assert cycles(edges) == [["radlink.redcap.a", "radlink.redcap.b"]]


def test_help_lists_every_command_without_importing_it():
    import subprocess
    import sys

    code = ("import sys; from radlink.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith(('radlink.nlp', 'radlink.linkage', "
            "'pandas', 'edsnlp', 'pynetdicom', 'dicomweb_client', 'radlink.pacs', 'pyspark'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=PACKAGE.parent).stdout
    assert out.strip().splitlines()[-1] == "[]"
    assert "train-linkage-model" in out and "deidentify" in out


def test_command_summaries_are_the_commands_own_help():
    import click

    from radlink.cli import COMMANDS, SUMMARIES, main

    assert set(SUMMARIES) == set(COMMANDS)
    ctx = click.Context(main)
    for name in COMMANDS:
        assert SUMMARIES[name] == main.get_command(ctx, name).get_short_help_str(limit=300), name


def test_developers_md_and_readme_show_every_room_at_its_layer():
    import re

    root = PACKAGE.parent
    developers = (root / "DEVELOPERS.md").read_text(encoding="utf-8")
    readme = (root / "README.md").read_text(encoding="utf-8")
    documented = {f"radlink.{name}": int(level) for level, name in
                  re.findall(r"^\| (\d) \| `radlink/([a-z_]+)(?:\.py|/)` \|", developers, flags=re.M)}
    assert documented and documented == {r: RANK[r] for r in documented}
    rooms = {r for r in RANK if r != "radlink.pipelines" and not r.endswith("_cli")}  # commands aside
    assert rooms <= set(documented)
    for room in rooms:
        assert f"`{room}`" in readme, f"README's package table misses {room}"
