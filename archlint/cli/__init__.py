"""The command line: one thin module per command, tied together by archlint.cli.main.

`main` is the console script. It imports the command line only once it runs,
so that an interrupt (Ctrl-C) during start-up, while the imports are still
loading, ends in one line instead of a traceback.
"""

import sys


def main() -> None:
    try:
        from archlint.cli.main import run
    except KeyboardInterrupt:
        print("archlint: interrupted", file=sys.stderr)
        sys.exit(2)
    run()
