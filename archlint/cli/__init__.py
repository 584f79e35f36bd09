"""The command line: one thin module per command, tied together by archlint.cli.main.

`console` is the console script; `main` runs the command line and leaves by
SystemExit, as the in-process tests use it. `main` imports the command line
only once it runs, so that an interrupt (Ctrl-C) during start-up, while the
imports are still loading, ends in one line instead of a traceback.
"""

import atexit
import gc
import os
import sys
import threading

# What the command holds until the process ends, set by console(): it ends without
# a teardown, so what is put here is never freed (a large model is millions of
# objects, freed one by one: a twentieth of a check's time). None in a process
# that goes on after the command (main() run in-process): it frees as usual.
held_to_exit: list[object] | None = None


def main() -> None:
    try:
        from archlint.cli.main import run
    except KeyboardInterrupt:
        print("archlint: interrupted", file=sys.stderr)
        sys.exit(2)
    run()


def console() -> None:
    """The `archlint` command: `main` in a process that ends as soon as its output is out.

    A model is millions of small objects that live until the command ends and
    hold no garbage cycles worth finding: the cyclic collector's passes over
    them, and the interpreter's teardown freeing them one by one, cost a
    quarter of a large check. So the collector stays off, and once the output
    is flushed the process leaves without a teardown (files are written and
    closed by then: write_output closes what it opens, the cache entry is
    stored before the output is written). What a rule pack asked the exit to
    do still happens: its atexit functions run, and while it has threads of its
    own the usual exit waits for them.
    """
    global held_to_exit
    gc.disable()
    held_to_exit = []
    # pydantic looks for plugins in the metadata of every installed package when
    # the first model class is made: a tenth of a small check's start-up. archlint
    # uses none, and a linter has no reason to run other packages' hooks. A value
    # the user set stays.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        main()
    except SystemExit as stop:
        code = stop.code
        if code is not None and not isinstance(code, int):
            raise  # a message to print: Python's own exit prints it
        if threading.active_count() > 1:
            raise stop from None  # the usual exit waits for them
        atexit._run_exitfuncs()  # as the usual exit runs them, before its last flush
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError, AttributeError):
            raise stop from None  # a closed or broken stream: the usual exit handles it
        os._exit(code or 0)
