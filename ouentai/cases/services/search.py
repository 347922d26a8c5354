"""The case library's entries in the search index follow publication: a case is indexed (from its
public projection only) while it passes the public gate, and taken out the moment it stops."""

from __future__ import annotations

from ouentai.cases.models import Case
from ouentai.cases.selectors.public import (
    CASE_SEARCH_KIND,
    public_case,
    public_case_document,
    public_case_queryset,
)
from ouentai.core.search import index_document, index_remove


def case_index_refresh(case: Case) -> None:
    """Put the case in the index if it is public now, else take it out. Call it inside the transaction
    of the step that changed its publication, so the index changes with the data."""
    public = public_case_queryset().filter(pk=case.pk).first()
    if public is None:
        index_remove(kind=CASE_SEARCH_KIND, object_id=case.pk)
        return
    document = public_case_document(public.pk, public_case(public))
    index_document(kind=CASE_SEARCH_KIND, document=document)
