"""Factories of the know-how library: items created through services.item_create (indexed and audited
like any other), with an optional first file; ``upload()`` makes a small file to add as a version."""

from __future__ import annotations

from typing import Any

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.knowhow import services
from ouentai.knowhow.choices import ItemKind, Visibility
from ouentai.knowhow.models import Item
from tests.accounts.factories import OrganizationFactory, UserFactory
from tests.factories import ServiceFactory


def upload(name: str = "checklist.md", content: str = "# チェックリスト\n- 在庫\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/markdown")


class ItemFactory(ServiceFactory[Item]):
    """An item of an organization, written by one of its console users (``actor``); ``file``: an upload
    for version 1 (none by default)."""

    class Meta:
        model = Item

    organization = factory.SubFactory(OrganizationFactory)
    actor = factory.SubFactory(
        UserFactory, organization=factory.SelfAttribute("..organization"), role=Role.STAFF
    )
    kind = ItemKind.CHECKLIST
    title = factory.Sequence(lambda n: f"チェックリスト{n}")
    summary = ""
    body = ""
    tags: tuple[str, ...] = ()
    visibility = Visibility.ORGANIZATION
    file = None
    note = ""

    @classmethod
    def _create(
        cls,
        model_class: type[Item],
        *args: Any,
        organization: Organization,
        actor: User,
        file: SimpleUploadedFile | None,
        note: str,
        **fields: Any,
    ) -> Item:
        fields["tags"] = tuple(fields.get("tags", ()))
        return services.item_create(
            organization=organization, data=services.ItemData(**fields), actor=actor, upload=file, note=note
        )
