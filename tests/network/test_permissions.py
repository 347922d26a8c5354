"""Who may take which step on a dispatch request, decided once in services.dispatch (issue 12): the
``dispatch_can_*`` predicates the pages show buttons by, and the same refusals from the services
whoever calls them (not only from the console view that used to hold these rules)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, User
from ouentai.community.models import Company
from ouentai.core.calendar import local_today
from ouentai.core.errors import DomainError
from ouentai.network import services
from ouentai.network.choices import DispatchStatus
from ouentai.network.models import DispatchRequest, DispatchScheme, Expert
from tests.accounts.factories import make_user
from tests.network.external import page_of
from tests.network.factories import approved_request, file_request

pytestmark = pytest.mark.django_db


def _user(expert: Expert) -> User:
    assert expert.user is not None
    return expert.user


def _code(call: object) -> str:
    with pytest.raises(DomainError) as error:
        call()  # type: ignore[operator]
    return str(error.value.code)


def test_who_may_cancel_a_request_and_until_when(
    yokohama: Organization, sme: Company, scheme: DispatchScheme, staff: User, coordinator: User, partner: User,
    expert: Expert,
) -> None:  # fmt: skip
    other_coordinator = make_user(yokohama, Role.COORDINATOR, "itc2@yokohama.example.jp")
    own = file_request(yokohama, sme, scheme, coordinator, visits=1, submit=False)
    assert services.dispatch_can_cancel(coordinator, own) and services.dispatch_can_cancel(staff, own)
    assert not services.dispatch_can_cancel(other_coordinator, own)
    assert not services.dispatch_can_cancel(partner, own)
    assert (
        _code(lambda: services.dispatch_cancel(request=own, actor=other_coordinator))
        == "dispatch.not_allowed"
    )
    assert _code(lambda: services.dispatch_cancel(request=own, actor=partner)) == "dispatch.not_allowed"
    services.dispatch_cancel(request=own, actor=coordinator, note="企業の都合")
    own.refresh_from_db()
    assert own.status == DispatchStatus.CANCELLED and not services.dispatch_can_cancel(staff, own)

    started = approved_request(yokohama, sme, scheme, staff, partner, expert, visits=1)
    services.visit_log(
        request=started, actor=_user(expert), visited_on=local_today(), starts_at=dt.time(10),
        ends_at=dt.time(11), summary="訪問",
    )  # fmt: skip
    started.refresh_from_db()
    assert not services.dispatch_can_cancel(staff, started)  # visits have begun
    assert _code(lambda: services.dispatch_cancel(request=started, actor=staff)) == "dispatch.transition"


def test_only_staff_choose_the_expert_confirm_for_the_company_and_close(
    yokohama: Organization, sme: Company, scheme: DispatchScheme, staff: User, org_admin: User, coordinator: User,
    partner: User, expert: Expert,
) -> None:  # fmt: skip
    request = file_request(yokohama, sme, scheme, coordinator, visits=1)
    assert services.dispatch_can_assign(staff, request) and services.dispatch_can_assign(org_admin, request)
    assert not services.dispatch_can_assign(coordinator, request)
    refused = _code(
        lambda: services.dispatch_assign_expert(request=request, expert=expert, actor=coordinator)
    )
    assert refused == "dispatch.not_allowed"
    services.dispatch_assign_expert(request=request, expert=expert, actor=staff)
    services.dispatch_approve(request=request, actor=partner)
    services.visit_log(
        request=request, actor=_user(expert), visited_on=local_today(), starts_at=dt.time(10),
        ends_at=dt.time(11), summary="訪問",
    )  # fmt: skip
    services.report_submit(
        request=request,
        actor=_user(expert),
        fields={"summary": "a", "advice": "b", "next_steps": "c"},
    )
    request.refresh_from_db()
    assert not services.dispatch_can_assign(staff, request)  # visits have begun
    assert services.dispatch_can_confirm(staff, request) and not services.dispatch_can_confirm(
        coordinator, request
    )
    assert _code(lambda: services.dispatch_confirm(request=request, actor=coordinator, rating=4)) == (
        "dispatch.not_company"
    )
    assert (
        _code(lambda: services.dispatch_confirm(request=request, actor=staff, rating=0)) == "dispatch.rating"
    )
    services.dispatch_confirm(request=request, actor=staff, rating=4)
    request.refresh_from_db()
    assert services.dispatch_can_close(staff, request) and not services.dispatch_can_close(
        coordinator, request
    )
    assert (
        _code(lambda: services.dispatch_close(request=request, actor=coordinator)) == "dispatch.not_allowed"
    )
    services.dispatch_close(request=request, actor=org_admin)
    assert DispatchRequest.objects.get(pk=request.pk).status == DispatchStatus.CLOSED


def test_people_outside_the_console_cannot_file_or_submit(
    yokohama: Organization, sme: Company, scheme: DispatchScheme, staff: User, partner: User, member: User,
    kawasaki_staff: User,
) -> None:  # fmt: skip
    data = services.DispatchData(scheme_id=scheme.pk, theme="it", requested_visits=1)
    for actor in (partner, member, kawasaki_staff):
        assert (
            _code(
                lambda actor=actor: services.dispatch_create(
                    organization=yokohama, company=sme, data=data, actor=actor
                )
            )
            == "dispatch.not_allowed"
        ), actor.email
    draft = file_request(yokohama, sme, scheme, staff, visits=1, submit=False)
    for actor in (partner, member, kawasaki_staff):
        assert not services.dispatch_can_submit(actor, draft) and not services.dispatch_can_edit(actor, draft)
        assert (
            _code(lambda actor=actor: services.dispatch_submit(request=draft, actor=actor))
            == "dispatch.not_allowed"
        )
    assert DispatchRequest.objects.get(pk=draft.pk).status == DispatchStatus.DRAFT


def test_the_request_page_shows_only_the_steps_the_services_allow(
    client: Client, yokohama: Organization, sme: Company, scheme: DispatchScheme, staff: User, coordinator: User,
) -> None:  # fmt: skip
    draft = file_request(yokohama, sme, scheme, staff, visits=1, submit=False)
    url = reverse("network_console:dispatch", args=[draft.pk])
    client.force_login(coordinator)  # not the one who made it, not staff
    page = page_of(client, url)
    assert 'value="submit"' in page and 'value="cancel"' not in page and "この専門家に決める" not in page
    assert client.post(url, {"action": "cancel"}).status_code == 403
    client.force_login(staff)
    page = page_of(client, url)
    assert 'value="submit"' in page and 'value="cancel"' in page
