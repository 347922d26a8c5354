"""Running migrations back and forth in a test: ``migrate_to`` gives the historical apps at the targets;
``back_to_the_latest`` (use it as an autouse fixture) puts every app at its newest migration afterwards,
whatever the targets took back with them, so that later tests find the tables they expect."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets: list[tuple[str, str]]) -> object:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest() -> Iterator[None]:
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
