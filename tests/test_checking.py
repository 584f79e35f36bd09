"""archlint.cli.checking: the results of several models merged into one."""

from __future__ import annotations

from archlint.cli.checking import merge
from archlint.engine.findings import Finding, Result
from archlint.engine.rulepack import load_rules
from archlint.model.errors import Location


def finding(file: str, line: int, entity: str = "photos") -> Finding:
    return Finding(
        Location(file, line, 3), "AL101", "single-domain-copies", entity, "datastore", "high", "m"
    )


def result(*findings: Finding, waived: tuple[Finding, ...] = ()) -> Result:
    # As engine.findings.run gives them: sorted.
    return Result(tuple(sorted(findings)), tuple(sorted(waived)), (), len(findings), ())


def test_merge_gives_the_findings_of_all_models_in_order() -> None:
    # Two models whose files interleave: b.yaml sorts between a.yaml and c.yaml.
    first = result(
        finding("c.yaml", 1),
        finding("a.yaml", 9),
        finding("a.yaml", 2),
        waived=(finding("c.yaml", 4), finding("a.yaml", 4)),
    )
    second = result(
        finding("b.yaml", 5, "x"),
        finding("b.yaml", 5, "a"),
        waived=(finding("b.yaml", 1),),
    )
    merged = merge([first, second], load_rules())
    assert merged.findings == tuple(sorted(first.findings + second.findings))
    assert [(f.location.file, f.location.line, f.entity) for f in merged.findings] == [
        ("a.yaml", 2, "photos"),
        ("a.yaml", 9, "photos"),
        ("b.yaml", 5, "a"),
        ("b.yaml", 5, "x"),
        ("c.yaml", 1, "photos"),
    ]
    assert merged.waived == tuple(sorted(first.waived + second.waived))
    assert merged.entities == 5


def test_merge_keeps_the_order_of_one_model() -> None:
    only = result(finding("b.yaml", 3), finding("a.yaml", 7), waived=(finding("a.yaml", 1),))
    merged = merge([only], load_rules())
    assert merged.findings == only.findings and merged.waived == only.waived
