"""Hypothesis profiles for the unit tests.

- ``ci`` (the default): 60 examples per property, no deadline (jsii round trips vary in time), so CI stays fast.
- ``fuzz``: 10,000 examples per property, for a deep run:
  ``HYPOTHESIS_PROFILE=fuzz .venv/bin/pytest tests/unit/test_fuzz_validation.py``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

SUPPRESSED = [HealthCheck.too_slow, HealthCheck.data_too_large]

settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=SUPPRESSED)
settings.register_profile("fuzz", max_examples=10_000, deadline=None, suppress_health_check=SUPPRESSED, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
