"""``python -m openai_thread_run.gateway``: the same as the ``openai-thread-run-gateway`` command."""

import sys

from .cli import main

sys.exit(main())
