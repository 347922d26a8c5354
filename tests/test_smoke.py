import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_renders_in_japanese(client, yokohama):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert 'lang="ja"' in response.content.decode()
