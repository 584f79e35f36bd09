"""The CI output formats: SARIF, JUnit, GitHub, GitLab and Markdown.

Each format is checked against what its consumer documents, against hostile
model text, against the JSON report (same findings) and for determinism.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from archlint import __version__
from archlint.engine.findings import Finding, Result
from archlint.engine.rule import SEVERITIES, Severity
from archlint.engine.ruledoc import rule_url
from archlint.engine.rulepack import load_rules
from archlint.model.errors import Location
from archlint.reporters import REPORTERS, Style, github, gitlab, junit, sarif
from archlint.reporters.common import LEVELS
from tests.conftest import Run

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "tests/schemas/sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
RULES = load_rules()
FORMATS = ("sarif", "junit", "github", "gitlab", "markdown")
Archlint = Callable[..., Run]

# Model text that tries to break out of each format.
HOSTILE = (
    "evil::error file=x.yaml,line=1::forged on the same line",
    "first line\n::error file=x.yaml,line=1::forged on a new line",
    "carriage return\r::warning::forged",
    "crlf\r\n::notice::forged",
    "percent %0A and %25 stay literal",
    "commas, and: colons",
    "\x1b[31mred\x1b[0m ANSI and \x9b CSI",
    "nul \x00 bell \x07 del \x7f",
    "<script>alert('x')</script> & \"quotes\" ]]> <![CDATA[",
    "pipe | in | a cell\nand a line break",
    "{0} looks like a SARIF placeholder",
    "[a link](https://evil.example) and *emphasis*",
)


def finding(
    message: str = "a message",
    *,
    severity: Severity = "high",
    entity: str = "photos",
    file: str = "models/home.yaml",
    line: int = 9,
    rule: str = "AL101",
    name: str = "single-domain-copies",
    key: str = "",
) -> Finding:
    return Finding(
        location=Location(file, line, 3),
        rule=rule,
        name=name,
        entity=entity,
        kind="datastore",
        severity=severity,
        message=message,
        evidence=(f"evidence for {message}",),
        key=key,
    )


def result_of(*findings: Finding) -> Result:
    return Result(
        findings=tuple(sorted(findings)),
        waived=(),
        rules=tuple(RULES),
        entities=len(findings),
        files=tuple(sorted({f.location.file for f in findings})),
    )


def hostile_result() -> Result:
    return result_of(
        *(finding(message, entity=f"e{n}", line=n + 1) for n, message in enumerate(HOSTILE))
    )


def render(output_format: str, result: Result) -> str:
    return REPORTERS[output_format](result, Style())


@pytest.fixture
def homelab(archlint: Archlint, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Run]:
    """Check models/homelab from the repository's root in one format."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)

    def check(output_format: str) -> Run:
        run = archlint(
            "check", "models/homelab", "--as-of", "2026-11-26", "--format", output_format
        )
        assert run.code == 1, run.err
        return run

    return check


# SARIF


def validate_sarif(text: str) -> dict[str, Any]:
    log = json.loads(text)
    validator = jsonschema.Draft7Validator(
        SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(log), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    return dict(log)


def test_the_vendored_schema_is_the_draft_7_sarif_2_1_0_schema() -> None:
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    jsonschema.Draft7Validator.check_schema(SCHEMA)


def test_sarif_of_homelab_validates_and_has_what_github_requires(
    homelab: Callable[[str], Run],
) -> None:
    log = validate_sarif(homelab("sarif").out)
    assert log["version"] == "2.1.0"
    assert log["$schema"] == sarif.SCHEMA_URI
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("archlint", __version__)
    assert driver["informationUri"].startswith("https://")
    # Every loaded rule is described, in id order, with GitHub's required fields.
    assert [rule["id"] for rule in driver["rules"]] == sorted(rule.id for rule in RULES)
    for descriptor, rule in zip(driver["rules"], RULES, strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"] == rule.rationale
        assert rule.remediation in descriptor["help"]["text"]
        assert rule.remediation in descriptor["help"]["markdown"]
        assert descriptor["helpUri"] == rule_url(rule.name)
        assert descriptor["defaultConfiguration"]["level"] == LEVELS[rule.severity].sarif
        score = float(descriptor["properties"]["security-severity"])
        assert 0.0 < score <= 10.0
        assert "security" in descriptor["properties"]["tags"]
    assert run["results"]
    for result in run["results"]:
        descriptor = driver["rules"][result["ruleIndex"]]
        assert result["ruleId"] == descriptor["id"]
        assert result["level"] == LEVELS[result["properties"]["severity"]].sarif
        assert result["message"]["text"]
        physical = result["locations"][0]["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert uri.startswith("models/homelab/") and (ROOT / uri).is_file()
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert physical["region"]["startLine"] >= 1 and physical["region"]["startColumn"] >= 1
        assert re.fullmatch(r"[0-9a-f]{64}", result["partialFingerprints"][sarif.FINGERPRINT_KEY])
        assert {"entity", "kind", "evidence"} <= set(result["properties"])


def test_sarif_points_into_the_yaml(homelab: Callable[[str], Run]) -> None:
    log = json.loads(homelab("sarif").out)
    for result in log["runs"][0]["results"]:
        physical = result["locations"][0]["physicalLocation"]
        lines = (
            (ROOT / physical["artifactLocation"]["uri"]).read_text(encoding="utf-8").splitlines()
        )
        line = lines[physical["region"]["startLine"] - 1]
        # Entities are mapping keys: the region starts at the entity's id.
        column = physical["region"]["startColumn"] - 1
        assert line[column:].startswith(result["properties"]["entity"])


def test_sarif_with_hostile_messages_validates_and_escapes_placeholders() -> None:
    log = validate_sarif(render("sarif", hostile_result()))
    texts = [result["message"]["text"] for result in log["runs"][0]["results"]]
    assert "{{0}} looks like a SARIF placeholder" in texts
    assert HOSTILE[0] in texts  # JSON escapes the rest; nothing else to do


def test_sarif_uri_is_relative_and_encoded_inside_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    inside = finding(file="models/my home.yaml")
    outside = finding(file=str(tmp_path.parent / "elsewhere.yaml"), entity="other")
    log = validate_sarif(render("sarif", result_of(inside, outside)))
    locations = {
        result["properties"]["entity"]: result["locations"][0]["physicalLocation"]
        for result in log["runs"][0]["results"]
    }
    assert locations["photos"]["artifactLocation"] == {
        "uri": "models/my%20home.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    assert locations["other"]["artifactLocation"] == {
        "uri": (tmp_path.parent / "elsewhere.yaml").as_uri()
    }


def test_severities_map_to_the_same_levels_in_every_format() -> None:
    expected = {
        # severity: (SARIF level, security-severity, GitHub command, GitLab severity)
        "critical": ("error", "9.0", "error", "blocker"),
        "high": ("error", "7.0", "error", "critical"),
        "medium": ("warning", "5.0", "warning", "major"),
        "low": ("note", "3.0", "notice", "minor"),
        "info": ("note", "1.0", "notice", "info"),
    }
    for severity in SEVERITIES:
        level = LEVELS[severity]
        command = github.annotation(finding(severity=severity)).split(" ", 1)[0]
        mapped = (level.sarif, level.security_severity, command[2:], gitlab.SEVERITIES[severity])
        assert mapped == expected[severity]


# JUnit


def test_junit_of_homelab_parses_with_a_failure_per_finding(
    homelab: Callable[[str], Run],
) -> None:
    findings = json.loads(homelab("json").out)["findings"]
    root = ET.fromstring(homelab("junit").out)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    # One suite per rule that ran, named after it; test cases grouped by it.
    assert sorted(suite.get("name") for suite in suites) == sorted(rule.name for rule in RULES)
    assert len(root.findall("testsuite/testcase/failure")) == len(findings)
    pairs = {(f["name"], f"{f['kind']} {f['entity']}") for f in findings}
    failing = {
        (case.get("classname"), case.get("name"))
        for case in root.iter("testcase")
        if case.find("failure") is not None
    }
    assert failing == pairs
    for suite in suites:
        cases = suite.findall("testcase")
        assert {case.get("classname") for case in cases} == {suite.get("name")}
        assert int(suite.get("tests", "")) == len(cases)
        failed = [case for case in cases if case.find("failure") is not None]
        assert int(suite.get("failures", "")) == len(failed)
        if not failed:
            assert [case.get("name") for case in cases] == [junit.PASSING]
    assert int(root.get("tests", "")) == len(root.findall("testsuite/testcase"))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and failure.get("type") in SEVERITIES
    assert failure.text is not None and failure.text.startswith("models/homelab/")


def test_junit_lists_a_passing_case_for_each_rule_without_findings() -> None:
    root = ET.fromstring(render("junit", result_of(finding())))
    cases = {case.get("classname"): case for case in root.iter("testcase")}
    assert len(cases) == len(RULES)
    assert cases["single-domain-copies"].get("name") == "datastore photos"
    passing = [case for name, case in cases.items() if name != "single-domain-copies"]
    assert all(case.get("name") == junit.PASSING and not list(case) for case in passing)
    assert (root.get("tests"), root.get("failures")) == (str(len(RULES)), "1")


def test_junit_with_hostile_text_always_parses() -> None:
    result = hostile_result()
    root = ET.fromstring(render("junit", result))
    failures = root.findall("testsuite/testcase/failure")
    assert len(failures) == len(HOSTILE)
    messages = {failure.get("message") for failure in failures}
    # XML specials come back unchanged; control characters come back as escapes.
    assert HOSTILE[8] in messages
    assert "nul \\x00 bell \\x07 del \\x7f" in messages
    assert "\\x1b[31mred\\x1b[0m ANSI and \\x9b CSI" in messages
    for failure in failures:
        assert failure.text is not None and "\x1b" not in failure.text
        # Line breaks in model text never add lines: location, message, evidence.
        assert len(failure.text.split("\n")) == 3


def test_junit_escapes_what_xml_1_0_forbids() -> None:
    text = render("junit", result_of(finding("lone surrogate \ud800 and \ufffe")))
    root = ET.fromstring(text.encode("utf-8"))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "lone surrogate \\ud800 and \\ufffe"


# GitHub


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """Read a workflow command the way the runner does: `::name props::data`."""
    assert line.startswith("::")
    head, data = line[2:].split("::", 1)
    name, _, props = head.partition(" ")
    properties = dict(prop.split("=", 1) for prop in props.split(",")) if props else {}
    return name, {k: unescape(v) for k, v in properties.items()}, unescape(data)


def unescape(value: str) -> str:
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(escaped, plain)
    return value


def test_github_annotations_of_homelab(homelab: Callable[[str], Run]) -> None:
    findings = json.loads(homelab("json").out)["findings"]
    lines = homelab("github").out.splitlines()
    commands = [parse_command(line) for line in lines if line.startswith("::")]
    assert len(commands) == len(findings)
    for (name, props, message), expected in zip(commands, findings, strict=True):
        assert name == LEVELS[expected["severity"]].sarif.replace("note", "notice")
        assert props == {
            "file": expected["location"]["file"],
            "line": str(expected["location"]["line"]),
            "col": str(expected["location"]["column"]),
            "title": f"{expected['name']} ({expected['rule']})",
        }
        assert message == f"{expected['message']}\nFix: {expected['fix']}"
    assert not lines[-1].startswith("::")  # the summary is plain log text


def test_github_hostile_messages_cannot_forge_commands() -> None:
    result = hostile_result()
    lines = render("github", result).splitlines()
    commands = [line for line in lines if line.startswith("::")]
    # One command per finding and not one more: no line break survives escaping.
    assert len(commands) == len(HOSTILE) and len(lines) == len(HOSTILE) + 1
    for line, source in zip(commands, result.findings, strict=True):
        name, props, message = parse_command(line)
        assert name == "error"
        assert set(props) == {"file", "line", "col", "title"}
        assert "\x1b" not in line and "\x00" not in line and "\x9b" not in line
        expected = source.message.replace("\r\n", "\n").replace("\r", "\n")
        for control, shown in (("\x1b", "\\x1b"), ("\x9b", "\\x9b"), ("\x00", "\\x00")):
            expected = expected.replace(control, shown)
        expected = expected.replace("\x07", "\\x07").replace("\x7f", "\\x7f")
        assert message == expected


def test_github_escapes_properties() -> None:
    hostile_path = "models/a,b:c%d\n::error::x.yaml"
    line = github.annotation(finding(file=hostile_path))
    head = line[2:].split("::", 1)[0]
    assert "\n" not in line and head.count(",") == 3  # four properties, no more
    assert "file=models/a%2Cb%3Ac%25d%0A%3A%3Aerror%3A%3Ax.yaml," in line
    assert parse_command(line)[1]["file"] == hostile_path


# GitLab


def test_gitlab_code_quality_of_homelab(homelab: Callable[[str], Run]) -> None:
    findings = json.loads(homelab("json").out)["findings"]
    issues = json.loads(homelab("gitlab").out)
    assert isinstance(issues, list) and len(issues) == len(findings)
    for issue, expected in zip(issues, findings, strict=True):
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["check_name"] == expected["name"]
        assert expected["message"] in issue["description"]
        assert issue["severity"] == gitlab.SEVERITIES[expected["severity"]]
        assert issue["location"] == {
            "path": expected["location"]["file"],
            "lines": {"begin": expected["location"]["line"]},
        }
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(set(fingerprints)) == len(fingerprints)


def test_gitlab_fingerprints_are_the_findings_and_unique_even_for_repeats() -> None:
    first = finding(file="a/archlint.yaml")
    repeat = finding(file="b/archlint.yaml")  # same rule, kind, entity and key
    other = finding(key="another")
    issues = json.loads(render("gitlab", result_of(first, repeat, other)))
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(set(fingerprints)) == 3
    assert first.fingerprint in fingerprints and other.fingerprint in fingerprints
    # Derived from the finding, not from the run: the same input gives the same.
    assert render("gitlab", result_of(first, repeat, other)) == render(
        "gitlab", result_of(first, repeat, other)
    )


def test_gitlab_report_has_no_byte_order_mark() -> None:
    assert render("gitlab", hostile_result()).startswith("[")


# Markdown


UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def table_rows(text: str) -> list[str]:
    """The rows of every findings table (one per root cause, when they are grouped)."""
    header = "| severity | rule | entity | location | message |"
    rows, in_table = [], False
    for line in text.splitlines():
        if line == header:
            in_table = True
        elif in_table and not line.startswith("|"):
            in_table = False
        elif in_table and not line.startswith("| ---"):
            rows.append(line)
    return rows


def test_markdown_table_survives_hostile_messages() -> None:
    text = render("markdown", hostile_result())
    rows = table_rows(text)
    assert len(rows) == len(HOSTILE)
    for row in rows:
        # Six unescaped pipes make five cells: nothing split or added a column.
        assert len(UNESCAPED_PIPE.findall(row)) == 6
    assert "<script>" not in text and "\x1b" not in text
    assert "\\<script\\>" in text
    # The link stays text, and the URL is not autolinked either.
    assert "\\[a link\\](https:<wbr>//evil.example)" in text


def test_markdown_links_rules_and_counts_severities() -> None:
    result = result_of(
        finding(severity="critical", rule="AL201", name="orphaned-key", entity="k"),
        finding(severity="low", entity="photos"),
    )
    text = render("markdown", result)
    assert text.startswith("## archlint: 2 findings\n")
    assert "| critical | 1 |" in text and "| high | 0 |" in text and "| low | 1 |" in text
    rows = table_rows(text)
    assert rows[0].startswith("| critical | [orphaned-key](" + rule_url("orphaned-key") + ")")
    assert rows[1].startswith("| low | [single-domain-copies](")


def test_markdown_says_no_findings_when_clean() -> None:
    text = render("markdown", result_of())
    assert "No findings" in text and "|" not in text


def test_markdown_of_homelab_has_a_row_per_finding(homelab: Callable[[str], Run]) -> None:
    findings = json.loads(homelab("json").out)["findings"]
    rows = table_rows(homelab("markdown").out)
    assert len(rows) == len(findings)


# All formats


def listed(output_format: str, text: str, names: dict[str, str]) -> Counter[tuple[str, ...]]:
    """What each format says was found: (rule name, where) per finding, where
    `where` is the entity when the format names it, else the file and line."""
    if output_format == "json":
        return Counter(
            (f["name"], f["entity"], f["location"]["file"], str(f["location"]["line"]))
            for f in json.loads(text)["findings"]
        )
    if output_format == "sarif":
        return Counter(
            (
                names[r["ruleId"]],
                r["properties"]["entity"],
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                str(r["locations"][0]["physicalLocation"]["region"]["startLine"]),
            )
            for r in json.loads(text)["runs"][0]["results"]
        )
    if output_format == "junit":
        return Counter(
            (
                str(case.get("classname")),
                str(case.get("name")).split(" ", 1)[1],
                *str(failure.text).split(":", 2)[:2],
            )
            for case in ET.fromstring(text).iter("testcase")
            for failure in case.findall("failure")
        )
    if output_format == "markdown":
        return Counter(
            (
                re.match(r"\[([a-z0-9-]+)\]", cells[1]).group(1),  # type: ignore[union-attr]
                cells[2].split(" ", 1)[1],
                *cells[3].split(":")[:2],
            )
            for cells in (row.split(" | ") for row in table_rows(text))
        )
    if output_format == "gitlab":
        return Counter(
            (i["check_name"], i["location"]["path"], str(i["location"]["lines"]["begin"]))
            for i in json.loads(text)
        )
    assert output_format == "github"
    commands = [parse_command(line) for line in text.splitlines() if line.startswith("::")]
    return Counter(
        (props["title"].split(" ", 1)[0], props["file"], props["line"])
        for _name, props, _message in commands
    )


@pytest.mark.parametrize("output_format", FORMATS)
def test_every_format_lists_the_same_findings_as_json(
    homelab: Callable[[str], Run], output_format: str
) -> None:
    names = {rule.id: rule.name for rule in RULES}
    expected = listed("json", homelab("json").out, names)
    assert expected
    found = listed(output_format, homelab(output_format).out, names)
    assert sum(found.values()) == sum(expected.values())
    if output_format in ("github", "gitlab"):
        # These name no entity; an entity's place in the files stands for it.
        expected_by_place: Counter[tuple[str, ...]] = Counter()
        for (name, _entity, file, line), n in expected.items():
            expected_by_place[(name, file, line)] += n
        assert found == expected_by_place
    else:
        assert found == expected


@pytest.mark.parametrize("output_format", FORMATS)
def test_every_format_is_byte_identical_across_runs(
    homelab: Callable[[str], Run], output_format: str
) -> None:
    assert homelab(output_format).out == homelab(output_format).out


@pytest.mark.parametrize("output_format", FORMATS)
def test_every_format_renders_an_empty_result(output_format: str) -> None:
    text = render(output_format, result_of())
    assert text.endswith("\n")
    if output_format == "sarif":
        assert validate_sarif(text)["runs"][0]["results"] == []
    if output_format == "junit":
        assert ET.fromstring(text).get("failures") == "0"
    if output_format == "gitlab":
        assert json.loads(text) == []


def canonical_json(text: str) -> str:
    """What json.dumps writes for the same document, as every JSON reporter must."""
    document = json.loads(text)
    return (json.dumps(document, indent=2, sort_keys=True) + "\n").replace("##[", "#\\u0023[")


@pytest.mark.parametrize("output_format", ["json", "sarif"])
def test_json_reports_are_written_as_json_dumps_writes_them(output_format: str) -> None:
    # The reporters write findings directly, not through json.dumps: any value,
    # hostile, empty, non-ASCII, at line 0 or without a known rule, must still
    # come out exactly as json.dumps(indent=2, sort_keys=True) would write it.
    odd = (
        finding("é ü 中文 \u2028 ##[error] {x}", entity="ünïcode", line=0),
        Finding(
            Location("/elsewhere/m.yaml", 4, 0),
            "AL999",
            "no-such-rule",
            "x",
            "host",
            "low",
            "no evidence, no fix",
        ),
        Finding(
            Location("models/home.yaml", 2, 1),
            "AL101",
            "single-domain-copies",
            "y",
            "datastore",
            "critical",
            "caused",
            ("a", "b\tc"),
            fix="do {this}",
            cause="nas",
            cause_kind="host",
        ),
    )
    for result in (hostile_result(), result_of(*odd), result_of()):
        text = render(output_format, result)
        assert text == canonical_json(text)


def test_json_text_writes_what_json_dumps_writes() -> None:
    from archlint.reporters.style import json_text

    documents: list[Any] = [
        {"b": [1, -2, 3.5, None, True, False, [], {}, [[]], "x\x1b\u00e9"], "a": {"z": (1,)}},
        {2: "integer keys", 1: {1.5: "a float key", 0.5: [True]}, 3: {None: None}},
        [[{"deep": [{"deeper": ["text", 0]}]}]],
        "##[command] in a string",
        [],
        0,
    ]
    for document in documents:
        expected = json.dumps(document, indent=2, sort_keys=True) + "\n"
        assert json_text(document) == expected.replace("##[", "#\\u0023[")
    with pytest.raises(TypeError):
        json_text({object(): 1})
