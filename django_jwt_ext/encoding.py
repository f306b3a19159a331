"""How claims values that JSON cannot hold are written into tokens."""

import calendar
import dataclasses
import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.http import http_date


class ClaimsJSONEncoder(DjangoJSONEncoder):
    """Write claims values as flask-jwt-extended writes them, so tokens match across both.

    Dates and datetimes become HTTP dates (``"Fri, 12 Aug 2022 00:00:00 GMT"``,
    naive datetimes read as UTC), dataclasses their fields, objects with
    ``__html__`` that markup, as Flask's encoder does; everything else as
    Django's (``Decimal``, ``UUID``, ``timedelta``, lazy translations...).
    """

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.date):
            return http_date(epoch_seconds(o))
        if dataclasses.is_dataclass(o) and not isinstance(o, type):
            return dataclasses.asdict(o)
        if hasattr(o, "__html__"):
            return str(o.__html__())
        return super().default(o)


def epoch_seconds(moment: datetime.date) -> int:
    """Return a date (midnight UTC) or a datetime (naive means UTC) as a Unix time."""
    if not isinstance(moment, datetime.datetime):
        return calendar.timegm(moment.timetuple())
    return calendar.timegm(moment.utctimetuple())
