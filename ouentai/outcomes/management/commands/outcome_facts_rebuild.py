"""Recount the program office's yearly facts from the records: every implementing organization, for the
years given (default: the running 年度 and the nine before), with progress. Safe to run at any time."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ouentai.accounts.choices import OrganizationKind
from ouentai.accounts.models import Organization
from ouentai.core.calendar import fiscal_year, local_today
from ouentai.outcomes.services.facts import outcome_facts_refresh_all


class Command(BaseCommand):
    help = "成果の集計（事業事務局が見る年度ごとの数）を記録から数え直します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, action="append", help="年度（西暦。繰り返し指定できます）")
        parser.add_argument("--organization", help="実施機関の識別名（slug）。省略するとすべて")

    def handle(self, *args: Any, **options: Any) -> None:
        current = fiscal_year(local_today())
        years = options["year"] or list(range(current - 9, current + 1))
        organizations = Organization.objects.filter(kind=OrganizationKind.IMPLEMENTING).order_by("pk")
        if options["organization"]:
            organizations = organizations.filter(slug=options["organization"])
            if not organizations.exists():
                raise CommandError(f"実施機関「{options['organization']}」が見つかりません。")
        verbose = options["verbosity"] > 0

        def progress(done: int, total: int, organization: Organization, year: int) -> None:
            if verbose:
                self.stdout.write(f"[{done}/{total}] {organization.short_name} {year}年度")

        written = outcome_facts_refresh_all(years=years, organizations=organizations, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"{written}件の集計を書き込みました。"))
