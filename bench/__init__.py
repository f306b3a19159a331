"""Performance benchmark of django-jwt-ext: ``make bench`` (``python -m bench.run``).

Not a test: it prints median per-call costs and the ratios of
``docs/performance.rst`` against other libraries measured in the same
process, and never fails.
"""
