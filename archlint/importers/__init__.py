"""Stage 0, import: other tools' configuration files to draft model documents."""
