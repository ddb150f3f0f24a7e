"""CDK Terrain (cdktn) tests: they run wherever the [cdktn] extra is installed (every venv of scripts/test.sh).

Where ``cdktn`` is not importable (the main venv) every module here is reported as skipped, with the reason.
With ``OTR_REQUIRE_CDKTN=1`` (set by scripts/test.sh for the cdktn run) a missing cdktn is an error instead,
so the CI run can never pass by skipping everything.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

import pytest

CDKTN_MISSING = importlib.util.find_spec("cdktn") is None or importlib.util.find_spec("cdktn_provider_null") is None
SKIP_REASON = (
    "cdktn / cdktn-provider-null are not installed in this venv: pip install -e '.[cdktn]' (scripts/test.sh "
    "installs it into every venv it makes)"
)


class _SkippedModule(pytest.Module):
    """A test module that is reported as skipped instead of being imported (it imports cdktn at the top)."""

    def collect(self) -> Any:
        pytest.skip(SKIP_REASON)


def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector) -> pytest.Module | None:
    if not CDKTN_MISSING:
        return None
    if os.environ.get("OTR_REQUIRE_CDKTN") == "1":
        raise pytest.UsageError(f"OTR_REQUIRE_CDKTN=1 but {SKIP_REASON}")
    return _SkippedModule.from_parent(parent, path=module_path)
