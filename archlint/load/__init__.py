"""Stage 1, load: YAML files to plain data that remembers where each value came from."""
