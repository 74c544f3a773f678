"""The house: core/ is a ground floor and stage packages stacked in layers.

The layers are written down here as data: each package and what it may
import. A test fails when any import (including one inside a function)
goes up a layer or closes a circle, when a module sits outside the plan,
or when the ground floor grows past a handful of modules. The engine also
stays UI-free (nothing under core/ imports streamlit) and takes pandas
from one place (core.matching.frames).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "core"

GROUND: frozenset[str] = frozenset(
    {"actors", "clock", "errors", "fields", "masking", "schema", "settings", "sheets", "store",
     "targets", "trail", "users"}
)  # fmt: skip
"""The ground floor's loose modules: what every stage stands on."""

LAYERS: dict[str, frozenset[str]] = {
    "ground": frozenset(),
    "synthetic": frozenset(),
    "standardize": frozenset({"ground"}),
    "ingest": frozenset({"ground", "standardize"}),
    "matching": frozenset({"ground", "standardize", "ingest", "synthetic"}),
    "stewardship": frozenset({"ground", "standardize", "ingest", "matching"}),
    "privacy": frozenset({"ground", "standardize", "ingest", "matching", "stewardship"}),
    "quality": frozenset(
        {"ground", "standardize", "ingest", "matching", "stewardship", "privacy"}
    ),  # fmt: skip
    "assurance": frozenset(
        {"ground", "standardize", "ingest", "matching", "stewardship", "privacy", "quality"}
    ),  # fmt: skip
    "ops": frozenset(
        {
            "ground",
            "standardize",
            "ingest",
            "matching",
            "stewardship",
            "privacy",
            "quality",
            "assurance",
            "synthetic",
        }
    ),  # fmt: skip
    "cli": frozenset(
        {
            "ground",
            "standardize",
            "ingest",
            "matching",
            "stewardship",
            "privacy",
            "quality",
            "assurance",
            "ops",
        }
    ),  # fmt: skip
}
"""Each layer and the layers it may import (besides itself)."""


def modules(root: Path = CORE) -> dict[str, Path]:
    """Every module under ``root``, by dotted name (packages by their own name)."""
    found = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(path: Path, known: set[str]) -> set[str]:
    """The core modules ``path`` imports, anywhere in it (inside functions
    too). ``from P import x`` counts as importing ``P.x`` when that is a
    module, else ``P``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                if sub in known:
                    out.add(sub)
                elif node.module in known:
                    out.add(node.module)
    return out


def graph(root: Path = CORE) -> dict[str, set[str]]:
    known = modules(root)
    names = set(known)
    return {name: imports(path, names) - {name} for name, path in known.items()}


def layer(module: str) -> str | None:
    """The layer a module belongs to, or None when it is outside the plan."""
    parts = module.split(".")
    if len(parts) == 1:
        return "ground"  # the package itself
    if len(parts) == 2 and parts[1] == "__main__":
        return "cli"
    if len(parts) == 2 and parts[1] in GROUND:
        return "ground"
    return parts[1] if parts[1] in LAYERS else None


def cycle(edges: dict[str, set[str]]) -> list[str]:
    """One cycle of ``edges`` as a path, or [] when there is none."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        state[node] = 2
        stack.pop()
        return []

    for node in sorted(edges):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return []


def test_every_module_belongs_to_a_layer_and_the_ground_floor_stays_small():
    found = modules()
    assert len(found) > 80, "the scan must actually see the core modules"
    outside = sorted(m for m in found if layer(m) is None)
    assert outside == [], "put these in a stage package, or name them in GROUND on purpose"
    loose = sorted(p.name for p in CORE.glob("*.py"))
    assert len(loose) <= 15, loose
    assert {p.stem for p in CORE.glob("*.py")} - {"__init__", "__main__"} == GROUND


def test_no_import_goes_up_a_layer():
    offenders = []
    for module, targets in graph().items():
        mine = layer(module)
        for target in targets:
            theirs = layer(target)
            if theirs != mine and theirs not in LAYERS[str(mine)]:
                offenders.append(f"{module} ({mine}) imports {target} ({theirs})")
    assert offenders == []


def test_no_module_imports_itself_in_a_circle():
    assert cycle(graph()) == []


def test_the_layers_themselves_form_no_circle():
    edges = {name: set(allowed) for name, allowed in LAYERS.items()}
    assert cycle(edges) == []
    assert all(allowed <= set(LAYERS) for allowed in LAYERS.values())


def test_every_stage_package_says_what_it_owns_and_may_import():
    for package in LAYERS:
        if package == "ground":
            continue
        init = CORE / package / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert len(doc) > 150, f"{package}/__init__.py needs a paragraph on what it owns"
        if package not in ("synthetic", "standardize"):
            assert "import" in doc, f"{package}/__init__.py must say what it may import"


def test_the_scanner_sees_imports_inside_functions_and_submodules(tmp_path):
    pkg = tmp_path / "core"
    (pkg / "a").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a" / "__init__.py").write_text("")
    (pkg / "a" / "x.py").write_text("def f():\n    from core.b import thing\n")
    (pkg / "a" / "y.py").write_text("from core.a import x\n")
    (pkg / "b.py").write_text("import core.a.y\n")
    edges = graph(pkg)
    assert edges["core.a.x"] == {"core.b"}
    assert edges["core.a.y"] == {"core.a.x"}
    assert cycle(edges) == ["core.a.x", "core.b", "core.a.y", "core.a.x"]


def test_the_layer_check_flags_an_import_that_goes_up():
    assert layer("core.matching.blocking") == "matching"
    assert layer("core.store") == "ground" and layer("core.__main__") == "cli"
    assert layer("core.newthing") is None
    assert "stewardship" not in LAYERS["ingest"]  # the import must not reach a customer decision


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_core_module_imports_streamlit():
    files = sorted(CORE.rglob("*.py"))
    assert len(files) > 10, "the scan must actually see the core modules"
    offenders = [str(f.relative_to(CORE)) for f in files if "streamlit" in imported_roots(f)]
    assert offenders == []


def test_the_import_scanner_notices_a_streamlit_import(tmp_path):
    sample = tmp_path / "page.py"
    sample.write_text("import os\nfrom streamlit import session_state\n")
    assert "streamlit" in imported_roots(sample)


def test_core_modules_take_pandas_from_core_frames_only():
    # core.matching.frames sets how pandas stores strings; a module importing
    # pandas directly could build frames before (or without) that setting
    files = sorted(CORE.rglob("*.py"))
    offenders = [
        str(f.relative_to(CORE))
        for f in files
        if f.name != "frames.py" and "pandas" in imported_roots(f)
    ]
    assert offenders == []


def test_importing_the_cli_does_not_import_pandas():
    probe = "import sys, core.cli.main; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], cwd=CORE.parent, capture_output=True,
                         text=True, check=True).stdout.strip()  # fmt: skip
    assert out == "False"


def test_pages_take_role_sets_from_the_permission_table():
    # app.py and the pages' guard must not keep a copy of who may do what
    root = CORE.parent
    for path in [root / "app.py", *sorted((root / "pages").glob("*.py"))]:
        text = path.read_text(encoding="utf-8")
        assert '{"steward", "admin"}' not in text and "{'steward'" not in text, path.name
