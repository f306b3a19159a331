"""Profile our side of a comparison with pyinstrument (``--profile``)."""

import time
from collections.abc import Callable

PROFILE_SECONDS = 2.0


def profile(func: Callable[[], object], seconds: float = PROFILE_SECONDS) -> str:
    """Call ``func`` repeatedly for ``seconds`` under pyinstrument; return the text report."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0001)
    deadline = time.perf_counter() + seconds
    calls = 0
    profiler.start()
    while time.perf_counter() < deadline:
        func()
        calls += 1
    profiler.stop()
    header = f"pyinstrument, {calls} calls in {seconds:g} s (times are totals over all calls)\n"
    return header + profiler.output_text(unicode=False, color=False, show_all=False)
