"""unused-repository (AL802): a repository no backup writes to."""

from __future__ import annotations

from tests.rules.helpers import TWO_REPOSITORIES, check_rule


def test_only_the_repository_nothing_writes_to_is_reported() -> None:
    assert check_rule("unused-repository", TWO_REPOSITORIES) == [("unused-repository", "b2-bucket")]
