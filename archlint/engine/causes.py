"""Root causes: findings that one change would fix, grouped.

One misplaced repository yields a finding per datastore and per rule. Each
finding names its cause: the entity the rule names as the root cause (a rule
sets `Problem.cause`, e.g. backup-on-live-storage names the repository the
backup writes to), else the entity the finding is reported on. Findings with
the same cause form one group; groups come in the order of their first
finding, and findings keep their order inside a group, so the grouping is as
deterministic as the findings are.
"""

from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from archlint.engine.findings import Finding
from archlint.engine.rule import SEVERITIES


class Cause(NamedTuple):
    kind: str  # the kind of the entity that causes the findings
    entity: str
    findings: tuple[Finding, ...]

    @property
    def shared(self) -> bool:
        """Whether more than one finding comes from this cause."""
        return len(self.findings) > 1

    def summary(self) -> str:
        """`repository 'nas': 3 findings (1 high, 2 medium) from rule-a (2), rule-b`."""
        total = len(self.findings)
        by_severity = Counter(finding.severity for finding in self.findings)
        severities = ", ".join(
            f"{by_severity[s]} {s}" for s in reversed(SEVERITIES) if by_severity[s]
        )
        by_rule = Counter(finding.name for finding in self.findings)
        rules = ", ".join(
            f"{name} ({count})" if count > 1 else name for name, count in sorted(by_rule.items())
        )
        noun = "finding" if total == 1 else "findings"
        return f"{self.kind} '{self.entity}': {total} {noun} ({severities}) from {rules}"


def cause_of(finding: Finding) -> tuple[str, str]:
    """The finding's cause as (kind, entity id)."""
    if finding.cause:
        return (finding.cause_kind or finding.kind, finding.cause)
    return (finding.kind, finding.entity)


def group_by_cause(findings: Iterable[Finding]) -> list[Cause]:
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault(cause_of(finding), []).append(finding)
    return [Cause(kind, entity, tuple(found)) for (kind, entity), found in groups.items()]
