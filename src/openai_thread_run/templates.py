"""Text as data: writing strings into Terraform JSON so that Terraform evaluates them back to exactly that text.

Terraform reads every string in a ``.tf.json`` file as a template: ``${...}`` interpolates and ``%{...}`` is a
directive, so a prompt such as ``echo ${HOME}`` would be evaluated (or fail). Its escapes are ``$${`` for a
literal ``${`` and ``%%{`` for a literal ``%{``; they compose with any run of ``$`` or ``%`` before them
(``$$${`` reads back as ``$${``).

cdktf string tokens inside the text (an f-string over ``variable.string_value``) must stay live, and that takes
care, because cdktf reads a string that holds tokens in its own way: any ``${`` that is no token (``$${``
included) opens a "Terraform expression" until the next ``}``, and tokens inside one lose their ``${ }``. So in
text with tokens, a literal ``${`` (with any ``$`` before it) is written as the interpolation ``${"$"}{``, which
both Terraform and cdktf read as balanced, and a run of ``$`` right before a token (which would otherwise form
the escape ``$${`` once the token resolves) as ``${"$"}``.

:func:`jsonencode_template` renders a JSON value holding tokens as Terraform's ``jsonencode(...)``, so the
provider receives valid JSON whatever a variable holds. Inside that expression every token is written bare
(``var.x``, keeping its type) after an HCL comment ``/*${*/``, which opens cdktf's expression mode right there,
whatever braces came before.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .normalize import is_dict, is_list
from .tokens import STRING_TOKEN, is_jsii_object, number_token_spans, token_kind

#: What cdktf's own pattern for number tokens in text (``[-|\d|.+]+(e[-|\d|.|e|E|+]+)``) would take into the
#: token's text when it stands next to one: the token would then be lost, or eat the character.
_NUMBER_GLUE = frozenset("-|.+eE0123456789")
#: An interpolation of the empty string: kept apart from a number token, cdktf finds the token's exact text.
_EMPTY = '${""}'
#: A run of ``$`` before ``{``: Terraform reads ``${`` there (or the escape ``$${``).
_DOLLARS_BEFORE_BRACE = re.compile(r"(\$+)\{")
#: Makes cdktf resolve the next token bare: it opens cdktf's expression mode, and Terraform skips the comment.
BARE_TOKEN_OPENER = "/*${*/"
#: What may compose with a character before it, at the start of text: only non-ASCII characters do.
_LEADING_NON_ASCII = re.compile(r"^[^\x00-\x7f]+")
#: U+FEFF (a byte order mark, or a zero-width no-break space): Terraform drops it at the start of a template.
BOM = "\ufeff"
#: A leading one, as Terraform keeps it: the interpolation of a quoted string holding it.
LEADING_BOM = '${"' + BOM + '"}'
#: Escapes of a quoted string inside a Terraform expression, besides the template escapes.
_QUOTED_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def fragments(text: str) -> Iterator[tuple[str, bool]]:
    """Split ``text`` into ``(part, is_token)`` pairs: literal text and the tokens (string or number) in it."""
    if not _may_hold_token(text):  # the common case, decided without a regular expression
        if text:
            yield text, False
        return
    spans = [match.span() for match in STRING_TOKEN.finditer(text)]
    spans += [span for span in number_token_spans(text) if not any(s <= span[0] < e for s, e in spans)]
    position = 0
    for start, end in sorted(spans):
        if start > position:
            yield text[position:start], False
        yield text[start:end], True
        position = end
    if position < len(text):
        yield text[position:], False


def least_length(text: str) -> int:
    """Return the fewest characters ``text`` can have once Terraform has evaluated it, whatever its tokens hold.

    Counted as the API counts them, in Unicode NFC (Terraform normalizes every string): the literal parts, but for
    the non-ASCII characters that start a part after a token, which may compose with the token's last character
    (``e`` and a combining accent). Without tokens, the length of the text Terraform sends.
    """
    count = 0
    after_token = False
    for part, is_token in fragments(text):
        if not is_token:
            normalized = unicodedata.normalize("NFC", part)
            count += len(_LEADING_NON_ASCII.sub("", normalized) if after_token else normalized)
        after_token = is_token
    return count


def may_equal(text: str, options: Iterable[str]) -> bool:
    """Return True when ``text`` may equal one of ``options`` once its tokens are replaced by any text.

    Its literal parts, in order, with anything between and around them where the tokens are.
    """
    pattern = "".join(".*" if is_token else re.escape(part) for part, is_token in fragments(text))
    return any(re.fullmatch(pattern, option, re.DOTALL) for option in options)


def may_end_with(text: str, suffix: str) -> bool:
    """Return True when ``text`` may end with ``suffix`` once its tokens are replaced by any text."""
    parts = list(fragments(text))
    if not parts or parts[-1][1]:
        return True  # a token at the end may end with anything
    tail = parts[-1][0]
    return tail.endswith(suffix) or (len(parts) > 1 and suffix.endswith(tail))


def has_token(text: str) -> bool:
    """Return True when ``text`` holds a token that cdktf resolves inside a string (string or number)."""
    return _may_hold_token(text) and any(is_token for _, is_token in fragments(text))


def _may_hold_token(text: str) -> bool:
    """Whether ``text`` may hold a string token (``${TfToken[...]}``) or a number token written as text."""
    return "TfToken[" in text or "e+298" in text


def escape_text(text: str) -> str:
    """Return ``text`` as a Terraform template that evaluates to exactly ``text``; embedded tokens stay live.

    Exactly, but for what Terraform does to every string: it normalizes it to Unicode NFC (which no escape
    prevents; the construct warns about such text). A leading U+FEFF, which Terraform would drop, is kept as the
    interpolation of a quoted one.
    """
    if text.startswith(BOM):
        return LEADING_BOM + _escape_text(text[len(BOM) :])
    return _escape_text(text)


def _escape_text(text: str) -> str:
    if "${" not in text and "%{" not in text and "e+298" not in text:
        return text  # the common case: nothing Terraform would read as template syntax, and no token
    parts = list(fragments(text))
    if not any(is_token for _, is_token in parts):
        return text.replace("${", "$${").replace("%{", "%%{")
    out: list[str] = []
    for index, (part, is_token) in enumerate(parts):
        if is_token:
            if not STRING_TOKEN.fullmatch(part) and out and out[-1][-1] in _NUMBER_GLUE:
                out.append(_EMPTY)  # a number token right after a digit, -, ., +, | or e
            out.append(part)
            continue
        literal = _DOLLARS_BEFORE_BRACE.sub(lambda m: '${"' + m.group(1) + '"}{', part).replace("%{", "%%{")
        if index + 1 < len(parts) and literal.endswith("$"):
            run = len(literal) - len(literal.rstrip("$"))
            literal = literal[:-run] + '${"' + "$" * run + '"}'
        if out and not STRING_TOKEN.fullmatch(parts[index - 1][0]) and literal[0] in _NUMBER_GLUE:
            out.append(_EMPTY)  # a digit, -, ., +, | or e right after a number token
        out.append(literal)
    return "".join(out)


def escape_data(value: Any) -> Any:
    """Return ``value`` with every string in it (map keys included) escaped as text; tokens stay live."""
    if isinstance(value, str):
        return escape_text(value)
    if is_dict(value) and not is_jsii_object(value):
        return {escape_data(key): escape_data(item) for key, item in value.items()}
    if is_list(value):
        return [escape_data(item) for item in value]
    return value


def quoted(text: str) -> str:
    """Return literal ``text`` (no tokens) as a quoted string for a Terraform expression."""
    chars: list[str] = []
    for char in text:
        if char in _QUOTED_ESCAPES:
            chars.append(_QUOTED_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            chars.append(f"\\u{ord(char):04x}")
        else:
            chars.append(char)
    return '"' + "".join(chars).replace("${", "$${").replace("%{", "%%{") + '"'


def jsonencode_template(value: Any, as_string_token: Callable[[Any], str]) -> str:
    """Return ``"${jsonencode(<value as HCL>)}"``: a string attribute Terraform evaluates to ``value`` as JSON.

    Literal strings are quoted and escaped (they stay text); a string with tokens in it becomes
    ``join("", [...])`` of its parts; every token is written bare, so it keeps its type. ``as_string_token``
    turns a non-string token (number, list, map, kernel object) into a string token (``Token.as_string``).
    """
    return "${jsonencode(" + hcl(value, as_string_token) + ")}"


def hcl(value: Any, as_string_token: Callable[[Any], str]) -> str:
    """Return ``value`` (plain JSON values and tokens) as a Terraform expression."""
    if isinstance(value, str):
        parts = list(fragments(value))
        if not any(is_token for _, is_token in parts):
            return quoted(value)
        if STRING_TOKEN.fullmatch(value):
            return BARE_TOKEN_OPENER + value  # one string token: the value it stands for, with its type
        rendered = [_token_in_text(part, as_string_token) if is_token else quoted(part) for part, is_token in parts]
        return 'join("", [' + ", ".join(rendered) + "])"
    if token_kind(value) is not None:
        return BARE_TOKEN_OPENER + as_string_token(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} has no JSON encoding")
        return repr(value)
    if is_dict(value):
        entries = (f"{_key(str(key), as_string_token)} = {hcl(item, as_string_token)}" for key, item in value.items())
        return "{" + ", ".join(entries) + "}"
    if is_list(value):
        return "[" + ", ".join(hcl(item, as_string_token) for item in value) + "]"
    raise TypeError(f"{type(value).__name__} has no Terraform expression")


def _token_in_text(part: str, as_string_token: Callable[[Any], str]) -> str:
    """Return a token found in text as a bare expression (a number token as the string token of the same number).

    cdktf writes a number token inside a string as ``${...}`` even in its expression mode, which is no valid
    expression there; its string token is written bare.
    """
    if STRING_TOKEN.fullmatch(part):
        return BARE_TOKEN_OPENER + part
    return BARE_TOKEN_OPENER + as_string_token(float(part))


def _key(key: str, as_string_token: Callable[[Any], str]) -> str:
    """Return an object key: quoted text, or ``(expression)`` when it holds a token (HCL's computed key)."""
    return f"({hcl(key, as_string_token)})" if has_token(key) else quoted(key)
