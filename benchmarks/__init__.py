"""Synth benchmarks: ThreadRunConstruct against the bare-cdktf floor (see BENCHMARKS.md)."""
