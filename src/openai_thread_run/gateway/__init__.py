"""The Assistants gateway: the Assistants v2 API that provider 1.2.0 and the construct use, answered by a model API.

Install the ``[gateway]`` extra and start it with ``openai-thread-run-gateway`` (or ``python -m
openai_thread_run.gateway``); README's "Running against today's models" describes it. Importing this package
imports nothing of the construct library (no cdktf, no jsii).
"""
