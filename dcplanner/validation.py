"""Pydantic plumbing shared by the scenario schema and the catalog.

Strict frozen models (unknown keys, NaN and infinities rejected) and the translation of
pydantic's errors into one-line :class:`~dcplanner.errors.Problem` records with dotted paths.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Union, get_args, get_origin

import numpy as np
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    create_model,
    model_validator,
)
from pydantic_core import PydanticCustomError

from dcplanner.errors import ConfigError, Problem


@dataclass(frozen=True)
class Rule:
    """A condition across fields of one model, written once for one scenario and for many.

    ``ok(*values)`` takes the values of ``fields`` (dotted below the model; ``name[]`` gives a
    list's items, a mapping's key is a part; None is NaN) and returns whether they are valid.
    It broadcasts over arrays, so that a study checks a whole column of cases at once;
    ``message(*values)`` says what is wrong for one case, reported at the model's path (or
    at its field ``at``).
    """

    fields: tuple[str, ...]
    ok: Callable[..., Any]
    message: Callable[..., str]
    #: The field a violation is reported at, below the model ('': the model itself).
    at: str = ""


def rule_value(model: BaseModel, path: str) -> Any:
    """The value at ``path`` below ``model`` (see :class:`Rule`); NaN for None."""
    node: Any = model
    parts = path.split(".")
    for k, part in enumerate(parts):
        if part.endswith("[]"):
            return [rule_value(item, ".".join(parts[k + 1:])) if parts[k + 1:] else item
                    for item in getattr(node, part[:-2])]
        node = node.get(part) if isinstance(node, dict) else getattr(node, part, None)
    return np.nan if node is None else node


#: The model's domain: plausibility limits, not sourced values, so that no input within them
#: makes a product or quotient of the chain overflow or divide by a near-zero (a fan
#: efficiency of 5e-324 gave an infinite PUE, a 1e308 MW grid a "feasible" plan).
#: No fan, pump, chiller, UPS path or workload is below 1 % efficient or utilized.
MIN_EFFICIENCY = 0.01
#: Smallest and largest site power [MW]: 1 kW, and 100 GW (twenty times the largest AI campus
#: announced in 2025, about 5 GW).
MIN_SITE_MW, MAX_SITE_MW = 0.001, 100_000.0

#: YAML's safe loader, in C (libyaml) where PyYAML was built with it: ten times faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictModel(BaseModel):
    """Frozen, rejects unknown keys and non-finite floats; checks its :attr:`rules`."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
    #: Conditions across this model's fields, checked in order after its fields.
    rules: ClassVar[tuple[Rule, ...]] = ()

    @model_validator(mode="after")
    def _check_rules(self) -> StrictModel:
        for rule in self.rules:
            values = [rule_value(self, f) for f in rule.fields]
            if not np.all(rule.ok(*values)):
                # The message as a context value: it is text, never a template.
                raise PydanticCustomError("rule", "{message}",
                                          {"message": rule.message(*values), "at": rule.at})
        return self


def dotted(loc: Iterable[Any]) -> str:
    """``('deployments', 0, 'count')`` -> ``'deployments.0.count'``."""
    return ".".join(str(part) for part in loc)


def _walk(model: type[BaseModel], loc: tuple) -> tuple[tuple, type[BaseModel] | None]:
    """``loc`` without the tags pydantic adds inside a tagged union (``cooling.dry_cooler.x``
    is the field ``cooling.x`` of the dry-cooler plant), and the model class found at its end
    (None when it is not a model)."""
    current: Any = model
    clean: list = []
    skip_key = False  # the next part is a dict key or list index, not a field
    parts = list(loc)
    while parts:
        part = parts.pop(0)
        clean.append(part)
        if skip_key or isinstance(part, int):
            skip_key = False
            continue
        field = current.model_fields.get(part) if _is_model(current) else None
        if field is None:
            current = None
            continue
        skip_key = get_origin(field.annotation) is dict
        tagged = _tagged(field)
        if tagged and parts and parts[0] in tagged:
            current = tagged[parts.pop(0)]
        else:
            current = _inner_model(field.annotation)
    return tuple(clean), current if _is_model(current) else None


def _elsewhere(model: type[BaseModel], raw: tuple) -> str:
    """For a field unknown to the chosen member of a tagged union, which members have it."""
    for k in range(len(raw) - 1):
        _, holder = _walk(model, raw[:k])
        field = holder.model_fields.get(raw[k]) if holder and isinstance(raw[k], str) else None
        tagged = _tagged(field) if field is not None else {}
        if tagged and raw[k + 1] in tagged and k + 2 == len(raw) - 1:
            others = [t for t, m in tagged.items() if raw[-1] in m.model_fields]
            if others:
                return (f" with {_tag_field(field)} {raw[k + 1]} (a field of "
                        f"{', '.join(others)})")
    return ""


def _tag_field(field: Any) -> str:
    """The field whose value chooses the member of a tagged union (``plant``)."""
    for m in field.metadata:
        if isinstance(m, Discriminator):
            return (m.custom_error_context or {}).get("field", "tag")
    return "tag"


def _is_model(x: Any) -> bool:
    return isinstance(x, type) and issubclass(x, BaseModel)


def _tagged(field: Any) -> dict[str, type[BaseModel]]:
    """The models of a tagged union field, by tag (empty for any other field)."""
    if not any(isinstance(m, Discriminator) for m in field.metadata):
        return {}
    out = {}
    for arg in get_args(field.annotation):
        tags = [m.tag for m in getattr(arg, "__metadata__", ()) if isinstance(m, Tag)]
        if tags:
            out[tags[0]] = get_args(arg)[0]
    return out


def _inner_model(annotation: Any) -> Any:
    """The model class inside ``list[M]``, ``dict[str, M]``, ``M | None``; else the annotation."""
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if isinstance(found, type) and issubclass(found, BaseModel):
            return found
    return annotation


def problems_from(
    error: ValidationError, model: type[BaseModel], prefix: tuple = (), source: str = ""
) -> list[Problem]:
    """One :class:`Problem` per pydantic error, with messages that say what is allowed."""
    problems = []
    for err in error.errors(include_url=False):
        raw = tuple(err["loc"])
        loc, _ = _walk(model, raw)
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            _, parent = _walk(model, raw[:-1])
            allowed = ", ".join(parent.model_fields) if parent else ""
            message = "unknown field" + _elsewhere(model, raw) \
                + (f"; allowed fields: {allowed}" if allowed else "")
        elif err["type"] == "unknown_choice":  # a tagged union's tag field (cooling.plant)
            ctx = err.get("ctx", {})
            given = err["input"].get(ctx["field"]) if isinstance(err["input"], dict) else None
            loc = (*loc, ctx["field"])
            message = f"unknown {ctx['field']} {given!r}; allowed: {ctx['allowed']}"
        elif err["type"] == "rule":
            at = err["ctx"]["at"]
            loc = (*loc, *at.split(".")) if at else loc
            message = err["ctx"]["message"]
        elif err["type"] == "missing":
            message = "required field is missing"
        elif message.startswith("Value error, "):
            message = message[len("Value error, "):]
        elif err["type"] == "finite_number":
            message = "must be a finite number (NaN and infinity are not allowed)"
        problems.append(Problem(source, dotted(prefix + loc), message))
    return problems


def validate(model: type[StrictModel], data: Any, prefix: tuple = (), source: str = "") -> Any:
    """``model.model_validate(data)``, raising :class:`ConfigError` with dotted paths."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ConfigError(problems_from(error, model, prefix, source)) from None


def tagged_union(models: dict[str, type[StrictModel]], field: str, default: str) -> Any:
    """A field type that is one of ``models``, chosen by the value of their ``field``
    (``default`` where it is not given); an unknown value is one error at ``field`` naming
    the allowed ones."""

    def tag(value: Any) -> str:
        got = value.get(field, default) if isinstance(value, dict) else getattr(
            value, field, default)
        return got if isinstance(got, str) else repr(got)

    union = Union[tuple(Annotated[m, Tag(name)] for name, m in models.items())]  # noqa: UP007
    return Annotated[union, Discriminator(
        tag, custom_error_type="unknown_choice", custom_error_message=f"unknown {field}",
        custom_error_context={"field": field, "allowed": ", ".join(models)})]


def patch_model(model: type[StrictModel]) -> type[StrictModel]:
    """A model with every field of ``model`` optional (constraints kept), for partial overrides."""
    fields = {}
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if info.metadata:
            annotation = Annotated[annotation, *info.metadata]
        fields[name] = (annotation | None, Field(None, description=info.description))
    return create_model(f"{model.__name__}Patch", __base__=StrictModel, **fields)
