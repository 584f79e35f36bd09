"""The result cache: a hit writes what a fresh check writes, every input and option
that decides the output makes a miss, and a damaged entry is ignored and rewritten."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from archlint.cli.check import FORMATS, SEVERITIES
from archlint.engine import cache as cache_module
from archlint.engine.packfiles import pack_digest
from archlint.engine.rule import SEVERITIES as RULE_SEVERITIES
from archlint.reporters import REPORTERS
from tests.conftest import Run
from tests.test_config import NAS_RULE

HOMELAB = Path(__file__).resolve().parent.parent / "models" / "homelab"
AS_OF = "2026-11-26"
MARK = "TAMPERED-BY-THE-TEST\n"
Archlint = Callable[..., Run]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the homelab model (findings and a waiver) as the current directory."""
    root = tmp_path / "project"
    shutil.copytree(HOMELAB, root / "model")
    monkeypatch.chdir(root)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return root


def check(archlint: Archlint, *args: str) -> Run:
    return archlint("check", "model", "--as-of", AS_OF, "--cache", "cache", *args)


def entries(project: Path) -> list[Path]:
    return sorted((project / "cache").glob("*.json"))


def read_entry(entry: Path) -> tuple[dict[str, object], bytes]:
    header, _, report = entry.read_bytes().partition(b"\n")
    data = json.loads(header)
    assert isinstance(data, dict)
    return data, report


def write_entry(entry: Path, data: object, report: bytes) -> None:
    entry.write_bytes(json.dumps(data).encode() + b"\n" + report)


def tamper(project: Path) -> None:
    """Replace every cached report, so that a hit shows in the output."""
    for entry in entries(project):
        data, _report = read_entry(entry)
        data["output"]["report-bytes"] = len(MARK)  # type: ignore[index]
        write_entry(entry, data, MARK.encode())


def is_hit(archlint: Archlint, *args: str) -> bool:
    return check(archlint, *args).out == MARK


def test_the_options_name_every_reporter_and_severity() -> None:
    assert tuple(sorted(REPORTERS)) == FORMATS
    assert RULE_SEVERITIES == SEVERITIES


@pytest.mark.parametrize(
    "options",
    [("--format", name) for name in FORMATS]
    + [
        ("--statistics",),
        ("--statistics", "--format", "json"),
        ("--quiet",),
        ("--exit-zero",),
        ("--color", "always"),
    ],
)
def test_a_hit_writes_byte_identically(
    archlint: Archlint, project: Path, options: tuple[str, ...]
) -> None:
    fresh = archlint("check", "model", "--as-of", AS_OF, *options)
    first = check(archlint, *options)
    (entry,) = entries(project)
    stored = entry.stat().st_ino
    hit = check(archlint, *options)
    assert (fresh.code, fresh.out, fresh.err) == (first.code, first.out, first.err)
    assert (hit.code, hit.out, hit.err) == (first.code, first.out, first.err)
    assert entries(project) == [entry] and entry.stat().st_ino == stored  # not rewritten


def test_an_unchanged_model_is_a_hit(archlint: Archlint, project: Path) -> None:
    check(archlint)
    tamper(project)
    assert is_hit(archlint)
    assert archlint("check", "model", "--as-of", AS_OF).out != MARK  # no cache, no hit


def test_no_cache_without_the_option_or_the_configuration(
    archlint: Archlint, project: Path
) -> None:
    archlint("check", "model", "--as-of", AS_OF)
    assert not (project / "cache").exists()
    (project / "archlint.toml").write_text('cache-dir = "cache"\n', encoding="utf-8")
    archlint("check", "model", "--as-of", AS_OF)
    assert len(entries(project)) == 1


def test_a_hit_replays_the_notes_and_the_output_file(archlint: Archlint, project: Path) -> None:
    # Every drill of the homelab is dated after 2020: each model notes that it ignored them.
    args = ("--as-of", "2020-01-01", "-o", "report.txt")
    first = archlint("check", "model", "--cache", "cache", *args)
    written = (project / "report.txt").read_text(encoding="utf-8")
    (project / "report.txt").unlink()
    hit = archlint("check", "model", "--cache", "cache", *args)
    assert "ignored" in first.err and "restore drill" in first.err
    assert (hit.code, hit.out, hit.err) == (first.code, first.out, first.err)
    assert (project / "report.txt").read_text(encoding="utf-8") == written


def test_an_entry_is_read_in_parts_of_any_size(
    archlint: Archlint, project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The first line is looked for a few bytes at a time: it ends inside a part,
    # and the report after it is read whole from the right place.
    monkeypatch.setattr(cache_module, "HEADER_READ", 7)
    first = check(archlint, "--format", "json")
    data, report = read_entry(entries(project)[0])
    assert cache_module.read_entry(entries(project)[0]) == (json.dumps(data).encode(), report)
    tamper(project)
    assert is_hit(archlint, "--format", "json")
    short = tmp_path / "short"
    for content, expected in [
        (b"", (b"", b"")),
        (b"no line break", (b"no line break", b"")),
        (b"header\n", (b"header", b"")),
        (b"0123456\nreport\n", (b"0123456", b"report\n")),
    ]:
        short.write_bytes(content)
        assert cache_module.read_entry(short) == expected
    assert first.code == 1


def test_a_hit_writes_to_a_stdout_of_another_encoding_as_a_fresh_run_does(
    project: Path,
) -> None:
    # Stored as UTF-8, a report goes to a UTF-16 stdout as text, not as its bytes.
    command = [sys.executable, "-m", "archlint", "check", "model", "--as-of", AS_OF]
    env = {**os.environ, "PYTHONIOENCODING": "utf-16"}
    runs = [
        subprocess.run([*command, *cache], capture_output=True, env=env, check=False, timeout=120)
        for cache in ([], ["--cache", "cache"], ["--cache", "cache"])
    ]
    assert len(entries(project)) == 1
    assert "findings" in runs[0].stdout.decode("utf-16")
    assert [(run.returncode, run.stdout) for run in runs] == [(1, runs[0].stdout)] * 3


def test_a_hit_to_a_full_stdout_is_an_error(archlint: Archlint, project: Path) -> None:
    check(archlint)
    with open("/dev/full", "wb") as full:
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "archlint",
                "check",
                "model",
                "--as-of",
                AS_OF,
                "--cache",
                "cache",
            ],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=120,
        )
    assert run.returncode == 2
    assert "No space left on device" in run.stderr
    assert "internal error" not in run.stderr


def test_a_hit_refuses_to_overwrite_a_model_file(archlint: Archlint, project: Path) -> None:
    check(archlint)
    run = check(archlint, "-o", "model/nas.yaml")
    assert run.code == 2 and "is one of the model's files" in run.err


def test_a_hit_writes_the_baseline_again(archlint: Archlint, project: Path) -> None:
    first = check(archlint, "--write-baseline", "baseline.json")
    recorded = (project / "baseline.json").read_text(encoding="utf-8")
    (project / "baseline.json").unlink()
    hit = check(archlint, "--write-baseline", "baseline.json")
    assert "Recorded" in first.err
    assert (hit.code, hit.out, hit.err) == (first.code, first.out, first.err)
    assert (project / "baseline.json").read_text(encoding="utf-8") == recorded


def test_an_edited_baseline_is_a_miss(archlint: Archlint, project: Path) -> None:
    archlint("check", "model", "--as-of", AS_OF, "--write-baseline", "baseline.json")
    check(archlint, "--baseline", "baseline.json")
    tamper(project)
    assert is_hit(archlint, "--baseline", "baseline.json")
    baseline = json.loads((project / "baseline.json").read_text(encoding="utf-8"))
    baseline["findings"] = baseline["findings"][1:]
    (project / "baseline.json").write_text(json.dumps(baseline), encoding="utf-8")
    run = check(archlint, "--baseline", "baseline.json")
    assert run.out != MARK and run.code == 1


def test_a_hit_appends_the_step_summary_again(
    archlint: Archlint, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = project / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    first = check(archlint, "--format", "github")
    once = summary.read_text(encoding="utf-8")
    hit = check(archlint, "--format", "github")
    assert once
    assert (hit.code, hit.out) == (first.code, first.out)
    assert summary.read_text(encoding="utf-8") == once * 2


@pytest.mark.parametrize("change", ["edit a model file", "add a model file", "delete a model file"])
def test_a_changed_file_is_a_miss(archlint: Archlint, project: Path, change: str) -> None:
    check(archlint)
    tamper(project)
    model_file = sorted((project / "model").glob("*.yaml"))[-1]
    if change == "edit a model file":
        model_file.write_text(model_file.read_text(encoding="utf-8") + "\n# edited\n")
    elif change == "add a model file":
        (project / "model" / "more.yaml").write_text("archlint: 1\n", encoding="utf-8")
    else:
        model_file.unlink()
    assert not is_hit(archlint)


@pytest.mark.parametrize(
    "options",
    [
        ("--as-of", "2026-11-27"),
        ("--select", "snapshot-only"),
        ("--ignore", "snapshot-only"),
        ("--max-model-size", "64MiB"),
        ("--fail-on", "critical"),
        ("--format", "json"),
        ("--color", "always"),
    ],
)
def test_each_option_is_a_miss(archlint: Archlint, project: Path, options: tuple[str, ...]) -> None:
    check(archlint)
    tamper(project)
    assert is_hit(archlint)
    assert not is_hit(archlint, *options)


def test_the_configuration_and_the_version_are_key_parts(
    archlint: Archlint, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check(archlint)
    tamper(project)
    (project / "archlint.toml").write_text(
        '[rules.snapshot-only]\nseverity = "low"\n', encoding="utf-8"
    )
    assert not is_hit(archlint)
    tamper(project)
    assert is_hit(archlint)
    (project / "archlint.toml").write_text(
        '[rules.snapshot-only]\nseverity = "high"\n', encoding="utf-8"
    )
    assert not is_hit(archlint)
    monkeypatch.setattr(cache_module, "__version__", "999")
    tamper(project)
    assert not is_hit(archlint)


def test_a_changed_rule_pack_is_a_miss(archlint: Archlint, project: Path) -> None:
    pack = project / "pack"
    pack.mkdir()
    (pack / "no_nas.py").write_text(NAS_RULE, encoding="utf-8")
    check(archlint, "--rules", "pack")
    tamper(project)
    assert is_hit(archlint, "--rules", "pack")
    (pack / "no_nas.py").write_text(NAS_RULE + "\n# edited\n", encoding="utf-8")
    assert not is_hit(archlint, "--rules", "pack")
    tamper(project)
    (pack / "_helper.py").write_text("# a helper module\n", encoding="utf-8")
    assert not is_hit(archlint, "--rules", "pack")


def test_the_model_found_without_a_path_is_cached_too(
    archlint: Archlint, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project / "model")
    first = archlint("check", "--as-of", AS_OF, "--cache", "../cache")
    tamper(project)
    assert archlint("check", "--as-of", AS_OF, "--cache", "../cache").out == MARK
    (project / "model" / "drills.yaml").write_text(
        (project / "model" / "drills.yaml").read_text(encoding="utf-8") + "\n# edited\n"
    )
    again = archlint("check", "--as-of", AS_OF, "--cache", "../cache")
    assert (again.code, again.out) == (first.code, first.out)


def corrupt_entry(entry: Path, how: str) -> None:
    data, report = read_entry(entry)
    output = data["output"]
    inputs = data["inputs"]
    assert isinstance(output, dict) and isinstance(inputs, dict)
    if how == "cut short":
        entry.write_bytes(entry.read_bytes()[:-10])
        return
    if how == "nested too deeply":
        entry.write_bytes(b"[" * 100_000 + b"]" * 100_000)
        return
    if how == "exit code 7":
        output["exit-code"] = 7
    elif how == "report is a number":
        output["notes"] = 5
    elif how == "another model's roots":
        inputs["roots"] = ["/"]
    elif how == "a device to hash":
        inputs["others"] = ["/dev/zero"]
    elif how == "a NUL in a name":
        inputs["models"] = ["model\0.yaml"]
    elif how == "digests are not lists":
        data["files"] = {"digests": 1}
    elif how == "a terminal escape in the notes":
        output["notes"] = "\x1b]0;owned\x07"
    elif how == "a colour code without colour":
        report = b"\x1b[31m" + report[5:]
        output["report-bytes"] = len(report)
    elif how == "a GitHub command in the summary":
        output["summary"] = "##[add-mask]secret\n"
    else:
        entry.write_bytes(how.encode())
        return
    write_entry(entry, data, report)


@pytest.mark.parametrize(
    "how",
    [
        "",
        "{not json",
        "[]",
        '{"format": "archlint-cache/2"}\n',
        '{"format": "archlint-cache/1", "result": {}}',
        "cut short",
        "nested too deeply",
        "exit code 7",
        "report is a number",
        "another model's roots",
        "a device to hash",
        "a NUL in a name",
        "digests are not lists",
        "a terminal escape in the notes",
        "a colour code without colour",
        "a GitHub command in the summary",
    ],
)
def test_a_damaged_entry_is_ignored_and_rewritten(
    archlint: Archlint, project: Path, how: str
) -> None:
    expected = check(archlint, "--format", "json")
    (entry,) = entries(project)
    corrupt_entry(entry, how)
    run = check(archlint, "--format", "json")
    assert (run.code, run.out, run.err) == (expected.code, expected.out, "")
    data, report = read_entry(entry)
    assert report.decode() == expected.out
    assert data["inputs"]["roots"] == ["model"]  # type: ignore[index]
    tamper(project)
    assert is_hit(archlint, "--format", "json")


def test_a_fifo_named_in_an_entry_is_not_read(archlint: Archlint, project: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(project / "fifo")
    fresh = check(archlint)
    (entry,) = entries(project)
    data, report = read_entry(entry)
    data["inputs"]["others"] = ["fifo"]  # type: ignore[index]
    write_entry(entry, data, report)
    run = check(archlint)  # would block forever if the FIFO were opened for reading
    assert (run.code, run.out) == (fresh.code, fresh.out)


HIT_PROBE = """
import json
import sys
from archlint.cli import main
sys.argv = ["archlint", *sys.argv[1:]]
try:
    main()
except SystemExit as stop:
    code = stop.code
heavy = sorted(
    name for name in sys.modules
    if name.split(".")[0] in {"pydantic", "pydantic_core", "networkx", "yaml", "mkdocs", "graphviz"}
    or name.startswith(("archlint.analysis", "archlint.validate", "archlint.model.entities",
                        "archlint.engine.rule", "archlint.reporters", "archlint.site",
                        "archlint.importers", "archlint.load.model"))
)
print(json.dumps([code, heavy]), file=sys.stderr)
"""


def probe(*args: str) -> tuple[str, int, list[str]]:
    """Run archlint in a fresh interpreter: its output, and (exit code, heavy modules loaded)."""
    run = subprocess.run(
        [sys.executable, "-c", HIT_PROBE, *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={key: value for key, value in os.environ.items() if key != "GITHUB_STEP_SUMMARY"},
    )
    code, modules = json.loads(run.stderr.strip().splitlines()[-1])
    return run.stdout, code, modules


def test_a_hit_loads_no_model_engine(project: Path) -> None:
    args = ("check", "model", "--as-of", AS_OF, "--cache", "cache", "--format", "sarif")
    fresh_out, fresh_code, fresh_modules = probe(*args)
    hit_out, hit_code, hit_modules = probe(*args)
    assert (hit_out, hit_code) == (fresh_out, fresh_code) == (hit_out, 1)
    # A fresh check loads the model engine, but not the site generator or the importers.
    assert "pydantic" in fresh_modules
    assert not any(
        name.split(".")[0] in ("mkdocs", "graphviz")
        or name.startswith(("archlint.site", "archlint.importers"))
        for name in fresh_modules
    )
    assert hit_modules == []


def test_a_small_check_imports_only_what_it_needs() -> None:
    # Start-up is most of a small check: networkx is needed only for cycles,
    # PyYAML only when the fast loader declines a file, a reporter only for its format.
    reference = Path(__file__).parent.parent / "models" / "reference"
    _out, code, modules = probe("check", str(reference), "--as-of", AS_OF, "--format", "json")
    assert code == 0
    assert "pydantic" in modules and "archlint.reporters.json_report" in modules
    assert not any(name.split(".")[0] in ("networkx", "yaml") for name in modules)
    assert not {"archlint.reporters.sarif", "archlint.reporters.text"} & set(modules)
    assert "archlint.reporters.markdown" not in modules  # only for GitHub's step summary


def test_a_fifo_in_a_rule_pack_is_hashed_as_unreadable_not_read(tmp_path: Path) -> None:
    (tmp_path / "rule.py").write_text("X = 1\n", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.py")  # reading it would block the run forever
    digests = dict(map(tuple, pack_digest(tmp_path)))
    assert digests["pipe.py"] is None and len(digests["rule.py"] or "") == 64
