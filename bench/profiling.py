"""Profile contenders with pyinstrument (``--profile``): where our time goes, call by call."""

import time

from .timing import Contender

PROFILE_SECONDS = 2.0
BATCH = 200


def profile(contender: Contender, seconds: float = PROFILE_SECONDS) -> str:
    """Profile ``contender`` for ``seconds`` of calls on fresh arguments; return the text report.

    Arguments are prepared in batches with the profiler stopped, so the
    report shows the calls only.
    """
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0001)
    calls, profiled = 0, 0.0
    with contender.setup():
        contender.call(contender.prepare())
        while profiled < seconds:
            arguments = [contender.prepare() for _ in range(BATCH)]
            start = time.perf_counter()
            profiler.start()
            for argument in arguments:
                contender.call(argument)
            profiler.stop()
            profiled += time.perf_counter() - start
            calls += BATCH
    header = (
        f"pyinstrument, {contender.name}: {calls} calls in {profiled:.1f} s,"
        f" {profiled / calls * 1e6:.1f} us per call with the profiler on (times are totals)\n"
    )
    return header + profiler.output_text(unicode=False, color=False, show_all=False)
