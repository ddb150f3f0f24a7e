"""The package version: the one source of truth, read by the build backend too."""

__version__ = "0.1.0"
"""The package version (PEP 440)."""
