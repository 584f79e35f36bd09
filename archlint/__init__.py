"""archlint: lint backup architectures written as code."""

__version__ = "0.1.0"
