"""Benchmarks: synthesis against two bare-cdktf floors, and waiting inside terraform apply (see BENCHMARKS.md)."""
