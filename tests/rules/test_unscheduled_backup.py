"""unscheduled-backup (AL803): the evidence names the backup's source and target."""

from __future__ import annotations

from tests.rules.helpers import TWO_REPOSITORIES, findings


def test_evidence_names_source_and_target() -> None:
    (unscheduled,) = findings("unscheduled-backup", TWO_REPOSITORIES)
    assert unscheduled.entity == "photos-usb"
    assert unscheduled.evidence == (
        "backup 'photos-usb': 'photos' -> repository 'usb', no schedule",
    )
