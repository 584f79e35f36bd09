"""Benchmark: one key shared by thousands of datastores, the worst case of key reasoning.

Usage: python bench/key_fanout.py [DATASTORES]  (default 2000)

Two valid models: a key kept only inside the datastores it encrypts (so it
locks itself away), and the same key also known by a person. Each datastore
is asked about every failure that touches a place of the key; the engine must
answer with per-key failure sets instead of datastores times failures.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path


def model(datastores: int, person: bool) -> str:
    places = [f"d{n}" for n in range(datastores)] + (["alice"] if person else [])
    lines = ["archlint: 1", "domains:", "  home: {kind: site}", "  cloud: {kind: site}"]
    lines += ["  alice: {kind: person}", "hosts:"]
    lines += [f"  h{n}: {{kind: server, in: home}}" for n in range(datastores)]
    lines += ["repositories:", "  r: {tool: restic, in: cloud, key: k, verify: weekly}"]
    lines += ["datastores:"]
    lines += [f"  d{n}: {{kind: secrets, host: h{n}, key: k}}" for n in range(datastores)]
    lines += ["keys:", f"  k: {{kind: passphrase, stored_in: [{', '.join(places)}]}}"]
    lines += ["backups:"]
    lines += [
        f"  b{n}: {{source: d{n}, target: r, method: file, schedule: daily}}"
        for n in range(datastores)
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    datastores = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with tempfile.TemporaryDirectory() as directory:
        for person in (False, True):
            path = Path(directory) / f"fanout-{person}.yaml"
            path.write_text(model(datastores, person), encoding="utf-8")
            started = time.perf_counter()
            subprocess.run(["archlint", "check", str(path), "-o", str(path) + ".txt"], check=False)
            label = "also with a person" if person else "only in what it encrypts"
            print(f"{datastores} datastores, key {label}: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
