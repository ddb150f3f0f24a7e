"""ThreadRunConstruct's outputs, in README's order: what the docs tests expect, and what the e2e app outputs."""

OUTPUTS = (
    "id",
    "thread_id",
    "status",
    "created_at",
    "started_at",
    "completed_at",
    "usage",
    "prompt_tokens",
    "completion_tokens",
    "total_tokens",
    "response",
)
