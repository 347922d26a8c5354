"""Organizations (tenants), the areas they cover, and users with their roles."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ouentai.accounts.choices import CONSOLE_ROLES, INBOX_MANAGER_ROLES, OrganizationKind, Role
from ouentai.accounts.hosts import validate_public_host
from ouentai.core.models import TimeStampedModel


class Organization(TimeStampedModel):
    """An organization. Implementing organizations (実施機関) are the tenants: every domain record belongs
    to exactly one. Exactly one may be the deployment's default, which receives public submissions from
    outside every organization's area. An implementing organization has its own public pages under
    /o/<slug>/, and also at the root of its own host name when ``public_host`` is set."""

    name = models.CharField(_("名称"), max_length=200)
    short_name = models.CharField(_("略称"), max_length=50)
    slug = models.SlugField(_("識別名"), unique=True)
    kind = models.CharField(
        _("種別"), max_length=20, choices=OrganizationKind.choices, default=OrganizationKind.IMPLEMENTING
    )
    is_default = models.BooleanField(_("既定の受付組織"), default=False)
    reply_due_business_days = models.PositiveSmallIntegerField(
        _("返信期限（営業日）"), default=2, help_text=_("受付から何営業日以内に申込者へ連絡するか。")
    )
    notification_email = models.EmailField(
        _("通知先メールアドレス"), blank=True, help_text=_("空欄の場合は事務局スタッフ全員に通知します。")
    )
    contact_email = models.EmailField(_("公開用メールアドレス"), blank=True)
    contact_phone = models.CharField(_("公開用電話番号"), max_length=20, blank=True)
    address = models.CharField(_("所在地"), max_length=200, blank=True)
    public_host = models.CharField(
        _("公開ページのホスト名"),
        max_length=253,
        blank=True,
        validators=[validate_public_host],
        help_text=_(
            "公開ページを独自のホスト名（例：itc-kawasaki.example.jp）でも表示する場合に入力します。"
            "運用担当者が DNS と ALLOWED_HOSTS に登録してから設定してください。"
        ),
    )

    class Meta:
        verbose_name = _("組織")
        verbose_name_plural = pgettext_lazy("plural", "組織")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_org"
            ),
            models.UniqueConstraint(
                fields=["public_host"], condition=~Q(public_host=""), name="one_org_per_public_host"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrganizationArea(models.Model):
    """A part of the country an organization serves: a prefecture (2-digit JIS code) or a municipality
    (5-digit code; a designated city's code covers its wards)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="areas", verbose_name=_("組織")
    )
    code = models.CharField(_("地域コード（JIS）"), max_length=5, db_index=True)
    name = models.CharField(_("地域名"), max_length=50)

    class Meta:
        verbose_name = _("担当地域")
        verbose_name_plural = pgettext_lazy("plural", "担当地域")
        constraints = [models.UniqueConstraint(fields=["code"], name="one_org_per_area")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Belongs to one organization and has one role in it; signs in with e-mail."""

    email = models.EmailField(_("メールアドレス"), unique=True)
    name = models.CharField(_("氏名"), max_length=100)
    name_kana = models.CharField(_("氏名フリガナ"), max_length=100, blank=True)
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("組織"),
    )
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices, default=Role.STAFF)
    is_active = models.BooleanField(_("有効"), default=True)
    is_staff = models.BooleanField(
        _("管理サイトを使える"), default=False, help_text=_("Django 管理サイトへのログインを許可します。")
    )
    date_joined = models.DateTimeField(_("登録日時"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("ユーザー")
        verbose_name_plural = pgettext_lazy("plural", "ユーザー")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    # Apps whose admin pages an organization admin may use (scoped to their organization by the admin).
    ADMIN_APPS = frozenset({"accounts", "content", "community", "core", "network", "engagements"})

    def has_perm(self, perm: str, obj: models.Model | None = None) -> bool:
        if (
            self.is_active
            and self.is_staff
            and self.role == Role.ORG_ADMIN
            and perm.split(".")[0] in self.ADMIN_APPS
        ):
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        if self.is_active and self.is_staff and self.role == Role.ORG_ADMIN and app_label in self.ADMIN_APPS:
            return True
        return super().has_module_perms(app_label)

    @property
    def can_use_console(self) -> bool:
        return self.is_active and self.organization_id is not None and self.role in CONSOLE_ROLES

    @property
    def manages_inbox(self) -> bool:
        """Sees and handles every application and inquiry of the organization (not only its own)."""
        return self.can_use_console and self.role in INBOX_MANAGER_ROLES
