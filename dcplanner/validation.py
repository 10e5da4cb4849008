"""Pydantic plumbing shared by the scenario schema and the catalog.

Strict frozen models (unknown keys, NaN and infinities rejected) and the translation of
pydantic's errors into one-line :class:`~dcplanner.errors.Problem` records with dotted paths.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from dcplanner.errors import ConfigError, Problem


class StrictModel(BaseModel):
    """Frozen, rejects unknown keys and non-finite floats."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


def dotted(loc: Iterable[Any]) -> str:
    """``('deployments', 0, 'count')`` -> ``'deployments.0.count'``."""
    return ".".join(str(part) for part in loc)


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The pydantic model class found at ``loc`` inside ``model``, or None."""
    current: Any = model
    skip_key = False  # the next part is a dict key or list index, not a field
    for part in loc:
        if skip_key or isinstance(part, int):
            skip_key = False
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        skip_key = get_origin(field.annotation) is dict
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


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
        loc = tuple(err["loc"])
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            parent = _model_at(model, loc[:-1])
            allowed = ", ".join(parent.model_fields) if parent else ""
            message = "unknown field" + (f"; allowed fields: {allowed}" if allowed else "")
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


def patch_model(model: type[StrictModel]) -> type[StrictModel]:
    """A model with every field of ``model`` optional (constraints kept), for partial overrides."""
    fields = {}
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if info.metadata:
            annotation = Annotated[annotation, *info.metadata]
        fields[name] = (annotation | None, Field(None, description=info.description))
    return create_model(f"{model.__name__}Patch", __base__=StrictModel, **fields)
