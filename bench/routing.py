"""Send every query to one database alias, switchable: P5 alternates between two tables."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: The alias every model reads from and writes to.
current = "default"


class Router:
    """Route every model to :data:`current`."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return current

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return current

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return True


@contextmanager
def using(alias: str) -> Iterator[None]:
    """Route every query to ``alias`` inside the block."""
    global current
    previous, current = current, alias
    try:
        yield
    finally:
        current = previous
