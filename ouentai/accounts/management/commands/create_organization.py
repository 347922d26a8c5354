"""Set up an implementing organization on a new deployment: its name, the areas it covers, whether it is
the default one, and its first organization admin.

    manage.py create_organization --slug yokohama --name "ITコーディネータ横浜" --short-name "ITC横浜" \\
        --area 14100:横浜市 --default --admin-email admin@example.jp --admin-name "横浜 太郎"

The admin's password is read from OUENTAI_ADMIN_PASSWORD, or asked for on a terminal.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ouentai.accounts.services import AdminData, OrganizationData, organization_setup
from ouentai.core.errors import DomainError


class Command(BaseCommand):
    help = "実施機関（組織）と担当地域、最初の組織管理者を登録します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--slug", required=True, help="URL などで使う識別名（英数字）")
        parser.add_argument("--name", required=True, help="正式名称")
        parser.add_argument("--short-name", required=True, help="略称")
        parser.add_argument(
            "--area",
            action="append",
            default=[],
            help="担当地域 CODE:名称（例 14100:横浜市、14:神奈川県）。複数可",
        )
        parser.add_argument(
            "--default", action="store_true", help="地域外からの申込を受け付ける既定の組織にする"
        )
        parser.add_argument("--admin-email", help="組織管理者のメールアドレス")
        parser.add_argument("--admin-name", default="", help="組織管理者の氏名")

    def handle(self, *args: Any, **options: Any) -> None:
        areas = []
        for spec in options["area"]:
            code, _sep, name = spec.partition(":")
            areas.append((code, name))
        admin = None
        if options["admin_email"]:
            password = os.environ.get("OUENTAI_ADMIN_PASSWORD") or getpass.getpass("組織管理者のパスワード: ")
            admin = AdminData(email=options["admin_email"], name=options["admin_name"], password=password)
        data = OrganizationData(
            slug=options["slug"],
            name=options["name"],
            short_name=options["short_name"],
            areas=areas,
            make_default=options["default"],
            admin=admin,
        )
        try:
            organization, created = organization_setup(data=data)
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{'登録' if created else '更新'}しました: {organization.name}（{organization.slug}）"
            )
        )
        self.stdout.write("次に管理サイト（/admin/）で「個人情報の取扱い」の現行版を登録してください。")
