"""`archlint import proxmox`: the corpus's guest config loads; exact expectations from fixtures."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.importers.helpers import CORPUS, FIXTURES, comments_before, load_text

HERE = FIXTURES / "proxmox"
GUESTS = [HERE / "nodes/pve1/qemu-server/100.conf", HERE / "nodes/pve1/lxc/101.conf"]
_DISK = re.compile(r"^(scsi|virtio|sata|ide)\d+: |^rootfs: ", re.MULTILINE)


def corpus_files() -> list[Path]:
    """Proxmox files of the corpus: guest configs (disk lines), jobs.cfg, storage.cfg."""
    if not CORPUS.is_dir():
        return []
    return sorted(
        path
        for path in CORPUS.rglob("*")
        if path.is_file()
        and (
            path.name in ("jobs.cfg", "storage.cfg")
            or (path.suffix == ".conf" and _DISK.search(path.read_text(errors="replace")))
        )
    )


def test_the_corpus_has_a_guest_config() -> None:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not next to this checkout")
    assert [path.name for path in corpus_files()] == ["105.conf"]


@pytest.mark.parametrize("path", corpus_files(), ids=lambda path: path.name)
def test_every_corpus_file_imports_and_loads(
    path: Path, archlint: Callable[..., Run], tmp_path: Path
) -> None:
    result = archlint("import", "proxmox", path, "--host", "pve")
    assert result.code == 0, result.err
    model = load_text(result.out, tmp_path)
    vm = model.hosts["UniversalMediaServer"]
    assert (vm.kind, vm.hypervisor) == ("vm", "pve")
    assert "no jobs.cfg given" in result.out.split("archlint: 1")[0]


def test_jobs_storages_and_guests(archlint: Callable[..., Run], tmp_path: Path) -> None:
    result = archlint(
        "import", "proxmox", HERE / "jobs.cfg", HERE / "storage.cfg", *GUESTS, "--site", "home"
    )
    assert result.code == 0, result.err
    model = load_text(result.out, tmp_path)
    assert model.hosts["pve1"].kind == "hypervisor"
    assert model.hosts["nextcloud"].hypervisor == "pve1"
    assert model.hosts["pihole"].hypervisor == "pve1"
    vm = model.backups["100-backup-daily"]
    assert (vm.source, vm.target, vm.method, str(vm.schedule)) == (
        "nextcloud",
        "pbs-main",
        "image",
        "30 2 * * *",
    )
    assert vm.quiesce is True  # snapshot mode with the guest agent
    assert vm.retention == {"daily": 7, "weekly": 4}
    assert model.backups["101-backup-daily"].quiesce is False  # a container has no agent
    # Guest 105 is in the job but its config was not given.
    assert model.backups["105-backup-daily"].source == "vm-105"
    assert any("config was not given" in line for line in comments_before(result.out, "vm-105"))
    pbs = model.repositories["pbs-main"]
    assert (pbs.tool, pbs.host, pbs.key) == ("pbs", "192.168.1.20", "pbs-main-encryption-key")
    assert model.keys["pbs-main-encryption-key"].stored_in == ("pve1",)
    # The disabled job imports nothing.
    assert not [b for b in model.backups if b.endswith("backup-off")]


def test_disks_left_out_of_backups_are_uncovered_datastores(
    archlint: Callable[..., Run], tmp_path: Path
) -> None:
    result = archlint("import", "proxmox", HERE / "jobs.cfg", HERE / "storage.cfg", *GUESTS)
    model = load_text(result.out, tmp_path)
    excluded = model.datastores["100-scsi1"]
    assert (excluded.kind, excluded.host, excluded.path) == (
        "vm-image",
        "pve1",
        "local-lvm:vm-100-disk-1",
    )
    assert model.datastores["tank-media"].path == "/tank/media"  # an LXC bind mount
    assert not any(b.source in ("100-scsi1", "tank-media") for b in model.backups.values())
    assert any("backup=0" in line for line in comments_before(result.out, "100-scsi1"))
    # A mount point with backup=1 is in the image: no datastore of its own.
    assert "subvol-101-disk-1" not in result.out


def test_bad_lines_are_located_errors(archlint: Callable[..., Run], tmp_path: Path) -> None:
    jobs = tmp_path / "jobs.cfg"
    jobs.write_text("vzdump: a\n\tschedule daily\nthis is not a header\n\tvmid 1\n")
    result = archlint("import", "proxmox", jobs)
    assert result.code == 2
    assert f"{jobs}:3:" in result.err


def test_the_vzdump_cron_of_older_releases(archlint: Callable[..., Run], tmp_path: Path) -> None:
    result = archlint("import", "proxmox", HERE / "vzdump.cron", HERE / "storage.cfg", GUESTS[0])
    assert result.code == 0, result.err
    model = load_text(result.out, tmp_path)
    (backup,) = model.backups.values()
    assert (backup.source, backup.target, str(backup.schedule)) == (
        "nextcloud",
        "pbs-main",
        "0 1 * * 6",
    )
    assert backup.quiesce is True  # mode stop
    assert f"# from {HERE / 'vzdump.cron'}:4" in result.out
