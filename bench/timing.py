"""Interleaved comparisons: contenders take turns, block by block, round after round.

A comparison runs ``REPEATS`` times. One repeat is ``ROUNDS`` rounds; in
each round every contender runs one block of calls, in an order that
reverses from one round to the next (A B C, C B A, ...), so that a busy
moment of the machine, or a slow drift, falls on all of them alike. A
contender's figure in a repeat is the median over the rounds of its
per-call cost; a ratio is taken within each repeat, and the report gives
the median of the repeats' ratios with their spread (lowest to highest).

The garbage collector stays on. Each call gets a fresh argument (a new
request object, as Django builds one per request), prepared before the
block's timer starts. Each block under a contender's settings starts with
one untimed call: switching settings between blocks is an artefact of
comparing several configurations in one process, and a server under one
configuration has always served a first request.
"""

import statistics
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

#: Repeats of each comparison, rounds per repeat, and the time one block lasts.
REPEATS = 3
ROUNDS = 30
BLOCK_SECONDS = 0.02
MAX_CALLS = 5000


def no_argument() -> None:
    return None


@dataclass(frozen=True)
class Contender:
    """One side of a comparison.

    ``call(argument)`` is timed; ``prepare()`` makes one fresh argument
    (untimed); ``setup()`` is the context the block runs in (settings, the
    database alias); ``around(argument)``, when given, is an untimed context
    around each call (a Flask request context), and then every contender of
    the comparison is timed call by call.
    """

    name: str
    call: Callable[[Any], object]
    prepare: Callable[[], Any] = no_argument
    setup: Callable[[], AbstractContextManager] = nullcontext
    around: Callable[[Any], AbstractContextManager] | None = None


@dataclass(frozen=True)
class Spread:
    """The median of a figure over the repeats, and its lowest and highest value."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: list[float]) -> "Spread":
        return cls(statistics.median(values), min(values), max(values))

    def scaled(self, factor: float) -> "Spread":
        return Spread(self.median * factor, self.low * factor, self.high * factor)


@dataclass
class Comparison:
    """Per-call seconds of each contender: one median per repeat."""

    calls_per_block: dict[str, int]
    per_repeat: dict[str, list[float]] = field(default_factory=dict)

    def seconds(self, name: str) -> Spread:
        return Spread.of(self.per_repeat[name])

    def ratio(self, name: str, reference: str) -> Spread:
        """Return ``name`` / ``reference``, taken within each repeat."""
        return Spread.of(
            [
                ours / theirs
                for ours, theirs in zip(
                    self.per_repeat[name], self.per_repeat[reference], strict=True
                )
            ]
        )


def block(contender: Contender, number: int, each: bool) -> float:
    """Run one block of ``number`` fresh calls; return the seconds per call."""
    with contender.setup():
        first = contender.prepare()
        with contender.around(first) if contender.around else nullcontext():
            contender.call(first)  # untimed: the first request under these settings
        arguments = [contender.prepare() for _ in range(number)]
        call = contender.call
        if not each:
            start = time.perf_counter()
            for argument in arguments:
                call(argument)
            return (time.perf_counter() - start) / number
        around = contender.around or (lambda argument: nullcontext())
        total = 0.0
        for argument in arguments:
            with around(argument):
                start = time.perf_counter()
                call(argument)
                total += time.perf_counter() - start
        return total / number


def calibrate(contender: Contender, each: bool, block_seconds: float) -> int:
    """Return how many calls make a block of ``contender`` last about ``block_seconds``."""
    seconds = min(block(contender, 5, each) for _ in range(3))
    return max(3, min(MAX_CALLS, round(block_seconds / seconds)))


def compare(
    contenders: list[Contender],
    rounds: int = 0,
    repeats: int = 0,
    block_seconds: float = 0.0,
) -> Comparison:
    """Time ``contenders`` interleaved; see the module's docstring."""
    rounds, repeats = rounds or ROUNDS, repeats or REPEATS
    block_seconds = block_seconds or BLOCK_SECONDS
    each = any(contender.around for contender in contenders)
    numbers = {c.name: calibrate(c, each, block_seconds) for c in contenders}
    comparison = Comparison(numbers, {c.name: [] for c in contenders})
    for _ in range(repeats):
        samples: dict[str, list[float]] = {c.name: [] for c in contenders}
        for round_number in range(rounds):
            order = contenders if round_number % 2 == 0 else contenders[::-1]
            for contender in order:
                samples[contender.name].append(block(contender, numbers[contender.name], each))
        for name, values in samples.items():
            comparison.per_repeat[name].append(statistics.median(values))
    return comparison
