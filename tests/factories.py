"""The base of the factories whose records are written through a service (tests/<app>/factories.py).

Such a record keeps rules that a bare model row would skip (a company's derived SME fields and search
keys, an event's sessions, an engagement's first phase, a dispatch request's checks and audit entry), so
these factories only create: ``.create()`` calls the service; ``.build()`` is refused, since an unsaved
instance made from the fields would be a record the service never made."""

from __future__ import annotations

from typing import Any, TypeVar

import factory
from factory.errors import UnsupportedStrategy

T = TypeVar("T")


class ServiceFactory(factory.Factory[T]):
    class Meta:
        abstract = True

    @classmethod
    def _build(cls, model_class: type[T], *args: Any, **kwargs: Any) -> T:
        raise UnsupportedStrategy(f"{cls.__name__} writes through a service: use {cls.__name__}.create()")
