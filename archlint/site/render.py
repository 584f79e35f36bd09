"""Rendering DOT to inline SVG with Graphviz's `dot` program."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

from archlint.model.errors import UsageError

INSTALL_HINT = (
    "install Graphviz: `apt-get install graphviz` (Debian, Ubuntu), "
    "`brew install graphviz` (macOS), or see https://graphviz.org/download/"
)
# Defence in depth: model text never reaches an attribute that names a file, and
# with SERVER_NAME set (and no GV_FILE_PATH) Graphviz refuses to load any file
# (images, shape files) at all.
SANDBOX_ENV = {
    **{name: value for name, value in os.environ.items() if name != "GV_FILE_PATH"},
    "SERVER_NAME": "archlint",
}
_PROLOG = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", re.DOTALL)


def find_renderer() -> str:
    """The path of the `dot` program, or UsageError saying how to install Graphviz."""
    path = shutil.which("dot")
    if path is None:
        raise UsageError(f"no Graphviz renderer found (the `dot` program); {INSTALL_HINT}")
    return path


def render(dot_source: str, output_format: str = "svg", timeout: float = 60.0) -> bytes:
    """`dot -T<format>` of the source: no shell, no file names, a time limit."""
    program = find_renderer()
    try:
        done = subprocess.run(
            [program, f"-T{output_format}"],
            input=dot_source.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
            env=SANDBOX_ENV,
        )
    except subprocess.TimeoutExpired:
        raise UsageError(f"Graphviz `dot` took longer than {timeout:g} s; stopped") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"Graphviz `dot` failed: {message[0] if message else done.returncode}")
    return done.stdout


def inline_svg(svg: str) -> str:
    """The SVG without its XML prolog, doctype and comments, ready to inline in HTML."""
    return _PROLOG.sub("", svg).strip() + "\n"
