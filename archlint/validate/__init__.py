"""Stage 2, validate: located plain data to the typed, immutable model."""
