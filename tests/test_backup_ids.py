"""`Backup.sources` and `Backup.targets`: the ids a backup reads and writes, as
validation sets them and as a backup made another way derives them."""

from __future__ import annotations

import pytest

from archlint.model.entities import Backup

ONE = {"source": "db", "target": "nas", "method": "dump"}
MANY = {"source": ["db", "files"], "target": ["nas", "cloud"], "method": "file"}
LOCAL = {"source": "db", "method": "snapshot"}


@pytest.mark.parametrize(
    ("data", "sources", "targets"),
    [
        (ONE, ("db",), ("nas",)),
        (MANY, ("db", "files"), ("nas", "cloud")),
        (LOCAL, ("db",), ()),
    ],
)
def test_a_backup_made_by_model_validate_has_them(
    data: dict[str, object], sources: tuple[str, ...], targets: tuple[str, ...]
) -> None:
    backup = Backup.model_validate(data)
    assert (backup.sources, backup.targets) == (sources, targets)


def test_a_copy_derives_them_from_its_own_fields() -> None:
    backup = Backup.model_validate(ONE)
    assert backup.targets == ("nas",)
    copy = backup.model_copy(update={"target": ("usb",)})
    assert (copy.sources, copy.targets) == (("db",), ("usb",))


def test_other_missing_attributes_still_fail() -> None:
    backup = Backup.model_validate(ONE)
    with pytest.raises(AttributeError, match="'Backup' object has no attribute 'nope'"):
        backup.nope  # type: ignore[attr-defined]  # noqa: B018
    with pytest.raises(AttributeError):
        backup.id  # noqa: B018  # set by validation only
