"""Tests for the load stage: files, includes, YAML 1.2 scalars, safety limits, locations."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from archlint.load.limits import Limits
from archlint.load.model import Document, load_model
from archlint.model.errors import InvalidModel, Location, ModelError
from archlint.model.located import LocatedList, LocatedMap


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in tmp_path, so models are given as short relative paths like a user would."""
    monkeypatch.chdir(tmp_path)


DEFAULT_LIMITS = Limits()


def write(files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = Path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def load_one(text: str | bytes, limits: Limits = DEFAULT_LIMITS) -> LocatedMap:
    """Load a one-file model and return its data."""
    write({"model.yaml": text})
    documents = load_model(Path("model.yaml"), limits)
    assert len(documents) == 1
    return documents[0].data


def errors_of(path: str, limits: Limits = DEFAULT_LIMITS) -> list[ModelError]:
    with pytest.raises(InvalidModel) as raised:
        load_model(Path(path), limits)
    return raised.value.errors


def only_error(text: str | bytes, limits: Limits = DEFAULT_LIMITS) -> ModelError:
    """The single error a one-file model gives."""
    write({"model.yaml": text})
    errors = errors_of("model.yaml", limits)
    assert len(errors) == 1, errors
    return errors[0]


def where(error: ModelError) -> tuple[str, int, int]:
    return (error.location.file, error.location.line, error.location.column)


def displays(documents: list[Document]) -> list[str]:
    return [document.data.location.file for document in documents]


# --------------------------------------------------------------------------
# Files and directories


def test_file_model_display_paths_and_resolved_document_paths(tmp_path: Path) -> None:
    write({"archlint.yaml": "archlint: 1\ninclude: [sub/x.yaml]\n", "sub/x.yaml": "hosts: {}\n"})
    documents = load_model(Path("archlint.yaml"))
    assert displays(documents) == ["archlint.yaml", "sub/x.yaml"]
    assert [document.path for document in documents] == [
        (tmp_path / "archlint.yaml").resolve(),
        (tmp_path / "sub/x.yaml").resolve(),
    ]
    assert all(document.path.is_absolute() for document in documents)
    # validation reads include itself, so the key stays
    assert documents[0].data["include"] == ["sub/x.yaml"]


def test_file_model_given_inside_a_directory_keeps_the_users_prefix() -> None:
    write({"models/a/main.yaml": "include: [more.yml]\n", "models/a/more.yml": "x: 1\n"})
    assert displays(load_model(Path("models/a/main.yaml"))) == [
        "models/a/main.yaml",
        "models/a/more.yml",
    ]


def test_directory_model_reads_every_yaml_file_in_sorted_order() -> None:
    write(
        {
            "models/homelab/services.yaml": "services: {}\n",
            "models/homelab/hosts.yaml": "hosts: {}\n",
            "models/homelab/b/z.yml": "drills: {}\n",
            "models/homelab/a/deeper/y.yaml": "keys: {}\n",
            "models/homelab/a.yaml": "archlint: 1\n",
            "models/homelab/mkdocs.yml": "site_name: not a model file\n",
            "models/homelab/notes.txt": "not: read\n",
            "models/homelab/.hidden.yaml": "{",
            "models/homelab/.git/config.yaml": "{",
        }
    )
    assert displays(load_model(Path("models/homelab"))) == [
        "models/homelab/a.yaml",
        "models/homelab/a/deeper/y.yaml",
        "models/homelab/b/z.yml",
        "models/homelab/hosts.yaml",
        "models/homelab/services.yaml",
    ]


def model_errors(path: str) -> list[str]:
    with pytest.raises(InvalidModel) as caught:
        load_model(Path(path))
    return [str(error) for error in caught.value.errors]


def test_directory_model_leaves_out_yaml_files_that_are_not_model_files() -> None:
    write(
        {
            "m/archlint.yaml": "archlint: 1\n",
            "m/mkdocs.yml": "site_name: docs\n<<: *broken\n",  # its errors do not count
            "m/prometheus.yml": "global: {scrape_interval: 15s}\nscrape_configs: []\n",
            "m/hosts.yaml": "hosts: {}\n",
        }
    )
    assert displays(load_model(Path("m"))) == ["m/archlint.yaml", "m/hosts.yaml"]


def test_an_included_file_joins_the_model_without_declaring_archlint() -> None:
    write(
        {
            "m/archlint.yaml": "archlint: 1\ninclude: [extra/more.yaml]\n",
            "m/extra/more.yaml": "notes: 1\n",
        }
    )
    assert displays(load_model(Path("m"))) == ["m/archlint.yaml", "m/extra/more.yaml"]


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        ("services:\n  web:\n    image: nginx\n", "archlint import compose m/c.yaml"),
        ("source_directories: [/srv]\nrepositories: [{path: /r}]\n", "import borgmatic"),
        ("location:\n  source_directories: [/srv]\n", "import borgmatic"),
        ("version: 2\nlocations: {}\nbackends: {}\n", "import autorestic"),
        ("default:\n  repository: /r\n  password-file: p\n", "import resticprofile"),
        ("apiVersion: v1\nkind: Pod\n", "Kubernetes manifest"),
        ("global: {default-command: snapshots}\n", "import resticprofile"),
    ],
)
def test_another_tools_file_in_a_model_directory_is_one_error_naming_it(
    text: str, tool: str
) -> None:
    write({"m/archlint.yaml": "archlint: 1\n", "m/c.yaml": text})
    (error,) = model_errors("m")
    assert error.startswith("m/c.yaml:1:1: error: this looks like")
    assert tool in error


def test_another_tools_file_given_as_the_model_is_one_error() -> None:
    write({"compose.yaml": "services:\n  web:\n    image: nginx\n    <<: *x\n"})
    assert model_errors("compose.yaml") == [
        "compose.yaml:1:1: error: this looks like a Compose file, not an archlint model (it has "
        "no `archlint:` line): draft a model from it with `archlint import compose compose.yaml`"
    ]


def test_a_sanoid_configuration_given_as_the_model_is_one_error() -> None:
    write({"sanoid.conf": "[tank/data]\n    use_template = prod\n"})
    (error,) = model_errors("sanoid.conf")
    assert error.endswith("draft a model from it with `archlint import sanoid sanoid.conf`")


def test_a_directory_without_model_files_says_what_it_looked_for() -> None:
    write({"m/mkdocs.yml": "site_name: docs\n"})
    (error,) = model_errors("m")
    assert "none of the 1 YAML files below it declares `archlint: 1`" in error


def test_directory_model_given_as_dot_has_bare_display_paths() -> None:
    write({"hosts.yaml": "hosts: {}\n"})
    assert displays(load_model(Path("."))) == ["hosts.yaml"]


def test_directory_model_reads_includes_the_walk_skipped_after_the_walk() -> None:
    write(
        {
            "m/a.yaml": "include: [.private/secrets.yaml, b.yaml]\n",
            "m/b.yaml": "b: 1\n",
            "m/.private/secrets.yaml": "keys: {}\n",
        }
    )
    # b.yaml is no model file on its own: the include brings it in, in include order.
    assert displays(load_model(Path("m"))) == ["m/a.yaml", "m/.private/secrets.yaml", "m/b.yaml"]


def test_missing_model_path() -> None:
    (error,) = errors_of("nowhere/model.yaml")
    assert where(error) == ("nowhere/model.yaml", 1, 1)
    assert "no such file or directory" in error.message


def test_directory_without_yaml_files() -> None:
    write({"m/readme.txt": "hello\n"})
    (error,) = errors_of("m")
    assert where(error) == ("m", 1, 1)
    assert "no model files" in error.message


def test_errors_from_two_files_are_reported_together() -> None:
    write({"m/a.yaml": "hosts: 1\nhosts: 2\n", "m/b.yaml": "b: [\n", "m/c.yaml": "keys: 1\n"})
    errors = errors_of("m")
    assert [where(error) for error in errors] == [("m/a.yaml", 2, 1), ("m/b.yaml", 2, 1)]
    assert "duplicate key 'hosts'" in errors[0].message
    assert errors[1].message.startswith("invalid YAML")


# --------------------------------------------------------------------------
# Includes


def test_includes_are_read_depth_first_in_listed_order() -> None:
    write(
        {
            "root.yaml": "include: [a.yaml, b.yaml]\n",
            "a.yaml": "include: [c.yaml]\n",
            "b.yaml": "b: 1\n",
            "c.yaml": "c: 1\n",
        }
    )
    assert displays(load_model(Path("root.yaml"))) == ["root.yaml", "a.yaml", "c.yaml", "b.yaml"]


def test_include_paths_are_relative_to_the_including_file() -> None:
    write(
        {
            "root.yaml": "include: [sub/a.yaml]\n",
            "sub/a.yaml": "include: [../b.yaml, c.yaml]\n",
            "sub/c.yaml": "c: 1\n",
            "b.yaml": "b: 1\n",
        }
    )
    assert displays(load_model(Path("root.yaml"))) == [
        "root.yaml",
        "sub/a.yaml",
        "b.yaml",
        "sub/c.yaml",
    ]


def test_include_directory_reads_every_yaml_file_below_it_sorted() -> None:
    write(
        {
            "root.yaml": "include: [parts/]\n",
            "parts/b.yaml": "b: 1\n",
            "parts/a.yml": "a: 1\n",
            "parts/x/c.yaml": "c: 1\n",
            "parts/skip.json": "{}",
            "parts/.hidden.yaml": "{",
        }
    )
    assert displays(load_model(Path("root.yaml"))) == [
        "root.yaml",
        "parts/a.yml",
        "parts/b.yaml",
        "parts/x/c.yaml",
    ]


def test_each_file_is_read_once_and_include_cycles_are_harmless() -> None:
    write(
        {
            "root.yaml": "include: [a.yaml, ./a.yaml, root.yaml]\n",
            "a.yaml": "include: [b.yaml]\n",
            "b.yaml": f"include: [a.yaml, ../{Path.cwd().name}/root.yaml]\n",
        }
    )
    assert displays(load_model(Path("root.yaml"))) == ["root.yaml", "a.yaml", "b.yaml"]


@pytest.mark.parametrize(
    ("entry", "column", "message"),
    [
        ("/etc/passwd", 11, "include '/etc/passwd' is an absolute path"),
        ("../outside.yaml", 11, "include '../outside.yaml' leaves the model's root directory"),
        ("sub/../../outside.yaml", 11, "leaves the model's root directory"),
        ("missing.yaml", 11, "include 'missing.yaml' not found"),
        ("notes.txt", 11, "include 'notes.txt' is not a YAML file"),
        ("3", 11, "an include entry must be a path"),
        ("''", 11, "an include entry must be a path"),
    ],
)
def test_include_entry_errors(entry: str, column: int, message: str) -> None:
    write(
        {
            "outside.yaml": "secret: TOPSECRET\n",
            "m/root.yaml": f"a: 1\ninclude: [{entry}]\n",
            "m/notes.txt": "text\n",
            "m/sub/keep.yaml": "k: 1\n",
        }
    )
    (error,) = errors_of("m/root.yaml")
    assert where(error) == ("m/root.yaml", 2, column)
    assert message in error.message


def test_include_must_be_a_list() -> None:
    write({"root.yaml": "include: other.yaml\n", "other.yaml": "o: 1\n"})
    (error,) = errors_of("root.yaml")
    assert where(error) == ("root.yaml", 1, 10)
    assert "include must be a list of paths" in error.message


def test_every_bad_include_entry_is_reported() -> None:
    write({"root.yaml": "include:\n  - ../a.yaml\n  - ok.yaml\n  - nope.yaml\n", "ok.yaml": "{}"})
    errors = errors_of("root.yaml")
    assert [where(error) for error in errors] == [("root.yaml", 2, 5), ("root.yaml", 4, 5)]


def test_include_symlink_escape_reveals_nothing_of_the_target(tmp_path: Path) -> None:
    write(
        {
            "outside/secret.yaml": "password: TOPSECRET\nbroken: [\n",
            "m/root.yaml": "include: [link.yaml, linkdir/]\n",
        }
    )
    (tmp_path / "m/link.yaml").symlink_to(tmp_path / "outside/secret.yaml")
    (tmp_path / "m/linkdir").symlink_to(tmp_path / "outside")
    errors = errors_of("m/root.yaml")
    assert [where(error) for error in errors] == [("m/root.yaml", 1, 11), ("m/root.yaml", 1, 22)]
    assert all("leaves the model's root directory" in error.message for error in errors)
    assert not any("TOPSECRET" in str(error) or "broken" in str(error) for error in errors)


def test_include_symlink_inside_the_root_is_fine(tmp_path: Path) -> None:
    write({"m/root.yaml": "include: [alias.yaml]\n", "m/real.yaml": "r: 1\n"})
    (tmp_path / "m/alias.yaml").symlink_to(tmp_path / "m/real.yaml")
    assert displays(load_model(Path("m/root.yaml"))) == ["m/root.yaml", "m/real.yaml"]


def test_included_directory_with_a_symlink_leaving_the_root(tmp_path: Path) -> None:
    write({"outside.yaml": "TOPSECRET: 1\n", "m/root.yaml": "\ninclude: [parts/]\n"})
    (tmp_path / "m/parts").mkdir()
    (tmp_path / "m/parts/evil.yaml").symlink_to(tmp_path / "outside.yaml")
    (error,) = errors_of("m/root.yaml")
    assert where(error) == ("m/root.yaml", 2, 11)
    assert "'m/parts/evil.yaml' is a symbolic link that leaves the model's root" in error.message
    assert "TOPSECRET" not in error.message


def test_directory_walk_with_a_symlink_leaving_the_root(tmp_path: Path) -> None:
    write({"outside.yaml": "TOPSECRET: 1\n", "m/a.yaml": "a: 1\n"})
    (tmp_path / "m/evil.yaml").symlink_to(tmp_path / "outside.yaml")
    (error,) = errors_of("m")
    assert where(error) == ("m/evil.yaml", 1, 1)
    assert "symbolic link that leaves the model's root directory" in error.message
    assert "TOPSECRET" not in error.message


def test_directory_walk_follows_symlinks_inside_the_root_once(tmp_path: Path) -> None:
    write({"m/a/x.yaml": "hosts: {}\n"})
    (tmp_path / "m/b").symlink_to(tmp_path / "m/a")
    (tmp_path / "m/a/loop").symlink_to(tmp_path / "m")
    documents = load_model(Path("m"))
    assert displays(documents) == ["m/a/x.yaml"]


# --------------------------------------------------------------------------
# Scalars: the YAML 1.2 core schema


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("n", "n"),
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("False", False),
        ("FALSE", False),
        ("tRUE", "tRUE"),
        ("~", None),
        ("null", None),
        ("Null", None),
        ("NULL", None),
        ("", None),
        ("nULL", "nULL"),
        ("0", 0),
        ("42", 42),
        ("-17", -17),
        ("+5", 5),
        ("012", 12),
        ("0o17", 15),
        ("0x1F", 31),
        ("0o8", "0o8"),
        ("0b101", "0b101"),
        ("1_000", "1_000"),
        ("1.5", 1.5),
        ("-.5", -0.5),
        ("1.", 1.0),
        ("1e3", 1000.0),
        ("6.02E+23", 6.02e23),
        (".inf", math.inf),
        ("-.Inf", -math.inf),
        ("+.INF", math.inf),
        ("2026-09-12", "2026-09-12"),
        ("12:30:00", "12:30:00"),
        ("20GiB", "20GiB"),
        ("'true'", "true"),
        ('"42"', "42"),
        ("'~'", "~"),
        ("''", ""),
        ("! 123", "123"),
        ("! true", "true"),
        ("|\n  text\n", "text\n"),
    ],
)
def test_plain_scalars_follow_the_core_schema(written: str, expected: Any) -> None:
    value = load_one(f"v: {written}\n")["v"]
    assert value == expected
    assert type(value) is type(expected)


def test_nan() -> None:
    assert math.isnan(load_one("v: .NaN\n")["v"])


def test_keys_are_the_text_as_written() -> None:
    data = load_one("on: 1\nyes: 2\n1: 3\nnull: 4\n'true': 5\n~: 6\n0x10: 7\n")
    assert list(data) == ["on", "yes", "1", "null", "true", "~", "0x10"]
    assert all(type(key) is str for key in data)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("!!str 123", "123"),
        ("!!str true", "true"),
        ("!!int '42'", 42),
        ("!!int 0x10", 16),
        ("!!float 1", 1.0),
        ("!!float '-.inf'", -math.inf),
        ("!!bool 'false'", False),
        ("!!null ''", None),
        ("!!map {a: 1}", {"a": 1}),
        ("!!seq [1]", [1]),
        ("!<tag:yaml.org,2002:str> 7", "7"),
    ],
)
def test_core_tags_are_allowed(written: str, expected: Any) -> None:
    value = load_one(f"v: {written}\n")["v"]
    assert value == expected
    assert type(value) is type(expected) or isinstance(value, LocatedMap | LocatedList)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("!!python/object/apply:os.system ['echo pwned']", "YAML tags are not allowed"),
        ("!!python/name:os.system ''", "YAML tags are not allowed"),
        ("!custom value", "YAML tags are not allowed (found !custom)"),
        ("!thing {a: 1}", "YAML tags are not allowed (found !thing)"),
        ("!!set {a: null}", "YAML tags are not allowed (found !!set)"),
        ("!!timestamp 2026-01-01", "YAML tags are not allowed"),
        ("!!int abc", "'abc' is not a valid !!int"),
        ("!!int 1.5", "'1.5' is not a valid !!int"),
        ("!!bool yes", "'yes' is not a valid !!bool"),
        ("!!float 0x10", "'0x10' is not a valid !!float"),
        ("!!null 0", "'0' is not a valid !!null"),
        ("!!map x", "tag !!map does not fit a scalar"),
        ("!!str [1]", "tag !!str does not fit a list"),
        ("!!seq {a: 1}", "tag !!seq does not fit a mapping"),
    ],
)
def test_bad_tags_are_errors_at_the_tag(written: str, message: str) -> None:
    error = only_error(f"a: 1\nvalue: {written}\n")
    assert where(error) == ("model.yaml", 2, 8)
    assert message in error.message


def test_tag_on_a_key_is_checked() -> None:
    error = only_error("a: 1\n!!python/name:os.system k: v\n")
    assert where(error) == ("model.yaml", 2, 1)
    assert "YAML tags are not allowed" in error.message


def test_too_many_digits_is_an_error_not_a_crash() -> None:
    error = only_error("a: 1\nb: " + "9" * 5000 + "\n")
    assert where(error) == ("model.yaml", 2, 4)
    assert "number is too long" in error.message


# --------------------------------------------------------------------------
# Mappings: keys, duplicates, merge keys


def test_duplicate_keys_are_each_reported_at_the_second_occurrence() -> None:
    write({"model.yaml": "hosts:\n  a: 1\n  b: 2\n  a: 3\nservices: {}\nhosts: {}\n"})
    errors = errors_of("model.yaml")
    assert [(where(error), error.message) for error in errors] == [
        (("model.yaml", 4, 3), "duplicate key 'a' (first defined at line 2)"),
        (("model.yaml", 6, 1), "duplicate key 'hosts' (first defined at line 1)"),
    ]


def test_merge_key_is_an_error() -> None:
    error = only_error("base: &b {x: 1}\nhost:\n  <<: *b\n  y: 2\n")
    assert where(error) == ("model.yaml", 3, 3)
    assert "merge keys ('<<') are not part of YAML 1.2" in error.message
    assert "repeat the fields" in error.message


def test_quoted_merge_key_is_an_ordinary_key() -> None:
    assert load_one("h:\n  '<<': 1\n")["h"] == {"<<": 1}


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a: 1\n? [x, y]\n: 2\n", 2, 3),
        ("a: 1\n{b: 1}: 2\n", 2, 1),
        ("a: &l [1]\n*l : 2\n", 2, 1),
    ],
)
def test_non_scalar_keys_are_errors(text: str, line: int, column: int) -> None:
    error = only_error(text)
    assert where(error) == ("model.yaml", line, column)
    assert "a mapping key must be a plain value" in error.message


def test_alias_to_a_scalar_can_be_a_key() -> None:
    assert load_one("a: &k name\n*k : 2\n") == {"a": "name", "name": 2}


# --------------------------------------------------------------------------
# Anchors and aliases


def test_alias_reuses_the_value_without_copying() -> None:
    data = load_one("base: &b {x: 1, y: [1, 2]}\nother: *b\n")
    assert data["other"] is data["base"]
    assert data.value_locations["other"] == Location("model.yaml", 2, 8)


def test_alias_to_an_unknown_anchor_is_located() -> None:
    error = only_error("a: 1\nb: [1, *nope]\n")
    assert where(error) == ("model.yaml", 2, 8)
    assert "'*nope'" in error.message


def test_alias_inside_its_own_anchor_is_unknown() -> None:
    error = only_error("a: &x [1, *x]\n")
    assert where(error) == ("model.yaml", 1, 11)
    assert "'*x' refers to no anchor" in error.message


BILLION_LAUGHS = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
        "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]",
        "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]",
        "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]",
        "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]",
        "",
    ]
)


def test_billion_laughs_stops_at_the_alias_limit() -> None:
    error = only_error(BILLION_LAUGHS)
    assert "aliases expand to more than 100000 nodes" in error.message
    # aliases add 90 (b), 819 (c), 7380 (d), 66429 (e): 74718; f's first *e adds 66430
    assert where(error) == ("model.yaml", 6, 8)


def test_alias_limit_is_configurable() -> None:
    text = "a: &a [1, 2, 3]\nb: [*a, *a, *a]\n"
    assert load_one(text, Limits(max_alias_nodes=12))["b"][2] == [1, 2, 3]
    error = only_error(text, Limits(max_alias_nodes=11))
    assert where(error) == ("model.yaml", 2, 13)
    assert "aliases expand to more than 11 nodes" in error.message


# --------------------------------------------------------------------------
# Limits


# libyaml 0.2.5 as bundled with PyYAML 6.0.4 refuses nesting deeper than 1000
# levels while scanning, before any event reaches the builder; older builds let
# the builder's own limit speak. Either way it is a located error, never a crash.
PARSER_DEPTH_ERROR = "exceeded maximum nesting depth"


def test_deep_nesting_is_a_depth_error_not_a_recursion_error() -> None:
    error = only_error("a: " + "[" * 10000 + "\n")
    if PARSER_DEPTH_ERROR in error.message:
        assert where(error) == ("model.yaml", 1, 1003)
    else:
        # the top mapping is level 1 and the k-th "[" (column 3 + k) is level k + 1
        assert where(error) == ("model.yaml", 1, 67)
        assert "nesting is deeper than 64 levels" in error.message


def test_nesting_past_the_limit_within_the_parser_is_a_depth_error() -> None:
    error = only_error("a: " + "[" * 100 + "]" * 100 + "\n")
    assert where(error) == ("model.yaml", 1, 67)
    assert "nesting is deeper than 64 levels" in error.message


def test_deep_top_level_list_is_reported() -> None:
    error = only_error("[" * 10000)
    if PARSER_DEPTH_ERROR in error.message:
        assert where(error) == ("model.yaml", 1, 1001)
    else:
        assert where(error) == ("model.yaml", 1, 1)
        assert "must be a mapping of sections, not a list" in error.message


def test_depth_limit_counts_what_an_alias_brings() -> None:
    limits = Limits(max_depth=3)
    assert load_one("a: &x [[1]]\nb: *x\n", limits)["b"] == [[1]]
    error = only_error("a: &x [[1]]\nb: [*x]\n", limits)
    assert where(error) == ("model.yaml", 2, 5)
    assert "nesting is deeper than 3 levels" in error.message


def test_long_scalar() -> None:
    limits = Limits(max_scalar_chars=10)
    assert load_one("a: '0123456789'\n", limits)["a"] == "0123456789"
    error = only_error("a: 1\nb: '0123456789x'\n", limits)
    assert where(error) == ("model.yaml", 2, 4)
    assert "value is too long: 11 characters (the limit is 10)" in error.message


def test_file_too_big() -> None:
    limits = Limits(max_file_bytes=10)
    assert load_one("a: 1234567", limits) == {"a": 1234567}
    error = only_error("a: 12345678", limits)
    assert where(error) == ("model.yaml", 1, 1)
    assert "file is too big: 11 bytes (the limit is 10 bytes)" in error.message


# --------------------------------------------------------------------------
# Bytes and text


def test_nul_byte_means_not_a_text_file() -> None:
    error = only_error(b"a: 1\nbb: x\x00y\n")
    assert where(error) == ("model.yaml", 2, 6)
    assert "not a text file" in error.message


def test_invalid_utf8_is_located_in_characters() -> None:
    error = only_error("a: 1\nbé: ".encode() + b"\xff\n")
    assert where(error) == ("model.yaml", 2, 5)
    assert "invalid UTF-8 (byte 0xff)" in error.message


def test_control_character_is_located() -> None:
    error = only_error("a: 1\nb: x\x07\n")
    assert where(error) == ("model.yaml", 2, 5)
    assert "U+0007 is not allowed" in error.message


def test_utf8_bom_is_allowed() -> None:
    data = load_one(b"\xef\xbb\xbfa: 1\n")
    assert data == {"a": 1}
    assert data.key_locations["a"] == Location("model.yaml", 1, 1)


def test_utf8_bom_is_not_counted_as_a_column() -> None:
    error = only_error(b"\xef\xbb\xbfa: \xff\n")
    assert where(error) == ("model.yaml", 1, 4)


# --------------------------------------------------------------------------
# Documents


@pytest.mark.parametrize(
    ("text", "line"),
    [("", 1), ("\n\n", 1), ("# only a comment\n", 1), ("---\n", 2), ("~\n", 1)],
)
def test_empty_file(text: str, line: int) -> None:
    error = only_error(text)
    assert where(error) == ("model.yaml", line, 1)
    assert error.message == "file is empty: a model file holds a mapping of sections"


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("- a\n- b\n", 1, 1, "must be a mapping of sections, not a list"),
        ("# c\n  [a, b]\n", 2, 3, "must be a mapping of sections, not a list"),
        ("just text\n", 1, 1, "must be a mapping of sections, not a single value"),
    ],
)
def test_top_level_must_be_a_mapping(text: str, line: int, column: int, message: str) -> None:
    error = only_error(text)
    assert where(error) == ("model.yaml", line, column)
    assert message in error.message


def test_more_than_one_document() -> None:
    error = only_error("a: 1\n---\nb: 2\n")
    assert where(error) == ("model.yaml", 2, 1)
    assert "one YAML document" in error.message


@pytest.mark.parametrize(
    ("text", "line", "column", "problem"),
    [
        ("a: b: c\n", 1, 5, "mapping values are not allowed"),
        ("a: 1\nb: [1, 2\n", 3, 1, "while parsing a flow sequence at line 2, column 4"),
        ("a: 1\n  b: 2\n", 2, 4, "mapping values are not allowed"),
        ("a: 'open\n", 2, 1, "while scanning a quoted scalar at line 1, column 4"),
    ],
)
def test_syntax_error_is_located(text: str, line: int, column: int, problem: str) -> None:
    error = only_error(text)
    assert where(error) == ("model.yaml", line, column)
    assert error.message.startswith("invalid YAML: ")
    assert problem in error.message


def test_syntax_error_keeps_earlier_errors_of_the_file() -> None:
    write({"model.yaml": "a: 1\na: 2\nb: [\n"})
    errors = errors_of("model.yaml")
    assert [where(error) for error in errors] == [("model.yaml", 2, 1), ("model.yaml", 4, 1)]


# --------------------------------------------------------------------------
# Locations


def test_locations_of_mappings_lists_keys_and_values() -> None:
    data = load_one(
        "archlint: 1\n"
        "hosts:\n"
        "  nas: {kind: nas, in: home}\n"
        "  pve:\n"
        "    kind: hypervisor\n"
        "tags:\n"
        "  - a\n"
        "  - [b, c]\n"
        "ünï: {kéy: välue}\n"
    )
    assert data.location == Location("model.yaml", 1, 1)
    assert data.key_locations["hosts"] == Location("model.yaml", 2, 1)
    hosts = data["hosts"]
    assert isinstance(hosts, LocatedMap)
    assert data.value_locations["hosts"] == hosts.location == Location("model.yaml", 3, 3)
    nas = hosts["nas"]
    assert hosts.value_locations["nas"] == nas.location == Location("model.yaml", 3, 8)
    assert nas.key_locations["in"] == Location("model.yaml", 3, 20)
    assert nas.value_locations["in"] == Location("model.yaml", 3, 24)
    assert hosts["pve"].value_locations["kind"] == Location("model.yaml", 5, 11)
    tags = data["tags"]
    assert isinstance(tags, LocatedList)
    assert tags == ["a", ["b", "c"]]
    assert tags.item_locations == [Location("model.yaml", 7, 5), Location("model.yaml", 8, 5)]
    assert tags[1].item_locations == [Location("model.yaml", 8, 6), Location("model.yaml", 8, 9)]
    # columns count characters, not bytes
    assert data["ünï"].value_locations["kéy"] == Location("model.yaml", 9, 12)
