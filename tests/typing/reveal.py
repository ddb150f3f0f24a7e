"""What type checkers reveal for the public API (``# reveals:`` before each line): see tests/unit/test_typing.py.

Excluded from the project's plain mypy and pyright runs (pyproject.toml): ``reveal_type`` prints a note there.
pyright shows a type by its short name, mypy by its full one; the test compares each with the comment.
"""

from __future__ import annotations

from typing import reveal_type

import cdktn
from cdktf import App, TerraformStack

import openai_thread_run.cdktn as terrain
from openai_thread_run import OpenaiThread, OpenaiThreadRun, ThreadRunConstruct

stack = TerraformStack(App(), "stack")
construct = ThreadRunConstruct(stack, "construct", assistant_id="asst_1")
terrain_stack = cdktn.TerraformStack(cdktn.App(), "terrain")
terrain_construct = terrain.ThreadRunConstruct(terrain_stack, "construct", assistant_id="asst_1")

# reveals: openai_thread_run.cdktf.OpenaiThread
reveal_type(OpenaiThread(stack, "t"))
# reveals: openai_thread_run.cdktf.OpenaiThreadRun
reveal_type(OpenaiThreadRun(stack, "r", assistant_id="asst_1"))
# reveals: openai_thread_run.cdktf.OpenaiThreadRun
reveal_type(construct.run)
# reveals: float | None
reveal_type(construct.run.temperature)
# reveals: float
reveal_type(construct.usage.lookup("total_tokens"))
# reveals: openai_thread_run.cdktn.OpenaiThread
reveal_type(terrain.OpenaiThread(terrain_stack, "t"))
# reveals: openai_thread_run.cdktn.OpenaiThreadRun
reveal_type(terrain_construct.run)
# reveals: openai_thread_run.cdktn.OpenaiThread | None
reveal_type(terrain_construct.thread)
