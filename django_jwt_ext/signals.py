"""Signals sent by this app."""

from django.dispatch import Signal

#: Sent after a token, a refresh-token family or every token of an identity is
#: revoked. Keyword arguments: ``jti`` (``None`` for logout everywhere),
#: ``token_type`` (``"access"``, ``"refresh"`` or ``None``), ``identity`` and
#: ``reason``. The sender is the revocation backend class.
token_revoked = Signal()
