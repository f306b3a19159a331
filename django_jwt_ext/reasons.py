"""The reason a refusal gives, in the active language.

Most messages are translated where they are raised, during the request. Two
sources cannot do that: PyJWT, whose errors carry English messages, and the
pure token functions of ``django_jwt_ext.tokens``, which import nothing
from Django. Their messages are listed here as message ids and translated
when a response is made of them (:func:`reason`). A message that is not
listed (a PyJWT release with new words) is given as it is, in English.
"""

import re

from django.utils.translation import gettext

from .i18n import gettext_noop

# Messages without a varying part: PyJWT's, then this app's pure functions'.
FIXED = frozenset(
    {
        gettext_noop("Signature verification failed"),
        gettext_noop("Signature has expired"),
        gettext_noop("Not enough segments"),
        gettext_noop("Invalid header padding"),
        gettext_noop("Invalid payload padding"),
        gettext_noop("Invalid crypto padding"),
        gettext_noop("Invalid header string: must be a json object"),
        gettext_noop("Invalid payload string: must be a json object"),
        gettext_noop("Invalid token type. Token must be a <class 'bytes'>"),
        gettext_noop("Algorithm not specified"),
        gettext_noop("Algorithm not supported"),
        gettext_noop("The specified alg value is not allowed"),
        gettext_noop("Key ID header parameter must be a string"),
        gettext_noop("Invalid 'crit' header: must be a list"),
        gettext_noop("Invalid 'crit' header: must be a non-empty list"),
        gettext_noop("Invalid 'crit' header: values must be strings"),
        gettext_noop("The 'b64' header parameter requires 'b64' to be listed in 'crit'."),
        gettext_noop(
            'It is required that you pass in a value for the "detached_payload" argument '
            "to decode a message having the b64 header set to false."
        ),
        gettext_noop("Payload segment must be empty when 'b64' is false."),
        gettext_noop("Audience doesn't match"),
        gettext_noop("Audience doesn't match (strict)"),
        gettext_noop("Invalid audience"),
        gettext_noop("Invalid audience (strict)"),
        gettext_noop("Invalid claim format in token"),
        gettext_noop("Invalid claim format in token (strict)"),
        gettext_noop("Invalid issuer"),
        gettext_noop("Payload Issuer (iss) must be a string"),
        gettext_noop("Subject must be a string"),
        gettext_noop("Invalid subject"),
        gettext_noop("JWT ID must be a string"),
        gettext_noop("Issued At claim (iat) must be an integer."),
        gettext_noop("Not Before claim (nbf) must be an integer."),
        gettext_noop("Expiration Time claim (exp) must be an integer."),
        gettext_noop("The token is not yet valid (iat)"),
        gettext_noop("The token is not yet valid (nbf)"),
        gettext_noop("Token has been revoked"),
        gettext_noop("CSRF double submit tokens do not match"),
        gettext_noop("Invalid token: it is not valid UTF-8"),
        gettext_noop("The token's algorithm cannot be used with the configured key"),
    }
)

# Messages with a varying part, whose placeholders are filled with what the
# message held there. The varying part itself (a claim name, a JSON parser's
# complaint) is not translated.
VARYING = (
    gettext_noop('Token is missing the "%(claim)s" claim'),
    gettext_noop("Missing claim: %(claim)s"),
    gettext_noop("Invalid header string: %(error)s"),
    gettext_noop("Invalid payload string: %(error)s"),
    gettext_noop("Unsupported critical extension: %(extension)s"),
    gettext_noop("Critical extension '%(extension)s' is missing from headers"),
)
# A placeholder, as re.escape() writes it.
PLACEHOLDER = re.compile(r"%\\\((\w+)\\\)s")


def pattern(message_id: str) -> re.Pattern[str]:
    """Return what a message made from ``message_id`` looks like: its text, each
    placeholder a named group."""
    return re.compile(PLACEHOLDER.sub(r"(?P<\1>.*)", re.escape(message_id)), re.DOTALL)


PATTERNS = tuple((pattern(message_id), message_id) for message_id in VARYING)


def translated(message: str) -> str:
    """Return ``message`` in the active language when it is one listed here, else as is.

    In English the result is ``message`` itself, byte for byte.
    """
    if message in FIXED:
        return gettext(message)
    for pattern, message_id in PATTERNS:
        match = pattern.fullmatch(message)
        if match is not None:
            return gettext(message_id) % match.groupdict()
    return message


def reason(error: BaseException) -> str:
    """Return the message of ``error`` in the active language: the reason the loaders get."""
    return translated(str(error))
