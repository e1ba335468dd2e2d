"""Markdown from pydantic models: key tables with types, defaults and the fields' descriptions."""

from __future__ import annotations

import datetime as dt
import inspect
import re
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

ROOT = Path(__file__).resolve().parent.parent


def anchor(model: type[BaseModel]) -> str:
    """The Markdown anchor of a model's section (headed by its name): the name in lower case."""
    return model.__name__.lower()


def type_text(annotation: Any, link: bool = True) -> str:
    """A field's type in words a coordinator reads: ``number``, ``list of text``, ``HH:MM``."""
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is Annotated:
        if args[0] is dt.time:
            return "HH:MM"
        return type_text(args[0], link)
    if origin in (Union, types.UnionType):
        kept = [a for a in args if a is not type(None)]
        return " or ".join(type_text(a, link) for a in kept)
    if origin is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin is list:
        return f"list of {type_text(args[0], link)}"
    if origin is dict:
        return f"map of {type_text(args[0], link)} to {type_text(args[1], link)}"
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        name = annotation.__name__
        return f"[{name}](#{anchor(annotation)})" if link else name
    words = {
        str: "text",
        int: "integer",
        float: "number",
        bool: "`true` or `false`",
        dt.date: "date (YYYY-MM-DD)",
        dt.datetime: "date-time (ISO 8601: 2020-02-04T18:00)",
        dt.time: "HH:MM",
    }
    return words.get(annotation, getattr(annotation, "__name__", str(annotation)))


def default_text(field: FieldInfo, override: Any = None) -> str:
    """A field's default as it reads in a table: the value, "required", or "not set"."""
    if override is not None:
        return value_text(override)
    if field.is_required():
        return "required"
    if field.default_factory is not None:
        value = field.default_factory()  # type: ignore[call-arg]
        if isinstance(value, BaseModel):
            return "see below" if value.model_fields_set else "defaults below"
        return value_text(value) if value not in ([], {}) else "none"
    if field.default is PydanticUndefined or field.default is None:
        return "not set"
    return value_text(field.default)


def value_text(value: Any) -> str:
    """A value in YAML's spelling, in code quotes."""
    if isinstance(value, bool):
        return f"`{'true' if value else 'false'}`"
    if isinstance(value, dt.time):
        return f"`{value:%H:%M}`"
    if isinstance(value, float) and value.is_integer():
        return f"`{int(value)}`"
    if value == "":
        return "empty"
    if isinstance(value, list):
        return "`[" + ", ".join(str(v) for v in value) + "]`"
    return f"`{value}`"


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def key_name(name: str, field: FieldInfo) -> str:
    """The key as written in the file (a field's alias when it has one)."""
    return field.alias or name


def nested_models(annotation: Any) -> Iterator[type[BaseModel]]:
    """The models a field's type refers to, through lists, maps and optionals."""
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for arg in get_args(annotation):
        yield from nested_models(arg)


def walk(root: type[BaseModel]) -> list[type[BaseModel]]:
    """``root`` and every model reachable from its fields, breadth first, each once."""
    seen: list[type[BaseModel]] = [root]
    for model in seen:
        for field in model.model_fields.values():
            for nested in nested_models(field.annotation):
                if nested not in seen:
                    seen.append(nested)
    return seen


def docstring(obj: object) -> str:
    """An object's docstring with reST's double backquotes turned into Markdown code."""
    text = inspect.getdoc(obj) or ""
    return re.sub(r"``([^`]+)``", r"`\1`", text)


def model_table(
    model: type[BaseModel], defaults: dict[str, Any] | None = None, link: bool = True
) -> str:
    """A table of a model's keys: type, default (``defaults`` override the fields') and meaning."""
    defaults = defaults or {}
    rows = ["| key | type | default | meaning |", "| --- | --- | --- | --- |"]
    for name, field in model.model_fields.items():
        rows.append(
            f"| `{key_name(name, field)}` | {cell(type_text(field.annotation, link))} "
            f"| {default_text(field, defaults.get(name))} | {cell(field.description or '')} |"
        )
    return "\n".join(rows) + "\n"


def model_sections(
    root: type[BaseModel],
    level: str = "###",
    defaults: dict[type[BaseModel], dict[str, Any]] | None = None,
) -> str:
    """One section per model reachable from ``root``: its docstring and its table of keys
    (``defaults`` by model override the fields' own)."""
    parts = []
    for model in walk(root):
        parts.append(f"{level} {model.__name__}\n")
        parts.append(docstring(model) + "\n")
        parts.append(model_table(model, (defaults or {}).get(model)))
    return "\n".join(parts)


def resolve(root: type[BaseModel], path: str, expand: bool = True) -> list[tuple[str, FieldInfo]]:
    """The keys a dotted path names in the file under ``root`` (``posts[].headcount.min``; a path
    ending at a model names each of its keys, unless not ``expand``), with their fields."""
    model: type[BaseModel] = root
    field: FieldInfo | None = None
    for part in path.split("."):
        name = part.removesuffix("[]")
        fields = {key_name(n, f): f for n, f in model.model_fields.items()}
        if name not in fields:
            raise KeyError(f"{path}: no key {name!r} in {model.__name__}")
        field = fields[name]
        nested = list(nested_models(field.annotation))
        if nested:
            model = nested[0]
        elif part != path.split(".")[-1]:
            raise KeyError(f"{path}: {name!r} holds no keys")
    assert field is not None
    nested = list(nested_models(field.annotation))
    if expand and nested and get_origin(field.annotation) is not dict:
        return [(f"{path}.{key_name(n, f)}", f) for n, f in nested[0].model_fields.items()]
    return [(path, field)]
