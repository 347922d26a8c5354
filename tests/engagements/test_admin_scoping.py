"""The admin's related-record choices stay within the org admin's organization: a diagnosis viewpoint
cannot be attached to another organization's questionnaire, nor a question to its viewpoint."""

from __future__ import annotations

import pytest

from ouentai.engagements import services
from ouentai.engagements.models import DiagnosisQuestion, Dimension

pytestmark = pytest.mark.django_db


def test_org_admin_cannot_write_into_another_organizations_questionnaire(
    client, org_admin, yokohama, kawasaki
):
    own = services.questionnaire_for(yokohama)
    other = services.questionnaire_for(kawasaki)
    client.force_login(org_admin)
    form = client.get("/admin/engagements/dimension/add/").content.decode()
    assert f'value="{own.pk}"' in form and f'value="{other.pk}"' not in form
    before = Dimension.objects.filter(questionnaire=other).count()
    response = client.post(
        "/admin/engagements/dimension/add/",
        {
            "questionnaire": other.pk,
            "name": "よその観点",
            "order": 9,
            "questions-TOTAL_FORMS": 0,
            "questions-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200  # the form refuses the choice
    assert Dimension.objects.filter(questionnaire=other).count() == before
    other_dimension = other.dimensions.first()
    assert other_dimension is not None
    question_form = client.get("/admin/engagements/diagnosisquestion/add/").content.decode()
    assert f'value="{other_dimension.pk}"' not in question_form
    client.post(
        "/admin/engagements/diagnosisquestion/add/",
        {
            "dimension": other_dimension.pk,
            "text": "よその設問",
            "weight": "1",
            "order": 0,
            "choices-TOTAL_FORMS": 0,
            "choices-INITIAL_FORMS": 0,
        },
    )
    assert not DiagnosisQuestion.objects.filter(text="よその設問").exists()


def test_support_organization_form_offers_only_own_organization(client, org_admin, yokohama, kawasaki):
    client.force_login(org_admin)
    form = client.get("/admin/network/supportorganization/add/").content.decode()
    assert kawasaki.name not in form
