"""Attachment recipes: stored with a mail as data, built into bytes only when it is delivered."""
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes
    disposition: str = "attachment"
    headers: dict = field(default_factory=dict)


_BUILDERS: dict[str, Callable[[dict], Attachment]] = {}


def attachment_builder(name: str):
    """Register a function that turns a recipe ({"builder": name, ...}) into an Attachment."""

    def register(function):
        _BUILDERS[name] = function
        return function

    return register


def build_attachment(recipe: dict) -> Attachment:
    return _BUILDERS[recipe["builder"]](recipe)


def describe(recipe: dict) -> str:
    """A human label for the organisers' outbox view."""
    return recipe.get("filename") or recipe["builder"]
