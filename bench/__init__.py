"""The performance benchmark: `uv run python bench/run.py` (see run.py). Not part of the test suite."""
