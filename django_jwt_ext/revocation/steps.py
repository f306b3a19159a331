"""Run a backend's logic written once, synchronously or on the event loop.

A backend method written as a generator yields the cache operations it
needs, ``("get_many", (keys,))``, and the ``("signal", kwargs)`` it sends;
:func:`run` performs them with the cache's sync API, :func:`arun` with its
async API. The two drivers differ only by ``await``, so the logic cannot
drift between the sync and async twins.
"""

from collections.abc import Generator
from typing import Any, TypeVar

from asgiref.sync import sync_to_async
from django.core.cache import BaseCache
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache

from ..signals import token_revoked

T = TypeVar("T")
Operation = tuple[str, tuple[Any, ...]]
Steps = Generator[Operation, Any, T]

# Caches that live in the process: their sync calls do no I/O, so the async
# driver calls them directly instead of paying a thread hop per call.
IN_PROCESS_CACHES = (LocMemCache, DummyCache)


def run(steps: Steps[T], cache: BaseCache, sender: type) -> T:
    """Drive ``steps`` with the cache's synchronous API; return their result."""
    try:
        name, args = next(steps)
        while True:
            if name == "signal":
                result: Any = token_revoked.send(sender=sender, **args[0])
            else:
                result = getattr(cache, name)(*args)
            name, args = steps.send(result)
    except StopIteration as done:
        return done.value


async def arun(steps: Steps[T], cache: BaseCache, sender: type) -> T:
    """Drive ``steps`` with the cache's async API; return their result."""
    in_process = isinstance(cache, IN_PROCESS_CACHES)
    try:
        name, args = next(steps)
        while True:
            if name == "signal":
                result: Any = await send_signal(sender, args[0])
            elif in_process:
                result = getattr(cache, name)(*args)
            else:
                result = await getattr(cache, "a" + name)(*args)
            name, args = steps.send(result)
    except StopIteration as done:
        return done.value


async def send_signal(sender: type, kwargs: dict[str, Any]) -> Any:
    asend = getattr(token_revoked, "asend", None)  # Django 5.0+
    if asend is not None:
        return await asend(sender=sender, **kwargs)
    return await sync_to_async(token_revoked.send)(sender=sender, **kwargs)
