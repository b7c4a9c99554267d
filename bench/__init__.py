"""Benchmark harness (quality.md Part A): `make bench`, `make bench-smoke`. See docs/performance.md."""
