"""timeit-style measurement: medians of repeats, contenders interleaved."""

import gc
import itertools
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

#: Repeats per measurement (``--repeats``) and the least time one repeat takes.
REPEATS = 9
MIN_REPEAT_SECONDS = 0.2


@dataclass(frozen=True)
class Timing:
    """Median per-call cost of one contender, in seconds, and the spread of repeats."""

    median: float
    low: float
    high: float
    calls: int

    @property
    def us(self) -> float:
        return self.median * 1e6


def run(func: Callable[[], object], number: int) -> float:
    """Return the seconds one call of ``func`` takes, averaged over ``number`` calls."""
    loop = itertools.repeat(None, number)
    gc_was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()  # As timeit does: a collection would land on one contender at random.
    try:
        start = time.perf_counter()
        for _ in loop:
            func()
        elapsed = time.perf_counter() - start
    finally:
        if gc_was_enabled:
            gc.enable()
    return elapsed / number


def calls_per_repeat(func: Callable[[], object]) -> int:
    """Return how many calls make one repeat last at least ``MIN_REPEAT_SECONDS``."""
    number = 1
    while True:
        if run(func, number) * number >= MIN_REPEAT_SECONDS:
            return number
        number *= 2


def compare(contenders: dict[str, Callable[[], object]], repeats: int = 0) -> dict[str, Timing]:
    """Time each contender; repeats alternate between them so drift hits all alike."""
    repeats = repeats or REPEATS
    numbers = {}
    for name, func in contenders.items():
        for _ in range(3):  # warm up caches, connections, lazy imports
            func()
        numbers[name] = calls_per_repeat(func)
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, func in contenders.items():
            samples[name].append(run(func, numbers[name]))
    return {
        name: Timing(statistics.median(values), min(values), max(values), numbers[name])
        for name, values in samples.items()
    }


def median_of_single_calls(
    prepare: Callable[[], object], call: Callable[[object], object], count: int
) -> float:
    """Return the median seconds of ``call(prepare())``, timing ``call`` only.

    For operations that consume their input (a refresh token can be exchanged once).
    """
    durations = []
    for _ in range(count):
        argument = prepare()
        start = time.perf_counter()
        call(argument)
        durations.append(time.perf_counter() - start)
    return statistics.median(durations)
