"""Typed, hand-written bindings for provider mkdev-me/openai 1.2.0 (what this library uses) and terraform_data.

Each module declares one binding once, for both frameworks: its base (the attributes and computed attributes)
and its init class (the typed constructor); :mod:`openai_thread_run.cdktf` and :mod:`openai_thread_run.cdktn`
make the classes users create from them (see :mod:`._base`).
"""
