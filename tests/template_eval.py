"""What Terraform makes of a string in a ``.tf.json`` file, for the templates cdktf writes; written for the tests.

Terraform reads every string there as a template: ``$${`` and ``%%{`` are escapes for a literal ``${`` and
``%{``, ``${ expr }`` interpolates, ``%{ ... }`` is a directive. :func:`evaluate` evaluates the subset this
library and cdktf write: escapes, quoted string literals (``${"$$"}``), and any other expression, which it hands
to ``resolve`` (``var.s`` -> the variable's value). A directive is an error: free text must never hold a live one.
Like Terraform, it drops a U+FEFF at the very start of the template and normalizes the result to Unicode NFC
(Terraform does that to every string).

It is checked against real Terraform in ``tests/unit/test_templates.py`` (the same cases, both ways), so the
fuzz suite can use it where running Terraform per example would be too slow.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_QUOTED_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


class LiveTemplate(ValueError):
    """The text holds template syntax Terraform would act on (a directive, or an unclosed interpolation)."""


def evaluate(template: str, resolve: Callable[[str], str]) -> str:
    """Return the string Terraform evaluates ``template`` to; ``resolve`` gives the text of an expression."""
    return unicodedata.normalize("NFC", _evaluate(template.removeprefix("\ufeff"), resolve))


def _evaluate(template: str, resolve: Callable[[str], str]) -> str:
    out: list[str] = []
    position = 0
    while position < len(template):
        if template.startswith(("$${", "%%{"), position):
            out.append(template[position + 1 : position + 3])
            position += 3
        elif template.startswith("${", position):
            end = _expression_end(template, position + 2)
            out.append(_expression(template[position + 2 : end].strip(), resolve))
            position = end + 1
        elif template.startswith("%{", position):
            raise LiveTemplate(f"a template directive at {position}: {template[position : position + 30]!r}")
        else:
            out.append(template[position])
            position += 1
    return "".join(out)


def _expression(expression: str, resolve: Callable[[str], str]) -> str:
    if len(expression) >= 2 and expression[0] == '"' and _string_end(expression, 1) == len(expression):
        return _evaluate(_unquote(expression[1:-1]), resolve)
    return resolve(expression)


def _unquote(body: str) -> str:
    """Undo the backslash escapes of a quoted HCL string (its template escapes are left to :func:`evaluate`)."""
    out: list[str] = []
    position = 0
    while position < len(body):
        char = body[position]
        if char == "\\":
            following = body[position + 1]
            if following == "u":
                out.append(chr(int(body[position + 2 : position + 6], 16)))
                position += 6
                continue
            out.append(_QUOTED_ESCAPES[following])
            position += 2
            continue
        out.append(char)
        position += 1
    return "".join(out)


def _expression_end(text: str, position: int) -> int:
    """Return the index of the ``}`` that closes the expression starting at ``position``."""
    depth = 0
    while position < len(text):
        if text.startswith("/*", position):
            close = text.find("*/", position + 2)
            if close < 0:
                raise LiveTemplate("an unclosed comment")
            position = close + 2
            continue
        char = text[position]
        if char == '"':
            position = _string_end(text, position + 1)
            continue
        if char in "{([":
            depth += 1
        elif char in "})]":
            if depth == 0:
                if char != "}":
                    raise LiveTemplate(f"an unbalanced {char!r} at {position}")
                return position
            depth -= 1
        position += 1
    raise LiveTemplate("an unclosed ${")


def _string_end(text: str, position: int) -> int:
    """Return the index just after the ``"`` that closes the quoted string whose body starts at ``position``."""
    while position < len(text):
        if text[position] == "\\":
            position += 2
        elif text.startswith(("$${", "%%{"), position):
            position += 3
        elif text.startswith(("${", "%{"), position):
            position = _expression_end(text, position + 2) + 1
        elif text[position] == '"':
            return position + 1
        else:
            position += 1
    raise LiveTemplate("an unclosed string")


def evaluate_literal_template(template: str) -> str:
    """Return what Terraform makes of a template without live interpolation: the escapes undone.

    For checks of escaped text without tokens: raises ValueError when ``template`` holds ``${`` or ``%{`` that
    Terraform would evaluate. ``${"..."}`` (a quoted literal, as written around tokens) is evaluated too.
    """
    out: list[str] = []
    position = 0
    while position < len(template):
        literal = re.match(r'\$\{"(\$+|\ufeff)"\}', template[position:])
        if literal:
            out.append(literal.group(1))
            position += literal.end()
            continue
        for escape, plain_text in (("$${", "${"), ("%%{", "%{")):
            if template.startswith(escape, position):
                out.append(plain_text)
                position += len(escape)
                break
        else:
            if template.startswith(("${", "%{"), position):
                raise ValueError(f"live template syntax at {position}: {template[position : position + 20]!r}")
            out.append(template[position])
            position += 1
    return "".join(out)
