"""What every hand-written binding shares: declared attributes, checked and settable; creation; references.

A binding is declared once, for both frameworks, as a *base* class (``OpenaiThreadBase``): its Terraform type,
each attribute the provider's schema lets users set as an :class:`Attribute` (its type, whether it is required,
and a one-line doc), and its computed attributes as token properties. ``scripts/render_signatures.py`` writes what
type checkers must read from the source, from that declaration: the typed constructor (every attribute, then the
meta-arguments of :data:`META_ARGUMENTS`) into an *init* class (``OpenaiThreadInit``), and a ``reset_<name>()``
per optional attribute into the base. Each framework's module then makes the class users create:

    class OpenaiThread(OpenaiThreadInit, cdktf.TerraformResource, OpenaiThreadBase): ...

The order is for jsii: when it creates an object, it looks for the Python members that override its own in every
class before the framework's, for every object. Before it stand only the init class and :class:`ElementFront`
(the constructor, and the three members that do override cdktf's); everything else comes after the framework
class, where nothing of the framework's has its name (``tests/unit/test_bindings.py`` checks that, so a framework
release that adds such a name fails loudly).

Attributes: ``run.temperature`` reads the value, ``run.temperature = 0.9`` checks and sets it,
``run.reset_temperature()`` unsets it, as on generated bindings. Values are kept in Python and handed to the
framework when the stack synthesizes (``_synthesize_attributes``, the jsii name cdktf calls): no jsii round trip
per attribute.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar, cast, overload

import constructs
import jsii

from .._framework import Framework, check_same_framework, framework_of_class, refuse_hcl_output
from ..errors import Problem, ValidationError
from ..logical_ids import make_unique_id, path_under_stack, sanitized
from ..normalize import is_dict, is_list, plain
from .schema import CheckContext, InputType

PROVIDER_NAME = "openai"
PROVIDER_SOURCE = "mkdev-me/openai"
#: Provider 1.2.0 is the last release with openai_thread, openai_message and openai_thread_run; 2.0.0 removed them.
PROVIDER_VERSION_CONSTRAINT = ">= 1.2.0, < 2.0.0"


@dataclass(frozen=True)
class MetaArgument:
    """A Terraform meta-argument every binding of an element takes, after its own attributes."""

    name: str
    #: Its type, as the constructor's signature writes it.
    annotation: str
    #: What it does, and its default, for the constructor's docstring.
    doc: str
    #: Resources take it, data sources do not.
    resources_only: bool = False


#: The Terraform meta-arguments, declared once for every binding (a data source takes those not ``resources_only``).
META_ARGUMENTS: tuple[MetaArgument, ...] = (
    MetaArgument("connection", "Any | None", "Terraform meta-argument. Default: none.", resources_only=True),
    MetaArgument("count", "Any | None", "Terraform meta-argument. Default: none."),
    MetaArgument(
        "depends_on",
        "Sequence[Any] | None",
        "resources or constructs to create first (a data source is then read at apply time). Default: none.",
    ),
    MetaArgument("for_each", "Any | None", "Terraform meta-argument. Default: none."),
    MetaArgument(
        "lifecycle", "Any | None", "Terraform lifecycle settings, e.g. ``replace_triggered_by``. Default: none."
    ),
    MetaArgument(
        "provider",
        "Any | None",
        "the provider configuration to use, e.g. an aliased ``OpenaiProvider``. Default: the default one.",
    ),
    MetaArgument(
        "provisioners",
        "Sequence[Any] | None",
        "provisioners run when it is created (e.g. ``local-exec``). Default: none.",
        resources_only=True,
    ),
)
_META_NAMES = tuple(meta.name for meta in META_ARGUMENTS)

T = TypeVar("T")


class Attribute(Generic[T]):
    """A settable, checked attribute of a binding, named as in the provider's schema."""

    def __init__(self, type_: InputType, *, doc: str, required: bool = False) -> None:
        """Declare an attribute.

        :param type_: how it is checked and written (:mod:`.schema`).
        :param doc: what it does, and its default, for the constructor's docstring (reStructuredText).
        :param required: whether the constructor requires it (and it cannot be reset).
        """
        self.type = type_
        self.doc = doc
        self.required = required
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type) -> Attribute[T]: ...
    @overload
    def __get__(self, obj: object, owner: type) -> T: ...
    def __get__(self, obj: object | None, owner: type) -> Attribute[T] | T:
        if obj is None:
            return self
        # A copy: changing what a getter returned must not change the input behind the checks' back.
        return cast(T, _copied(cast("CheckedAttributes", obj)._inputs.get(self.name)))  # pyright: ignore[reportPrivateUsage]

    def __set__(self, obj: object, value: T) -> None:
        cast("CheckedAttributes", obj)._set_input(self, value)  # pyright: ignore[reportPrivateUsage]


def _copied(value: Any) -> Any:
    """Return a checked input's value with its lists and dicts copied (tokens and scalars are immutable)."""
    if is_dict(value):
        return {key: _copied(item) for key, item in value.items()}
    if is_list(value):
        return [_copied(item) for item in value]
    return value


def attributes_of(cls: type) -> tuple[Attribute[Any], ...]:
    """Return every :class:`Attribute` of ``cls`` (and its bases), in declaration order (found once per class)."""
    return _attributes_of(cls)


@functools.cache
def _attributes_of(cls: Any) -> tuple[Attribute[Any], ...]:
    found: dict[str, Attribute[Any]] = {}
    klass: type
    for klass in reversed(cast(type, cls).__mro__):
        for name, member in vars(klass).items():
            if isinstance(member, Attribute):
                found[name] = member
    return tuple(found.values())


def _framework_of(cls: type) -> Framework:
    """Return the framework a binding class is built on (found once per class)."""
    return _framework_by_class(cls)


@functools.cache
def _framework_by_class(cls: Any) -> Framework:
    fw = framework_of_class(cls)
    if fw is None:
        raise TypeError(f"{cls.__name__} is a base; use the binding class of a framework")
    return fw


_prechecked: contextvars.ContextVar[bool] = contextvars.ContextVar("openai_thread_run_prechecked", default=False)


@contextlib.contextmanager
def inputs_prechecked() -> Generator[None]:
    """Within: bindings keep their inputs without checking them (given to their constructors or setters).

    For ThreadRunConstruct only, whose validation has already read every input into plain values and checked
    it with the same :mod:`.schema` types (tests check that the bindings' own checks agree with what it hands
    them): checking again would cost a measurable share of a synth.
    """
    token = _prechecked.set(True)
    try:
        yield
    finally:
        _prechecked.reset(token)


class CheckedAttributes:
    """How a binding keeps its attributes: checked when given or set, held in Python, written at synthesis.

    The base of every binding's base class (it stands after the framework's class: nothing here overrides jsii).
    """

    _inputs: dict[str, Any]
    _subject: str
    _synthesized: dict[str, Any] | None

    def _check_inputs(self, id_: Any, given: Mapping[str, Any], scope: Any) -> None:
        """Check and keep every input; raise one ValidationError listing all problems (nothing is created).

        Within :func:`inputs_prechecked`, the inputs are kept as given: their checks already ran.
        """
        self._subject = f"{type(self).__name__} {id_!r}"
        self._synthesized = None
        attributes = attributes_of(type(self))
        if _prechecked.get():
            self._inputs = {a.name: given[a.name] for a in attributes if given.get(a.name) is not None}
            return
        problems: list[Problem] = []
        context = CheckContext(stack=lambda: _framework_of(self.__class__).core.TerraformStack.of(scope))
        values: dict[str, Any] = {}
        for attribute in attributes:
            value = _checked(attribute, given.get(attribute.name), problems, context)
            if value is not None:
                values[attribute.name] = value
        if problems:
            raise ValidationError(self._subject, problems)
        self._inputs = values

    def _set_input(self, attribute: Attribute[Any], value: Any) -> None:
        if _prechecked.get():
            checked = value
        else:
            problems: list[Problem] = []
            context = CheckContext(stack=lambda: getattr(self, "cdktf_stack"))  # noqa: B009 - a jsii property
            checked = _checked(attribute, value, problems, context)
            if problems:
                raise ValidationError(self._subject, problems)
        if checked is None:
            self._inputs.pop(attribute.name, None)
        else:
            self._inputs[attribute.name] = checked
        self._synthesized = None

    def _reset(self, name: str) -> None:
        """Unset the optional attribute ``name`` (what every ``reset_<name>()`` does)."""
        attribute = next(a for a in attributes_of(type(self)) if a.name == name)
        if attribute.required:
            raise ValidationError(
                self._subject,
                [Problem(attribute.name, "is required and cannot be reset", None, attribute.type.expected)],
            )
        self._inputs.pop(attribute.name, None)
        self._synthesized = None

    def _own_framework(self) -> Framework:
        return _framework_of(self.__class__)


def synthesized(binding: CheckedAttributes) -> Mapping[str, Any]:
    """Return the attributes of ``binding`` as the JSON holds them (computed once per change)."""
    if binding._synthesized is None:  # pyright: ignore[reportPrivateUsage]
        encode = _token_encoder(binding._own_framework())  # pyright: ignore[reportPrivateUsage]
        inputs = binding._inputs  # pyright: ignore[reportPrivateUsage]
        binding._synthesized = {  # pyright: ignore[reportPrivateUsage]
            attribute.name: attribute.type.emit(inputs[attribute.name], encode)
            for attribute in attributes_of(type(binding))
            if attribute.name in inputs
        }
    return binding._synthesized  # pyright: ignore[reportPrivateUsage]


def _checked(attribute: Attribute[Any], value: Any, problems: list[Problem], context: CheckContext) -> Any:
    if value is None:
        if attribute.required:
            problems.append(Problem(attribute.name, "is required", None, attribute.type.expected))
        return None
    value = plain(value, attribute.name, problems)
    attribute.type.check(value, attribute.name, problems, context)
    return value


@functools.cache
def _token_encoder(fw: Framework) -> Callable[[Any], str]:
    core = fw.core

    def encode(value: Any) -> str:
        # Only a string token that stands for the value itself: written bare in an expression, it keeps its type
        # (wrapped in Fn.jsonencode, a number or map inside jsonencode(...) would reach the JSON as a string).
        return cast(str, core.Token.as_string(value))

    return encode


@functools.cache
def generator_metadata(fw: Framework) -> Any:
    """Return the framework's ``TerraformProviderGeneratorMetadata`` for provider mkdev-me/openai (built once)."""
    return fw.core.TerraformProviderGeneratorMetadata(
        provider_name=PROVIDER_NAME, provider_version_constraint=PROVIDER_VERSION_CONSTRAINT
    )


class NumberMap(Protocol):
    """A map of numbers Terraform knows at apply time (the framework's ``NumberMap``), such as a run's usage.

    Read one entry as a number token with ``lookup("total_tokens")``; pass the whole map to a
    ``TerraformOutput``. Indexing it like a dict is not possible: its keys exist only at apply time.
    """

    def lookup(self, key: str) -> float:
        """Return a number token for the entry ``key``."""
        ...


class Resolvable(Protocol):
    """A token object of either framework (its ``IResolvable``), e.g. a bool variable's ``boolean_value``.

    cdktf has no bool tokens of type ``bool``: a bool from Terraform is always an ``IResolvable``, which a bool
    input takes as generated bindings do. (Number tokens are ``float``: whole-number inputs are typed
    ``int | float`` for them, and check at runtime that a literal is whole.)
    """

    def resolve(self, context: Any, /) -> Any:
        """Resolve the token (the framework calls this at synthesis)."""
        ...


def declare(element: ElementBase, scope: constructs.Construct, id_: str, arguments: Mapping[str, Any]) -> None:
    """Check the inputs, then create the framework element with the meta-arguments that are set.

    What every binding's constructor does (``scripts/render_signatures.py`` writes the call).

    :param arguments: the constructor's ``locals()``: every attribute under its name, and the meta-arguments
        (:data:`META_ARGUMENTS`) under theirs.
    """
    element._check_inputs(id_, arguments, scope)  # pyright: ignore[reportPrivateUsage]
    fw = element._own_framework()  # pyright: ignore[reportPrivateUsage]
    check_same_framework(type(element), fw, scope)
    if not _prechecked.get():  # the construct's elements: its stack's records have checked the app already
        refuse_hcl_output(scope)
    meta = {name: arguments[name] for name in _META_NAMES if arguments.get(name) is not None}
    if "depends_on" in meta:
        meta["depends_on"] = list(meta["depends_on"])
    metadata = element._generator_metadata(fw)  # pyright: ignore[reportPrivateUsage]
    if _prechecked.get():
        # A ThreadRunConstruct's element: created as the framework's generated constructor creates it, through public
        # API (its config struct, then jsii.create: in jsii's __all__, the call every generated binding makes), but
        # without that constructor's runtime type check of scope and id (typeguard, about 45 us per element, 4 % of
        # a construct's CPU at N=1000), which the construct has made already.
        config = (
            fw.core.TerraformResourceConfig(
                terraform_resource_type=element.TF_RESOURCE_TYPE, terraform_generator_metadata=metadata, **meta
            )
            if meta
            else _bare_config(element, fw, metadata)
        )
        cast(Any, jsii).create(element.__class__, element, [scope, id_, config])
    else:
        cast(Any, super(ElementFront, cast(Any, element))).__init__(
            scope, id_, terraform_resource_type=element.TF_RESOURCE_TYPE, terraform_generator_metadata=metadata, **meta
        )
    path = path_under_stack(scope, fw.core.TerraformStack)
    #: The logical id the stack gives it, when Python knows it (see :mod:`openai_thread_run.logical_ids`).
    element._logical_id = make_unique_id([*path, sanitized(id_)]) if path is not None else None  # pyright: ignore[reportPrivateUsage]
    #: Whether this library wrote a reference to it as text (its logical id is fixed from then on).
    element._referenced = False  # pyright: ignore[reportPrivateUsage]
    element._declared(scope)  # pyright: ignore[reportPrivateUsage]


#: The config struct of each binding class without meta-arguments, by class and framework (see :func:`_bare_config`).
_BARE_CONFIGS: dict[tuple[type, Framework], Any] = {}


def _bare_config(element: ElementBase, fw: Framework, metadata: Any) -> Any:
    """Return the config struct of an element without meta-arguments, built once per class (about 0.1 ms each).

    jsii passes a struct by value, so one struct serves every element of the class; ``metadata`` is the class's.
    """
    key = (type(element), fw)
    config = _BARE_CONFIGS.get(key)
    if config is None:
        config = fw.core.TerraformResourceConfig(
            terraform_resource_type=element.TF_RESOURCE_TYPE, terraform_generator_metadata=metadata
        )
        _BARE_CONFIGS[key] = config
    return config


class ElementFront:
    """What a resource or data source binding overrides of the framework's class: placed before it.

    jsii inspects every member of the classes before the framework's when it creates an object; here are only
    the members that do override cdktf's (see the module's docstring).
    """

    if TYPE_CHECKING:
        _logical_id: str | None
        _referenced: bool
        _subject: str

    def _synthesize_attributes(self) -> Mapping[str, Any]:
        return synthesized(cast(CheckedAttributes, self))

    def override_logical_id(self, new_logical_id: str) -> None:
        """Give the element this logical id instead of the one cdktf derives; raises when that cannot take effect.

        cdktf fixes an element's logical id once anything has read it (an attribute token such as ``.id``, a
        reference in ``depends_on`` or ``replace_triggered_by``): an override after that would be ignored, or leave
        those references behind. A ThreadRunConstruct refers to its thread, messages, run and prompt as it creates
        them; to keep the state of an earlier address for one of those, use a ``moved`` block
        (``element.move_from_id("type.old_name")``, see README, "cdktf patterns").

        :param new_logical_id: the logical id (the ``name`` of ``type.name``).
        :raises ValidationError: when the logical id was already fixed.
        """
        element = cast(Any, self)
        fixed = self._referenced
        if not fixed:
            try:
                cast(Any, super()).override_logical_id(new_logical_id)
                fixed = element.friendly_unique_id != new_logical_id
            except RuntimeError as error:  # cdktf's "Logical ID may not be overridden once .fqn has been requested"
                if "Logical ID may not be overridden" not in str(error):
                    raise
                fixed = True
        if fixed:
            current = self._logical_id if self._referenced else element.friendly_unique_id
            raise ValidationError(
                self._subject,
                [
                    Problem(
                        "new_logical_id",
                        f"cannot take effect: the logical id {current!r} was fixed when something "
                        "first referred to the element (a ThreadRunConstruct refers to its thread, messages, run and "
                        "prompt); override it before that, or keep it and move the state from the old address with "
                        'element.move_from_id("type.old_name")',
                        new_logical_id,
                        "an override before anything refers to the element",
                    )
                ],
            )
        self._logical_id = new_logical_id

    def reset_override_logical_id(self) -> None:
        """Undo :meth:`override_logical_id`, as cdktf's own method does (which may keep an id already read)."""
        cast(Any, super()).reset_override_logical_id()
        self._logical_id = cast(Any, self).friendly_unique_id  # what cdktf now writes: asked, not derived


class ElementBase(CheckedAttributes):
    """What the bases of resource and data source bindings share (they stand after the framework's class)."""

    TF_RESOURCE_TYPE: ClassVar[str]
    """The Terraform type, e.g. ``openai_thread``, as ``Testing.to_have_resource`` takes it."""
    _logical_id: str | None
    _referenced: bool

    def _generator_metadata(self, fw: Framework) -> Any:
        return generator_metadata(fw)

    def _declared(self, scope: constructs.Construct) -> None:
        """Run once the element exists (an assistant records itself for the stack's checks)."""

    def _address(self) -> str:
        """Return ``type.name``, in Python when the logical id is known (else jsii is asked)."""
        name = self._logical_id if self._logical_id is not None else self.friendly_unique_id
        return f"{self.TF_RESOURCE_TYPE}.{name}"

    def _refer(self, attribute: str | None = None) -> str:
        """Return a reference to the element (``type.name``), or to one of its attributes (``${type.name.attr}``).

        As text, for this library to write where a token would cost a jsii round trip: the element's logical id
        is fixed from then on (:meth:`ElementFront.override_logical_id` refuses to change it, as cdktf does once a
        token of the element was read).
        """
        if self._logical_id is None:  # not known in Python: cdktf's own token fixes it
            return self.get_string_attribute(attribute) if attribute else self._address()
        self._referenced = True
        address = self._address()
        return "${" + address + "." + attribute + "}" if attribute else address

    def _number_map(self, attribute: str) -> NumberMap:
        return cast(NumberMap, self._own_framework().core.NumberMap(self, attribute))

    @classmethod
    def generate_config_for_import(
        cls, scope: constructs.Construct, import_to_id: str, import_from_id: str, provider: Any | None = None
    ) -> Any:
        """Generate code for importing an existing object on ``cdktf plan`` (as on generated bindings).

        :param scope: the scope in which to define the import.
        :param import_to_id: the construct id used in the generated configuration.
        :param import_from_id: the id of the existing object (see README, "Importing").
        :param provider: the provider configuration to import with. Default: the default one.
        """
        fw = framework_of_class(cls)
        if fw is None:
            raise TypeError(f"{cls.__name__} is a base; use the binding class of a framework")
        return fw.core.ImportableResource(
            scope, import_to_id, _import_config(fw, cls.TF_RESOURCE_TYPE, import_from_id, provider)
        )

    if TYPE_CHECKING:
        # The framework base class implements these (same signatures); declared so the base's code type-checks.
        def get_string_attribute(self, terraform_attribute: str) -> str: ...
        def get_number_attribute(self, terraform_attribute: str) -> float: ...
        def get_list_attribute(self, terraform_attribute: str) -> list[str]: ...
        def interpolation_for_attribute(self, terraform_attribute: str) -> Any: ...
        def add_override(self, path: str, value: Any) -> None: ...
        @property
        def fqn(self) -> str: ...
        @property
        def friendly_unique_id(self) -> str: ...
        @property
        def terraform_resource_type(self) -> str: ...
        @property
        def depends_on(self) -> list[str] | None: ...
        @depends_on.setter
        def depends_on(self, value: list[str] | None) -> None: ...


def _import_config(fw: Framework, resource_type: str, import_id: str, provider: Any | None) -> Any:
    """Return an ``IImportableConfig`` for ``ImportableResource`` (an interface: a small implementing object).

    Its members are class-level properties: jsii passes a Python object to JavaScript with overrides for the
    interface members it finds on the *class*; instance attributes would read as undefined there.
    """

    @jsii.implements(fw.core.IImportableConfig)
    class ImportConfig:
        @property
        def import_id(self) -> str:
            return import_id

        @property
        def terraform_resource_type(self) -> str:
            return resource_type

        @property
        def provider(self) -> Any | None:
            return provider

    return ImportConfig()
