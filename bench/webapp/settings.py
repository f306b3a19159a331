"""Settings of one benchmark HTTP server, from ``BENCH_SIDE`` and ``BENCH_DATABASE``."""

import json
import os

from bench.settings import server

globals().update(server(os.environ["BENCH_SIDE"], json.loads(os.environ["BENCH_DATABASE"])))
