"""What every console page of one engagement shares: finding the engagement of the URL."""

from __future__ import annotations

from django.http import Http404

from ouentai.accounts.permissions import ConsoleMixin
from ouentai.engagements import selectors
from ouentai.engagements.models import Engagement


class EngagementConsoleMixin(ConsoleMixin):
    """Finds the engagement of the URL among the organization's engagements (404 otherwise); any
    console role may work on it."""

    def get_engagement(self, pk: int) -> Engagement:
        engagement = selectors.engagement_get(organization=self.organization, pk=pk)
        if engagement is None:
            raise Http404
        return engagement
