"""The importer framework: ids, the YAML reader of other tools, the emitter and the join."""

from __future__ import annotations

from pathlib import Path

import pytest

from archlint.importers.draft import Draft, ImportOptions, Origin, slug
from archlint.importers.emit import emit, scalar
from archlint.importers.merge import combine
from archlint.importers.registry import tools
from archlint.importers.yamlread import parse_documents
from archlint.load.limits import Limits
from archlint.model.errors import InvalidModel
from tests.importers.helpers import load_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My App", "My-App"),
        ("/srv/data/", "srv-data"),
        ("..", "item"),
        ("x" * 80, "x" * 64),
        ("naïve/ünïcode", "na-ve-n-code"),
    ],
)
def test_slug_gives_valid_ids(text: str, expected: str) -> None:
    assert slug(text) == expected


def test_ids_are_unique_across_sections_in_order() -> None:
    draft = Draft("t")
    first = draft.add("services", "db", {"host": "h"}, None)
    second = draft.add("datastores", "db", {"kind": "files"}, None)
    third = draft.add("datastores", "x" * 70, {"kind": "files"}, None)
    fourth = draft.add("datastores", "x" * 70, {"kind": "files"}, None)
    assert (first, second) == ("db", "db-2")
    assert (third, fourth) == ("x" * 64, "x" * 62 + "-2")


def test_registry_lists_importers_not_framework_modules() -> None:
    names = tools()
    assert "compose" in names
    assert not {"draft", "emit", "merge", "drift", "yamlread", "registry"} & set(names)


def test_merge_keys_explicit_keys_win_whatever_their_order() -> None:
    text = (
        "base: &b {a: 1, b: 2, c: 3}\n"
        "more: &m {c: 30, d: 4}\n"
        "x:\n  a: 10\n  <<: [*b, *m]\n  b: 20\n"
    )
    (data,) = parse_documents(text, "f.yaml")
    assert dict(data["x"]) == {"a": 10, "b": 20, "c": 3, "d": 4}
    assert data["x"].value_locations["b"].line == 6


def test_several_documents_and_tags_are_read_as_plain_data() -> None:
    docs = parse_documents("a: !reset []\n---\nb: !override x\n", "f.yaml")
    assert [dict(d) for d in docs] == [{"a": []}, {"b": "x"}]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &a [1, 2]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b, *b]\n", "aliases expand to more than"),
        ("a: " + "[" * 70 + "]" * 70 + "\n", "nesting is deeper than"),
        ("- a\n- b\n", "expected a mapping at the top of the file, not a list"),
        ("a: [1\n", "f.yaml:2:1: error: invalid YAML"),
    ],
)
def test_the_loader_limits_hold(text: str, message: str) -> None:
    limits = Limits(max_alias_nodes=10)
    with pytest.raises(InvalidModel, match=message):
        parse_documents(text, "f.yaml", limits)


@pytest.mark.parametrize(
    "value",
    ["yes", "no", "on", "null", "~", "1.0", "0x1f", "true", "a: b", "#x", "", " x", "-",
     "[a]", "{a}", "a\nb", "'q'", '"q"', "x #y", "\u2028", "0 3 * * *", "${VAR}", "*a", "&a",
     "!tag", "%x", "@x", "`x`", "|", ">", "?", ":x", "x:", "1e3", ".inf", "-.5"],
)  # fmt: skip
def test_scalars_read_back_as_the_same_string(value: str, tmp_path: Path) -> None:
    draft = Draft("t")
    draft.add("domains", "s", {"kind": "site", "description": value}, Origin("f", 1))
    model = load_text(emit(draft, "test"), tmp_path)
    assert model.domains["s"].description == value
    assert scalar(7) == "7" and scalar(True) == "true"


def test_comments_cannot_break_out_of_their_line(tmp_path: Path) -> None:
    draft = Draft("t")
    draft.add("domains", "s", {"kind": "site"}, Origin("evil\nhosts: {}", 1), todos=["a\nb: c"])
    text = emit(draft, "import x\ny")
    assert "hosts: {}" not in text.splitlines()
    assert load_text(text, tmp_path).domains["s"].kind == "site"


def test_join_through_the_backup_container_and_by_host_path(tmp_path: Path) -> None:
    options = ImportOptions(host="docker1", site="home")
    compose = Draft("compose")
    host = compose.ensure_host(None, options, None)
    volume = "/var/lib/docker/volumes/app_db/_data"
    fields = {"kind": "database", "engine": "mariadb", "host": host, "path": volume}
    db = compose.add("datastores", "db", fields, None, match={"host": host, "path": volume})
    media = compose.path_datastore(host, "/srv/media", None)
    photos = compose.path_datastore(host, "/srv/photos", None)
    borg = compose.add("services", "borgmatic", {"host": host, "data": [db]}, None,
                       match={"image": "ghcr.io/borgmatic-collective/borgmatic"})  # fmt: skip
    compose.mounts[borg] = [("/mnt/source/db", db)]
    tool = Draft("borgmatic")
    tool_host = tool.ensure_host(None, options, None)
    repo = tool.add("repositories", "local", {"tool": "borg", "host": tool_host}, None,
                    match={"tool": "borg", "url": "/backup"})  # fmt: skip
    for path in ("/mnt/source/db", "/srv"):
        source = tool.path_datastore(tool_host, path, None)
        tool.add("backups", f"{source}-b", {"source": source, "target": repo, "method": "file"},
                 Origin("config.yaml", 3))  # fmt: skip
    draft = combine([compose, tool])
    sources = sorted(str(b.fields["source"]) for b in draft.entities("backups"))
    assert sources == sorted([db, media, photos])  # /srv holds media and photos
    assert draft["borgmatic"].fields["data"] == []  # what it reads is not its own data
    assert [e.id for e in draft.entities("hosts")] == ["docker1"]
    assert draft["local"].fields["url"] == "/backup"
    model = load_text(emit(draft, "test"), tmp_path)
    assert model.backups["mnt-source-db-b"].source == db
