"""The bounds of the load stage: how much of each kind a model may hold.

Every step of loading checks its own limit (file sizes when a file is read,
nesting, aliases and value lengths while its tree is built; sizes and aliases
also over the whole model), so a hostile model fails fast with a located error
instead of exhausting time or memory.
"""

from typing import NamedTuple

__all__ = ["Limits"]


class Limits(NamedTuple):
    """Bounds that keep a hostile model from exhausting time or memory."""

    max_file_bytes: int = 32 * 1024 * 1024  # a 10,000-service model is about 10 MB
    max_depth: int = 64  # nesting of mappings/sequences
    # Nodes added by alias expansion in all files of a model together: validation
    # expands every alias, so per file, many files could each stay just under it.
    max_alias_nodes: int = 100_000
    max_scalar_chars: int = 1_000_000
    # All files of a model together: loading and validating take about 100 bytes
    # of memory per byte of YAML (a dense file of small entities), so this keeps a
    # model that is split into many files to what one file of the limit costs.
    max_model_bytes: int = 32 * 1024 * 1024
