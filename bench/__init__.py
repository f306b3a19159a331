"""Performance benchmark of django-jwt-ext: ``make bench`` (``python -m bench.run``).

Not a test: it prints interleaved comparisons against PyJWT, simplejwt and
flask-jwt-extended, their spread over three repeats and PASS/MISS per
target (docs/performance.rst), and never fails on figures. ``make
bench-http`` runs the HTTP comparison (gunicorn and wrk) alone.
"""
