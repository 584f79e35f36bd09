"""The command line: one thin module per command; `main` is the entry point."""
