"""manage.py search_reindex [--kind KIND …]: rebuild the search entries of the registered kinds."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ouentai.core.search import index_replace_kind, registered_kinds


class Command(BaseCommand):
    help = "Rebuild the search index from the records (all registered kinds, or those named)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", action="append", default=[], help="a registered kind; repeatable")

    def handle(self, *args: Any, **options: Any) -> None:
        kinds = registered_kinds()
        names = options["kind"] or sorted(kinds)
        unknown = [name for name in names if name not in kinds]
        if unknown:
            raise CommandError(
                f"unknown kind(s): {', '.join(unknown)}; registered: {', '.join(sorted(kinds))}"
            )
        for name in names:
            began = time.perf_counter()

            def progress(count: int, name: str = name, began: float = began) -> None:
                self.stdout.write(f"  {name}: {count:,} entries ({time.perf_counter() - began:.1f} s)")

            written = index_replace_kind(kind=name, documents=kinds[name].documents(), progress=progress)
            self.stdout.write(f"{name}: {written:,} entries rebuilt in {time.perf_counter() - began:.1f} s")
