"""Stages 3 and 4: the graph of a model and the analyses computed from it once."""
