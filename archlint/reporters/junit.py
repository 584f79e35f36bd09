"""JUnit XML output, as GitLab (`artifacts:reports:junit`) and Jenkins read it.

One <testsuite> per rule; in it one <testcase> per entity the rule reports on,
with a <failure> per finding (its location, message and evidence), and a
passing "no findings" test case for a rule without findings, so that a test
dashboard shows what was checked. GitLab groups test cases by `classname`,
which is the rule name.

ElementTree escapes the XML specials; characters that XML 1.0 forbids
(control characters, lone surrogates) are shown as escapes instead, so the
file always parses.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable

from archlint.engine.findings import Finding, Result
from archlint.reporters.common import display_location
from archlint.reporters.style import Style, printable

# What is left to forbid after `printable`: lone surrogates, U+FFFE and U+FFFF.
XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
PASSING = "no findings"
# Tests take no time here; a fixed value keeps the output byte-identical.
TIME = "0"

# A rule's findings grouped by (entity kind, entity id).
ByEntity = dict[tuple[str, str], list[Finding]]


def render(result: Result, style: Style) -> str:
    suites = [testsuite(name, by_entity) for name, by_entity in grouped(result)]
    root = ET.Element(
        "testsuites",
        name="archlint",
        tests=str(sum(int(suite.get("tests", "0")) for suite in suites)),
        failures=str(sum(int(suite.get("failures", "0")) for suite in suites)),
        errors="0",
        time=TIME,
    )
    root.extend(suites)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def grouped(result: Result) -> list[tuple[str, ByEntity]]:
    """Every rule that ran, and any other rule with findings, sorted by rule id."""
    ids = {rule.name: rule.id for rule in result.rules}
    ids.update((finding.name, finding.rule) for finding in result.findings)
    by_rule: dict[str, ByEntity] = {name: defaultdict(list) for name in ids}
    for finding in result.findings:
        by_rule[finding.name][(finding.kind, finding.entity)].append(finding)
    return [(name, by_rule[name]) for name in sorted(ids, key=lambda name: (ids[name], name))]


def testsuite(rule: str, by_entity: ByEntity) -> ET.Element:
    cases = [
        failing_case(rule, kind, entity, by_entity[kind, entity])
        for kind, entity in sorted(by_entity)
    ]
    if not cases:
        cases = [ET.Element("testcase", classname=rule, name=PASSING, time=TIME)]
    suite = ET.Element(
        "testsuite",
        name=rule,
        tests=str(len(cases)),
        failures=str(len(by_entity)),
        errors="0",
        skipped="0",
        time=TIME,
    )
    suite.extend(cases)
    return suite


def failing_case(rule: str, kind: str, entity: str, findings: Iterable[Finding]) -> ET.Element:
    case = ET.Element("testcase", classname=rule, name=xml_text(f"{kind} {entity}"), time=TIME)
    for finding in findings:
        failure = ET.SubElement(
            case, "failure", message=xml_text(finding.message), type=finding.severity
        )
        failure.text = failure_text(finding)
    return case


def failure_text(finding: Finding) -> str:
    place = display_location(finding.location)
    lines = [
        f"{place}: {finding.severity} {finding.name} ({finding.rule})",
        finding.message,
        *([f"fix: {finding.fix}"] if finding.fix else []),
        *(f"evidence: {item}" for item in finding.evidence),
    ]
    # Each line on its own, so a line break inside model text shows as \n
    # instead of continuing the report.
    return "\n".join(xml_text(line) for line in lines)


def xml_text(value: str) -> str:
    return XML_FORBIDDEN.sub(lambda match: f"\\u{ord(match.group()):04x}", printable(value))
