"""archlint.cli.checking: the results of several models merged into one."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import cast

from archlint.analysis.facts import Facts
from archlint.cli.check import Request
from archlint.cli.checking import merge, report
from archlint.engine.findings import Finding, Result
from archlint.engine.pipeline import check_model
from archlint.engine.rulepack import load_rules
from archlint.model.errors import Location
from archlint.reporters import REPORTERS, Style


def finding(file: str, line: int, entity: str = "photos") -> Finding:
    return Finding(
        Location(file, line, 3), "AL101", "single-domain-copies", entity, "datastore", "high", "m"
    )


def result_of(*findings: Finding, waived: tuple[Finding, ...] = ()) -> Result:
    # As engine.findings.run gives them: sorted.
    return Result(tuple(sorted(findings)), tuple(sorted(waived)), (), len(findings), ())


def test_merge_gives_the_findings_of_all_models_in_order() -> None:
    # Two models whose files interleave: b.yaml sorts between a.yaml and c.yaml.
    first = result_of(
        finding("c.yaml", 1),
        finding("a.yaml", 9),
        finding("a.yaml", 2),
        waived=(finding("c.yaml", 4), finding("a.yaml", 4)),
    )
    second = result_of(
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
    only = result_of(finding("b.yaml", 3), finding("a.yaml", 7), waived=(finding("a.yaml", 1),))
    merged = merge([only], load_rules())
    assert merged.findings == only.findings and merged.waived == only.waived


HOMELAB = Path(__file__).resolve().parent.parent / "models" / "homelab"
AS_OF = date(2026, 11, 26)


def request(output_format: str) -> Request:
    return Request(
        paths=(HOMELAB,),
        output_format=output_format,
        output=None,
        select=(),
        ignore=(),
        fail_on=None,
        exit_zero=False,
        baseline=None,
        write_baseline=None,
        config_file=None,
        rule_packs=(),
        as_of=None,
        max_model_size=None,
        cache_dir=None,
        color="never",
        statistics=False,
        quiet=False,
    )


def test_the_json_report_is_the_json_reporters_text_as_bytes() -> None:
    rules = load_rules()
    kept: list[object] = []
    checked = check_model(HOMELAB, rules, rules, AS_OF, keep=kept)
    # A file name and a message that hold a GitHub workflow command, made inert.
    odd = finding("##[error]x.yaml", 1)
    odd = odd._replace(message="##[warning] hostile")
    result = merge([checked, result_of(odd)], rules)
    written = report(result, request("json"))
    assert isinstance(written, bytes)
    assert written == REPORTERS["json"](result, Style()).encode()
    assert b"##[" not in written and written.count(b"#\\u0023[") == 2
    assert json.loads(written)["findings"][0]["message"] == "##[warning] hostile"
    assert report(result, request("text")) == REPORTERS["text"](result, Style())
    # check_model handed over the analysed model instead of freeing it.
    assert [type(facts) for facts in kept] == [Facts]
    assert cast(Facts, kept[0]).model.count() == checked.entities
