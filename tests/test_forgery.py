"""Output that cannot be forged (issue 11): file names and model text cannot start
a workflow command, mention someone, link anywhere, make a long line, show an
invisible character or crash a reporter; integers and surrogates the loader
cannot take are located errors.

Every case runs the real command line in-process, in a temporary directory, so
paths are relative as CI shows them.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from archlint.engine.findings import Finding, Result
from archlint.load import tree
from archlint.model.errors import Location
from archlint.model.inert import printable, shown_path
from archlint.reporters import REPORTERS, Style
from archlint.reporters.github import annotation
from archlint.reporters.style import markdown_text
from tests.conftest import Run

Archlint = Callable[..., Run]
AS_OF = "2026-11-26"

# One unprotected datastore and one unused repository: two findings in any format.
MODEL = """archlint: 1
domains:
  home: {kind: site}
hosts:
  nas: {kind: nas, in: home}
repositories:
  nas-restic: {tool: restic, host: nas}
datastores:
  photos: {kind: files, host: nas, criticality: high, path: PATH}
services:
  app: {host: nas, data: [photos]}
"""
INVALID = "archlint: 1\nhosts:\n  nas: {kind: nas, in: nowhere}\n"

# Names that would start a line with a workflow command if printed as they are;
# GitHub's runner trims leading blanks (any Unicode white space) first.
COMMAND_NAMES = [
    "::notice title=Approved::LGTM.yaml",
    "::add-mask::x.yaml",
    "\t::error::tab.yaml",
    "\u00a0::warning::nbsp.yaml",
    "\u200b::error::zero-width.yaml",
]
# What GitHub's runner reads as a command: `::name` at the start of a line (after
# blanks), or the legacy `##[name` anywhere in a line.
ANNOTATION = re.compile(r"::(error|warning|notice) file=[^:,\r\n]*,line=\d+,col=\d+,title=[^:,]*::")


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def assert_no_forged_command(text: str, github: bool = False) -> None:
    for line in re.split(r"\r\n|\r|\n", text):
        stripped = line.lstrip()
        if github and stripped.startswith("::"):
            assert ANNOTATION.match(stripped), line
        else:
            assert not stripped.startswith("::"), line
        assert "##[" not in line, line


# --------------------------------------------------------------------------
# Workflow commands


@pytest.mark.parametrize("name", COMMAND_NAMES)
@pytest.mark.parametrize("output_format", ["text", "github", "markdown", "junit", "json"])
def test_a_file_name_cannot_start_a_workflow_command(
    archlint: Archlint, name: str, output_format: str
) -> None:
    Path(name).write_text(MODEL.replace("PATH", "/photos"), encoding="utf-8")
    run = archlint("check", name, "--as-of", AS_OF, "--format", output_format)
    assert run.code == 1, run
    assert_no_forged_command(run.out, github=output_format == "github")
    if output_format == "text":
        assert run.out.startswith("./"), run.out


@pytest.mark.parametrize("name", COMMAND_NAMES)
def test_a_file_name_cannot_start_a_workflow_command_in_colour_or_on_stderr(
    archlint: Archlint, name: str
) -> None:
    Path(name).write_text(MODEL.replace("PATH", "/photos"), encoding="utf-8")
    coloured = archlint("check", name, "--as-of", AS_OF, "--color", "always")
    assert coloured.code == 1, coloured
    assert_no_forged_command(re.sub(r"\x1b\[[0-9;]*m", "", coloured.out))
    Path(name).write_text(INVALID, encoding="utf-8")
    invalid = archlint("check", name)
    assert invalid.code == 2, invalid
    assert_no_forged_command(invalid.err)
    assert "./" in invalid.err and "no domain named 'nowhere'" in invalid.err


@pytest.mark.parametrize("output_format", sorted(REPORTERS))
def test_a_legacy_workflow_command_in_a_file_name_is_defused(
    archlint: Archlint, output_format: str
) -> None:
    name = "##[add-mask]Failed.yaml"
    Path(name).write_text(MODEL.replace("PATH", "/photos"), encoding="utf-8")
    run = archlint("check", name, "--as-of", AS_OF, "--format", output_format)
    assert run.code == 1, run
    assert_no_forged_command(run.out, github=output_format == "github")
    assert "add-mask" in run.out


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_a_legacy_workflow_command_in_model_text_is_defused(
    archlint: Archlint, output_format: str
) -> None:
    Path("m.yaml").write_text(MODEL.replace("PATH", '"/##[add-mask]Failed"'), encoding="utf-8")
    plan = archlint("plan", "m.yaml", "--format", output_format)
    assert plan.code == 0, plan
    assert_no_forged_command(plan.out)
    if output_format == "json":  # the same text once parsed
        assert json.loads(plan.out)["services"][0]["data"][0]["path"] == "/##[add-mask]Failed"
    else:
        assert "nas:/#\\x23[add-mask]Failed" in plan.out
    Path("m.yaml").write_text(INVALID.replace("nowhere", '"##[add-mask]x"'), encoding="utf-8")
    invalid = archlint("check", "m.yaml")
    assert invalid.code == 2, invalid
    assert_no_forged_command(invalid.err)


def unescape_property(value: str) -> str:
    # GitHub's runner unescapes in this order (ActionCommand.cs).
    for escape, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(escape, char)
    return value


def test_github_escapes_properties_and_data_as_the_runner_reads_them() -> None:
    file = "a,b:c%25d.yaml"
    message = "50% done\n::error::forged, really: yes\rno"
    finding = Finding(
        Location(file, 3, 5), "AL104", "unprotected-data", "photos", "datastore", "high", message
    )
    line = annotation(finding)
    assert "\n" not in line and "\r" not in line
    command, _, data = line.partition(" ")[2].partition("::")
    properties = dict(item.split("=", 1) for item in command.split(","))
    assert list(properties) == ["file", "line", "col", "title"]
    assert unescape_property(properties["file"]) == file
    # A line break of any kind stays one, as %0A.
    assert unescape_property(data) == message.replace("\r", "\n")


# --------------------------------------------------------------------------
# Markdown: mentions, references and autolinks


HOSTILE_TEXT = [
    "@octocat",
    "cc @github/security-team",
    "fixes #123 and owner/repo#7",
    "see GH-42 and gh-9",
    "visit www.evil.example/path",
    "mail admin@evil.example",
    "go to https://evil.example/x",
]
# Each pattern is what GitHub links or mentions in plain text.
GITHUB_TRIGGERS = [
    re.compile(r"@\w"),
    re.compile(r"#\d"),
    re.compile(r"(?i)\bgh-\d"),
    re.compile(r"(?i)\bwww\."),
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    re.compile(r"[a-z]+://"),
]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_markdown_text_neither_mentions_nor_links(text: str) -> None:
    shown = markdown_text(text)
    # Every trigger is split into text nodes that nothing joins again.
    for segment in shown.split("<wbr>"):
        for trigger in GITHUB_TRIGGERS:
            assert not trigger.search(segment), (trigger, shown)
    # ... and it reads as the same text once rendered.
    markdown = pytest.importorskip("markdown")
    rendered = markdown.markdown(shown)
    assert "<a" not in rendered
    assert html.unescape(re.sub(r"<[^>]+>", "", rendered)) == text


def test_a_markdown_report_neither_mentions_nor_links(archlint: Archlint) -> None:
    name = "@octocat #1 www.evil.example.yaml"
    Path(name).write_text(MODEL.replace("PATH", "/photos"), encoding="utf-8")
    check = archlint("check", name, "--as-of", AS_OF, "--format", "markdown")
    assert check.code == 1, check
    assert "@<wbr>octocat #<wbr>1 www<wbr>.evil.example.yaml:9:3" in check.out


# --------------------------------------------------------------------------
# Error messages: clipped and escaped model text, keys included

BIG = "k" * 900_000
INVISIBLE = "a\u202eb\u200bc\u2066d\u2028e"

KEY_CASES: dict[str, Callable[[str], str]] = {
    "links key": lambda key: MODEL.replace("path: PATH", f"links: {{? {json.dumps(key)} : [1]}}"),
    "retention key": lambda key: MODEL.replace(
        "{tool: restic,", f"{{retention: {{? {json.dumps(key)} : x}}, tool: restic,"
    ),
    "unknown field": lambda key: MODEL.replace("path: PATH", f"? {json.dumps(key)} : 1"),
    "unknown section": lambda key: MODEL.replace("PATH", "/p") + f"? {json.dumps(key)}\n: 1\n",
    "waived rule": lambda key: MODEL.replace(
        "path: PATH", f"waive: [{{rule: {json.dumps(key)}, reason: r}}]"
    ),
}


@pytest.mark.parametrize("case", KEY_CASES)
@pytest.mark.parametrize("key", [BIG, INVISIBLE], ids=["900 KB", "invisible"])
def test_error_messages_clip_and_escape_model_text(archlint: Archlint, case: str, key: str) -> None:
    Path("m.yaml").write_text(KEY_CASES[case](key), encoding="utf-8")
    run = archlint("check", "m.yaml", "--as-of", AS_OF)
    assert run.code == 2, run.err[:500]
    assert "internal error" not in run.err
    for line in run.err.splitlines():
        assert len(line) < 400, line[:500]
        assert line.isprintable(), line
    if key is INVISIBLE:
        assert "a\\u202eb\\u200bc\\u2066d\\u2028e" in run.err


def test_importer_messages_clip_and_escape_model_text(archlint: Archlint) -> None:
    Path("sanoid.conf").write_text(
        f"[tank/data]\nuse_template = {BIG}\u202e\u200b\n", encoding="utf-8"
    )
    run = archlint("import", "sanoid", "sanoid.conf")
    assert run.code == 2, run
    assert "no [template_kkk" in run.err
    assert all(len(line) < 400 and line.isprintable() for line in run.err.splitlines())


def test_printable_escapes_every_invisible_character() -> None:
    text = "x\x1b[2J\u202e\u200b\u2028\u00a0\ud800" + os.fsdecode(b"\xff") + "\tend"
    shown = printable(text)
    assert shown == "x\\x1b[2J\\u202e\\u200b\\u2028\\xa0\\ud800\\xff\tend"
    assert printable(shown) == shown


# --------------------------------------------------------------------------
# File names that are not UTF-8

NOT_UTF8 = os.fsdecode(b"caf\xe9.yaml")


@pytest.mark.parametrize("output_format", sorted(REPORTERS))
def test_a_file_name_that_is_not_utf8_is_shown_escaped(
    archlint: Archlint, output_format: str
) -> None:
    Path(NOT_UTF8).write_text(MODEL.replace("PATH", "/photos"), encoding="utf-8")
    run = archlint("check", NOT_UTF8, "--as-of", AS_OF, "--format", output_format, "-o", "out")
    assert run.code == 1, run
    report = Path("out").read_text(encoding="utf-8")
    if output_format == "sarif":
        uris = {
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for result in json.loads(report)["runs"][0]["results"]
        }
        assert uris == {"caf%E9.yaml"}
    elif output_format != "json":  # JSON keeps the name, escaped by json.dumps
        assert "caf\\xe9.yaml" in report.replace("\\\\", "\\")


def test_a_file_name_that_is_not_utf8_reaches_a_strict_stdout_and_stderr(tmp_path: Path) -> None:
    Path(NOT_UTF8).write_text(MODEL.replace("PATH", "/photos"), encoding="utf-8")
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8:strict", "NO_COLOR": "1"}
    command = [sys.executable, "-m", "archlint", "check", NOT_UTF8, "--as-of", AS_OF]
    found = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
    assert found.returncode == 1, found.stderr
    assert "\ncaf\\xe9.yaml:9:3: high unprotected-data photos" in found.stdout
    Path(NOT_UTF8).write_text(INVALID, encoding="utf-8")
    invalid = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
    assert invalid.returncode == 2, invalid.stderr
    assert invalid.stderr.startswith("caf\\xe9.yaml:3:24: error: ")


def test_shown_path_prefixes_only_what_could_start_a_command() -> None:
    assert shown_path("models/home.yaml") == "models/home.yaml"
    assert shown_path("/abs/::x.yaml") == "/abs/::x.yaml"
    assert shown_path("données.yaml") == "données.yaml"
    assert shown_path("::x.yaml") == "./::x.yaml"
    assert shown_path(" x.yaml") == "./ x.yaml"
    assert shown_path("\n::x") == "./\\n::x"


# --------------------------------------------------------------------------
# The loader: integers it cannot take, surrogates from the pure-Python parser

LONG_INTEGERS = ["0x" + "f" * 5000, "0o" + "7" * 6000, "!!int 0x" + "f" * 5000]


@pytest.mark.parametrize("number", LONG_INTEGERS, ids=["hex", "octal", "tagged hex"])
@pytest.mark.parametrize("field", ["archlint", "schedule", "date"])
def test_a_long_hexadecimal_or_octal_integer_is_a_located_error(
    archlint: Archlint, number: str, field: str
) -> None:
    documents = {
        "archlint": f"archlint: {number}\n",
        "schedule": "archlint: 1\nbackups:\n"
        f"  b: {{source: x, method: file, schedule: {number}}}\n",
        "date": f"archlint: 1\ndrills:\n  d: {{restores: [x], result: pass, date: {number}}}\n",
    }
    Path("m.yaml").write_text(documents[field], encoding="utf-8")
    run = archlint("check", "m.yaml")
    assert run.code == 2, run
    assert "internal error" not in run.err
    line = 1 if field == "archlint" else 3
    assert re.search(rf"^m\.yaml:{line}:\d+: error: number is too big", run.err, re.M), run.err


@pytest.mark.parametrize("where", ["value", "key"])
def test_a_surrogate_is_a_located_error_with_the_pure_python_parser(
    archlint: Archlint, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    monkeypatch.setattr(tree, "_LOADER", yaml.SafeLoader)
    escape = '"\\ud800x"'
    line = f"  nas: {{kind: nas, in: {escape}}}" if where == "value" else f"  {escape}: {{}}"
    Path("m.yaml").write_text(f"archlint: 1\nhosts:\n{line}\n", encoding="utf-8")
    run = archlint("check", "m.yaml")
    assert run.code == 2, run
    assert re.match(r"m\.yaml:3:\d+: error: invalid YAML: found invalid Unicode", run.err), run.err


def test_the_surrogate_error_matches_libyaml(archlint: Archlint) -> None:
    if not yaml.__with_libyaml__:
        pytest.skip("libyaml is not installed")
    Path("m.yaml").write_text('archlint: 1\nhosts:\n  nas: {in: "\\ud800"}\n', encoding="utf-8")
    run = archlint("check", "m.yaml")
    assert run.code == 2
    assert "error: invalid YAML: found invalid Unicode character escape code" in run.err


def test_reporters_never_see_an_unprintable_location() -> None:
    finding = Finding(
        Location(NOT_UTF8, 1, 1), "AL104", "unprotected-data", "photos", "datastore", "high", "m"
    )
    result = Result((finding,), (), (), 1)
    for render in REPORTERS.values():
        text = render(result, Style())
        assert NOT_UTF8 not in text
        text.encode("utf-8")  # a lone surrogate would raise here
