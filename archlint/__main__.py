"""`python -m archlint` runs the command line."""

from archlint.cli.main import main

main()
