"""The cdktf app of the examples: ``cdktf synth`` (see cdktf.json) writes one stack for each."""

from __future__ import annotations

import sys
from pathlib import Path

from cdktf import App

sys.path.insert(0, str(Path(__file__).resolve().parent))

from existing_thread import ExistingThreadStack
from new_thread import NewThreadStack


def main() -> None:
    """Synthesize both example stacks."""
    app = App()
    NewThreadStack(app, "new-thread")
    ExistingThreadStack(app, "existing-thread")
    app.synth()


if __name__ == "__main__":
    main()
