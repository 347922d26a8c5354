"""Set up an implementing organization on a new deployment: its name, the areas it covers, whether it is
the default one, and its first organization admin.

    manage.py create_organization --slug yokohama --name "ITコーディネータ横浜" --short-name "ITC横浜" \\
        --area 14100:横浜市 --default --admin-email admin@example.jp --admin-name "横浜 太郎"

The admin's password is read from OUENTAI_ADMIN_PASSWORD, or asked for on a terminal.
"""

from __future__ import annotations

import getpass
import os
import re
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from ouentai.accounts.choices import Role
from ouentai.accounts.models import Organization, OrganizationArea, User


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
            if not (code.isdigit() and len(code) in (2, 5) and name):
                raise CommandError(f"地域の形式が正しくありません: {spec}（例 14100:横浜市）")
            areas.append((code, name))
        password = None
        if options["admin_email"]:
            password = os.environ.get("OUENTAI_ADMIN_PASSWORD") or getpass.getpass("組織管理者のパスワード: ")
            try:
                validate_password(password)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", options["slug"]):
            raise CommandError("識別名は半角英小文字・数字・ハイフンで入力してください。")
        with transaction.atomic():
            if options["default"]:
                Organization.objects.filter(is_default=True).exclude(slug=options["slug"]).update(
                    is_default=False
                )
            fields = {"name": options["name"], "short_name": options["short_name"]}
            if options["default"]:  # without --default, an organization keeps the mark it has
                fields["is_default"] = True
            org, created = Organization.objects.update_or_create(slug=options["slug"], defaults=fields)
            for code, name in areas:
                taken = OrganizationArea.objects.filter(code=code).exclude(organization=org).first()
                if taken is not None:
                    raise CommandError(f"地域 {code} はすでに {taken.organization} の担当です。")
                OrganizationArea.objects.update_or_create(
                    code=code, defaults={"organization": org, "name": name}
                )
            if options["admin_email"]:
                user, _ = User.objects.update_or_create(
                    email=options["admin_email"],
                    defaults={"name": options["admin_name"] or options["admin_email"], "organization": org,
                              "role": Role.ORG_ADMIN, "is_staff": True},
                )  # fmt: skip
                user.set_password(password)
                user.save()
        self.stdout.write(
            self.style.SUCCESS(f"{'登録' if created else '更新'}しました: {org.name}（{org.slug}）")
        )
        self.stdout.write("次に管理サイト（/admin/）で「個人情報の取扱い」の現行版を登録してください。")
