"""The two Django sites ``make bench-http`` serves with gunicorn: one per library.

The same DRF view, database, user and middleware; only the authentication
differs. ``BENCH_SIDE`` (``ours`` or ``simplejwt``) and ``BENCH_DATABASE``
(the ``default`` DATABASES entry, as JSON) choose the site.
"""
