"""Signals sent by this app."""

from django.dispatch import Signal

#: Sent after a token, a refresh-token family or every token of an identity is
#: revoked. Keyword arguments: ``jti`` (``None`` for logout everywhere; for a
#: family, the replayed token's), ``token_type`` (``"access"``, ``"refresh"``
#: or ``None``), ``identity``, ``reason`` and ``family`` (the family's UUID
#: when a whole refresh-token family is revoked, else ``None``). The sender is
#: the revocation backend class.
token_revoked = Signal()
