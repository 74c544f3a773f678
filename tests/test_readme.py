"""The README's examples run as written."""

import json
import re
import shlex
import shutil

import pytest

from tests.conftest import ROOT, run_cli

pytestmark = pytest.mark.slow

README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, re.S)


def test_the_quick_start_is_exactly_the_two_make_commands():
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = [line.split("#")[0].strip() for line in blocks("bash")[0].splitlines()]
    assert commands == ["make run", "make test"]
    assert "make run" in quick and "make test" in quick


def test_the_cli_examples_run_in_order(tmp_path):
    commands = [c for c in blocks("bash")[1].splitlines() if "python -m core" in c]
    assert len(commands) >= 5
    last = {}
    for command in commands:
        words = shlex.split(command)
        start = words.index("python")
        env = dict(w.split("=", 1) for w in words[:start])  # VAR=value before the command
        args = words[start + 3 :]
        outputs = ("crm.db", "records.xlsx", "quarantine.csv", "clusters.csv",
                   "website_clusters.csv", "customers.csv", "audit-1.html", "subject-3.json", "customers_masked.csv", "backups")  # fmt: skip
        args = [str(tmp_path / a) if a in outputs else a for a in args]
        proc = run_cli(*args, env=env)
        assert proc.returncode == 0, (command, proc.stderr)
        last[" ".join(args[:2])] = json.loads(proc.stdout.splitlines()[-1])
    assert (tmp_path / "records.xlsx").stat().st_size > 1000
    assert (tmp_path / "clusters.csv").read_text(encoding="utf-8").count("\n") > 1
    assert last["subject erase"]["records"] >= 1 and last["subject erase"]["wal_truncated"]
    masked = (tmp_path / "customers_masked.csv").read_text(encoding="utf-8-sig")
    assert "****" in masked  # an auditor's export is masked
    assert (
        last["backup --db"]["integrity_ok"] is True
        and len(list((tmp_path / "backups").iterdir())) == 1
    )
    signed = last["audit sign"]
    assert signed["verify_ok"] is True and signed["merges"]["n"] == 1
    assert signed["head_hash"] in (tmp_path / "audit-1.html").read_text(encoding="utf-8")


def test_the_python_example_runs(tmp_path, monkeypatch, capsys):
    (tmp_path / "data").mkdir()
    shutil.copytree(ROOT / "data" / "demo", tmp_path / "data" / "demo")
    monkeypatch.chdir(tmp_path)
    exec(compile(blocks("python")[0], "README.md", "exec"), {})
    assert (tmp_path / "crm.db").exists()
    exec(compile(blocks("python")[1], "README.md", "exec"), {})  # matching that store
    capsys.readouterr()
    exec(compile(blocks("python")[2], "README.md", "exec"), {})  # its KPIs
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("客服热线 ") and lines[0].split()[0] == lines[1].split()[1]
