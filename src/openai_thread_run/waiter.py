"""Wait for an OpenAI Assistants run to finish: the program of the run's ``local-exec`` provisioner.

Terraform runs this file's text as ``python3 -c <text> <label>`` (the label is ignored), so it uses
only the standard library of Python >= 3.9 and imports nothing from its package. Its inputs are the
environment variables named by the ``*_VAR`` constants. It polls the run with a growing delay until
the run reaches a terminal status or the timeout passes. Exit codes: :data:`EXIT_COMPLETED` when the
run completed (one line on stdout), :data:`EXIT_FAILED` when it ended otherwise, timed out or the API
refused the request, :data:`EXIT_BAD_INPUT` when an input is missing or invalid (one message on stderr
each time). The API key is never printed.

``waiter.sh`` does the same in POSIX sh where python3 is missing; its texts and numbers are the constants
below, and both print the same messages: a detail that is not a JSON string prints as ``None``, whitespace
means ASCII whitespace, and NUL or a lone surrogate in a message prints as U+FFFD.
"""

from __future__ import annotations

import datetime
import email.utils
import http.client
import json
import os
import re
import sys
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # TypeGuard is Python 3.10+; the annotations are strings, so 3.9 runs this file unchanged
    from typing import TypeGuard

THREAD_ID_VAR = "OTR_THREAD_ID"
RUN_ID_VAR = "OTR_RUN_ID"
TIMEOUT_VAR = "OTR_TIMEOUT_SECONDS"
API_KEY_VAR = "OPENAI_API_KEY"
API_URL_VAR = "OPENAI_API_URL"
ORGANIZATION_VAR = "OPENAI_ORGANIZATION"
DEFAULT_API_URL = "https://api.openai.com/v1"
USER_AGENT = "openai-thread-run-waiter"

EXIT_COMPLETED = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2

TERMINAL_STATUSES = frozenset({"completed", "failed", "cancelled", "expired", "incomplete", "requires_action"})
FIRST_DELAY_S = 1.0
DELAY_FACTOR = 1.3  # a 30 s run: 10 polls; a finished run is seen at most ~30 % of the time waited late
MAX_DELAY_S = 10.0
REQUEST_TIMEOUT_S = 30.0
MIN_REQUEST_TIMEOUT_S = 1.0  # even the last poll, at the deadline, gets this long

CHECKED_AGAIN = (
    "The run stays in Terraform state, and the next terraform apply checks it again instead of starting a new run."
)
RUN_STAYS = CHECKED_AGAIN[:-1] + "; to start a new run on purpose, change a value in rerun_triggers."
CANNOT_ANSWER_TOOLS = (
    "Terraform cannot answer tool calls, so give the run only tools that need no answers (code_interpreter) or"
    " no tools. The run keeps its thread busy until it expires (10 minutes on OpenAI); until then provider 1.2.0"
    " cannot plan it (README, Known provider defects)."
)
#: Python's str.strip() without arguments strips Unicode whitespace too; sh knows only ASCII's.
WHITESPACE = " \t\n\r\x0b\x0c"
#: NUL, and what UTF-8 cannot encode: a lone surrogate (JSON's "\ud800" decodes to one). Printed as U+FFFD.
UNPRINTABLE = re.compile("[\x00\ud800-\udfff]")
#: Provider 1.2.0 plans an update it cannot apply for a run that is still queued or in progress.
STILL_RUNNING = (
    " The run stays in Terraform state and may still finish: once it has ended, the next terraform apply checks"
    " the same run again instead of starting a new one (provider 1.2.0 cannot plan a run that is still queued or"
    " in progress; README, Known provider defects)."
)


class Failure(Exception):
    """An expected failure: its message is printed alone on stderr, without a traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class _Retry(Exception):
    """A poll that failed in a way that may pass: 429, 5xx, a network error or an unreadable answer."""

    def __init__(self, reason: str, retry_after: float = 0.0) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


def delays(first: float = FIRST_DELAY_S, factor: float = DELAY_FACTOR, cap: float = MAX_DELAY_S) -> Iterator[float]:
    """Yield the waits between polls, endlessly: ``first``, then ``factor`` times longer each time, at most ``cap``."""
    delay = min(first, cap)
    while True:
        yield delay
        delay = min(delay * factor, cap)


def retry_after_seconds(value: str | None, now: float | None = None) -> float:
    """Return the wait a ``Retry-After`` header asks for (seconds or an HTTP date); 0 if absent or unreadable."""
    if not value:
        return 0.0
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return 0.0
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.timezone.utc)
        seconds = when.timestamp() - (time.time() if now is None else now)
    return seconds if seconds > 0 else 0.0  # also maps NaN to 0


def main(environ: Mapping[str, str]) -> int:
    """Wait for the run ``environ`` names, print the outcome, and return the exit code."""
    key = environ.get(API_KEY_VAR, "").strip(WHITESPACE)
    try:
        message, exit_code, stream = wait(environ), EXIT_COMPLETED, sys.stdout
    except Failure as failure:
        message, exit_code, stream = str(failure), failure.exit_code, sys.stderr
    except Exception:  # a bug: show where, still without the key
        message, exit_code, stream = traceback.format_exc().rstrip(), EXIT_FAILED, sys.stderr
    message = UNPRINTABLE.sub("\ufffd", message)
    print(message.replace(key, "[redacted]") if key else message, file=stream, flush=True)
    return exit_code


def wait(environ: Mapping[str, str]) -> str:
    """Poll the run until it completes (return the line to print) or not (raise :class:`Failure`)."""
    thread_id, run_id = _required(environ, THREAD_ID_VAR), _required(environ, RUN_ID_VAR)
    timeout = _timeout(environ.get(TIMEOUT_VAR, ""))
    request = _request(environ, thread_id, run_id)
    where = f"OpenAI run {run_id} on thread {thread_id}"
    started = time.monotonic()
    deadline = started + timeout
    schedule = delays()
    polls, last_status, problem = 0, "none seen", ""
    while True:
        polls += 1
        retry_after = 0.0
        try:
            run = _poll(request, min(REQUEST_TIMEOUT_S, max(MIN_REQUEST_TIMEOUT_S, deadline - time.monotonic())))
        except _Retry as retry:
            problem, retry_after = str(retry), retry.retry_after
        except _HTTPFailure as failure:
            raise Failure(f"{_sentence(f'{where}: the OpenAI API answered HTTP {failure}')} {CHECKED_AGAIN}") from None
        else:
            last_status, problem = run["status"], ""
            if last_status == "completed":
                waited = time.monotonic() - started
                return f"{where} completed after {waited:.1f} s and {polls} {'poll' if polls == 1 else 'polls'}."
            if last_status in TERMINAL_STATUSES:
                raise Failure(outcome_message(run, where))
        left = deadline - time.monotonic()
        if left <= 0:
            last_error = f"; last error: {problem}" if problem else ""
            raise Failure(
                f"Timed out after {timeout} s waiting for {where} (last status: {last_status}{last_error})."
                + STILL_RUNNING
            )
        time.sleep(min(max(next(schedule), retry_after), left))


def outcome_message(run: Mapping[str, Any], where: str) -> str:
    """Describe a run that ended other than ``completed``: its status, the details, and what to do."""
    status = run["status"]
    details, advice = "", RUN_STAYS
    if status == "failed":
        details = f": last_error {_text(run, 'last_error', 'code')}: {_text(run, 'last_error', 'message')}"
    elif status == "incomplete":
        details = f": incomplete_details.reason is {_text(run, 'incomplete_details', 'reason')}"
    elif status == "requires_action":
        calls = _dig(run, "required_action", "submit_tool_outputs", "tool_calls")
        call_list: list[Any] = calls if _is_list(calls) else []
        listed = ", ".join(
            f"{_text(call, 'function', 'name')}({_text(call, 'function', 'arguments')})" for call in call_list
        )
        waiting = f"{where} is waiting for the outputs of the tool calls {listed or '(none listed)'}"
        return f"{_sentence(waiting)} {CANNOT_ANSWER_TOOLS} {RUN_STAYS}"
    return f"{_sentence(f'{where} ended with status {status}{details}')} {advice}"


def _sentence(text: str) -> str:
    """``text`` ending in exactly one full stop (or its own ``!``/``?``)."""
    text = text.rstrip(WHITESPACE)
    return text if text.endswith((".", "!", "?")) else text + "."


class _HTTPFailure(Exception):
    """An HTTP error that retrying cannot fix (4xx other than 429): ``"<status>: <API message>"``."""


def _poll(request: urllib.request.Request, timeout: float) -> dict[str, Any]:
    """GET the run once; raise :class:`_Retry` or :class:`_HTTPFailure` when that does not give a run."""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as error:
        message = _api_message(error)
        if error.code == 429 or error.code >= 500:
            retry_after = retry_after_seconds(error.headers.get("Retry-After"))
            raise _Retry(f"HTTP {error.code}: {message}", retry_after) from None
        raise _HTTPFailure(f"{error.code}: {message}") from None
    except urllib.error.URLError as error:
        raise _Retry(_describe(error.reason)) from None
    except (OSError, http.client.HTTPException) as error:
        raise _Retry(_describe(error)) from None
    try:
        run: Any = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than Python's recursion limit
        run = None
    if not _is_object(run) or not isinstance(run.get("status"), str):
        raise _Retry("the answer is not a run object")
    return run


def _api_message(error: urllib.error.HTTPError) -> str:
    """``error.message`` of the OpenAI error envelope, else the HTTP reason phrase."""
    try:
        message = json.loads(error.read())["error"]["message"]
    except Exception:  # an unreadable or unexpected body: the reason phrase says enough
        message = None
    finally:
        error.close()
    return message if isinstance(message, str) and message else str(error.reason)


def _describe(reason: object) -> str:
    return f"{type(reason).__name__}: {reason}" if isinstance(reason, BaseException) else str(reason)


def _dig(value: Any, *keys: str) -> Any:
    """``value[k1][k2]...``, or None where a level is missing or not an object."""
    for key in keys:
        value = value.get(key) if _is_object(value) else None
    return value


def _text(value: Any, *keys: str) -> str:
    """``value[k1][k2]...`` when that is a string, else ``"None"`` (missing, null, a number, an object...)."""
    found = _dig(value, *keys)
    return found if isinstance(found, str) else "None"


def _is_object(value: object) -> TypeGuard[dict[str, Any]]:
    """Whether ``value`` is a JSON object."""
    return isinstance(value, dict)


def _is_list(value: object) -> TypeGuard[list[Any]]:
    """Whether ``value`` is a JSON array."""
    return isinstance(value, list)


def _required(environ: Mapping[str, str], name: str) -> str:
    value = environ.get(name, "").strip(WHITESPACE)
    if not value:
        raise Failure(f"{name} is not set: the waiter of an OpenAI run needs it.", EXIT_BAD_INPUT)
    return value


def _timeout(value: str) -> int:
    digits = value.strip(WHITESPACE)
    timeout = int(digits) if digits.isascii() and digits.isdigit() else 0
    if timeout <= 0:
        raise Failure(f"{TIMEOUT_VAR} must be a positive whole number of seconds, not {value!r}.", EXIT_BAD_INPUT)
    return timeout


def _header_value(environ: Mapping[str, str], name: str) -> str:
    value = environ.get(name, "").strip(WHITESPACE)
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise Failure(f"{name} must be one line without control characters.", EXIT_BAD_INPUT)
    return value


def _request(environ: Mapping[str, str], thread_id: str, run_id: str) -> urllib.request.Request:
    """Build the GET of the run, with the API key, beta, organization and User-Agent headers."""
    key = _header_value(environ, API_KEY_VAR)
    if not key:
        raise Failure(
            f"{API_KEY_VAR} is not set: the waiter needs the provider's API key to check"
            f" run {run_id} on thread {thread_id}.",
            EXIT_BAD_INPUT,
        )
    api_url = environ.get(API_URL_VAR, "").strip(WHITESPACE) or DEFAULT_API_URL
    if urllib.parse.urlsplit(api_url).scheme not in ("http", "https"):
        raise Failure(f"{API_URL_VAR} must be an http(s) URL, not {api_url!r}.", EXIT_BAD_INPUT)
    quote = urllib.parse.quote
    url = f"{api_url.rstrip('/')}/threads/{quote(thread_id, safe='')}/runs/{quote(run_id, safe='')}"
    headers = {
        "Authorization": f"Bearer {key}",
        "OpenAI-Beta": "assistants=v2",
        "Accept": "application/json",
        "User-Agent": USER_AGENT,
    }
    organization = _header_value(environ, ORGANIZATION_VAR)
    if organization:
        headers["OpenAI-Organization"] = organization
    return urllib.request.Request(url, headers=headers)


if __name__ == "__main__":
    sys.exit(main(os.environ))
