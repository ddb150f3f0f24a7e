"""The ``openai-thread-run-gateway`` command (also ``python -m openai_thread_run.gateway``)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from .server import serve
from .settings import parse


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and the environment, and serve; return the exit status."""
    return serve(parse(argv, os.environ))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
