"""Managers the benchmark names in ``JWT_MANAGER`` for some comparisons."""

from django_jwt_ext import JWTManager

#: A project's own blocklist callback (flask-jwt-extended's default answers
#: ``False`` too): the built-in store is not asked, the user is looked up alone.
custom_blocklist = JWTManager()


@custom_blocklist.token_in_blocklist_loader
def never_revoked(jwt_header, jwt_data):
    """Answer ``False``: no token is revoked."""
    return False
