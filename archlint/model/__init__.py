"""The model: located values, typed values (durations, sizes, dates, schedules), the
entity classes, errors, and the JSON Schema derived from them."""
