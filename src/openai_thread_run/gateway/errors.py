"""Errors in OpenAI's shape, as the gateway (and the tests' local Assistants API) answers them.

Every error has the same envelope as the real API::

    {"error": {"message": "...", "type": "...", "param": null, "code": null}}

Domain code raises :class:`ApiError`; the HTTP layer turns it into a response.
"""

from __future__ import annotations

from .json_values import JSONObject

INVALID_REQUEST = "invalid_request_error"

MISSING_API_KEY_MESSAGE = (
    "You didn't provide an API key. You need to provide your API key in an Authorization header "
    "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank "
    "username) if you're accessing the API from your browser and are prompted for a username and "
    "password. You can obtain an API key from https://platform.openai.com/account/api-keys."
)

MISSING_BETA_HEADER_MESSAGE = (
    "You must provide the 'OpenAI-Beta' header to access the Assistants API. "
    "Please try again by setting the header 'OpenAI-Beta: assistants=v2'."
)

INVALID_JSON_MESSAGE = (
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your "
    "HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. "
    "If you have trouble figuring out how to fix this, please contact us through our help center at "
    "help.openai.com.)"
)


class ApiError(Exception):
    """An error that is answered to the client as an OpenAI error envelope."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        error_type: str = INVALID_REQUEST,
        param: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_type = error_type
        self.param = param
        self.code = code

    def body(self) -> JSONObject:
        """Return the JSON error envelope for this error."""
        return error_body(self.message, self.error_type, self.param, self.code)


def error_body(message: str, error_type: str, param: str | None = None, code: str | None = None) -> JSONObject:
    """Build the ``{"error": {...}}`` envelope used by every OpenAI error response."""
    return {"error": {"message": message, "type": error_type, "param": param, "code": code}}


def not_found(kind: str, object_id: str) -> ApiError:
    """404 for an unknown object id, e.g. ``No thread found with id 'thread_x'.``."""
    return ApiError(404, f"No {kind} found with id '{object_id}'.")


def invalid_url(method: str, path: str) -> ApiError:
    """404 for a path (or method) the API does not serve."""
    return ApiError(404, f"Invalid URL ({method} {path})")


def bad_request(message: str, param: str | None = None) -> ApiError:
    """400 ``invalid_request_error``."""
    return ApiError(400, message, param=param)


INVALID_API_KEY_MESSAGE = "Incorrect API key provided. Check the key in the Authorization header (Bearer auth)."


def unauthorized(message: str = MISSING_API_KEY_MESSAGE, code: str | None = None) -> ApiError:
    """401: no key (the default message), or ``code="invalid_api_key"`` with :data:`INVALID_API_KEY_MESSAGE`."""
    return ApiError(401, message, code=code)
