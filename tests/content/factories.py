"""Factories of the content app: privacy policies (Q&A and news are plain rows the tests write inline)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from factory.django import DjangoModelFactory

from ouentai.content.models import PrivacyPolicy


class PrivacyPolicyFactory(DjangoModelFactory[PrivacyPolicy]):
    """A version of an organization's privacy policy (pass ``organization``), current by default. A new
    current version takes the place of the one in force, as publishing a new version does: an
    organization has one current policy."""

    class Meta:
        model = PrivacyPolicy

    version = "1.0"
    effective_on = dt.date(2026, 4, 1)
    body = "方針本文"
    is_current = True

    @classmethod
    def _create(cls, model_class: type[PrivacyPolicy], *args: Any, **kwargs: Any) -> PrivacyPolicy:
        if kwargs.get("is_current"):
            model_class.objects.filter(organization=kwargs["organization"]).update(is_current=False)
        policy: PrivacyPolicy = super()._create(model_class, *args, **kwargs)
        return policy
