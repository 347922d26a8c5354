import pytest

from ouentai.outcomes.services import indicators_install


@pytest.fixture(autouse=True)
def indicators(db: None) -> None:
    """The computed indicators, as the data migration installs them (a browser test run before may
    have emptied the tables)."""
    indicators_install()
