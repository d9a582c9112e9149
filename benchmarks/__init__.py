"""Performance harness (not part of the test run): python -m benchmarks --db-url URL."""
