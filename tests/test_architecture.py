"""The engine stays UI-free: nothing under core/ imports streamlit."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "core"


def imported_modules(path: Path) -> set[str]:
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
    offenders = [str(f.relative_to(CORE)) for f in files if "streamlit" in imported_modules(f)]
    assert offenders == []


def test_the_import_scanner_notices_a_streamlit_import(tmp_path):
    sample = tmp_path / "page.py"
    sample.write_text("import os\nfrom streamlit import session_state\n")
    assert "streamlit" in imported_modules(sample)
