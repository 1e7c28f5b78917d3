"""Smoke runs of the benchmarks (bench/): they run and report a ratio; their figures are never asserted."""
