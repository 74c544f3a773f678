"""The engine stays UI-free (nothing under core/ imports streamlit) and takes
pandas from one place (core.frames)."""

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


def test_core_modules_take_pandas_from_core_frames_only():
    # core.frames sets how pandas stores strings; a module importing pandas
    # directly could build frames before (or without) that setting
    files = sorted(CORE.rglob("*.py"))
    offenders = [
        str(f.relative_to(CORE))
        for f in files
        if f.name != "frames.py" and "pandas" in imported_modules(f)
    ]
    assert offenders == []


def test_importing_the_cli_does_not_import_pandas():
    import subprocess
    import sys

    probe = "import sys, core.cli; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], cwd=CORE.parent, capture_output=True,
                         text=True, check=True).stdout.strip()  # fmt: skip
    assert out == "False"
