"""Customers (end-customer legal entities), their names, links, attribution, contacts and
consents (SPEC §3)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huoban.scoping import ScopedQuerySet


class CustomerQuerySet(models.QuerySet["Customer"]):
    """The one place customers are scoped to a caller (R-VIS-1, R-VIS-4)."""

    def visible_to(self, user: Any) -> CustomerQuerySet:
        """Staff see every customer; a partner user sees only the customers its partner owns
        (R-VIS-1: a duplicate lead never opens the owner's record to the later partner, R-VIS-4);
        anyone else sees none."""
        if user is None or not getattr(user, "is_active", False):
            return self.none()
        if getattr(user, "is_staff_user", False):
            return self.all()
        partner_id = getattr(user, "partner_id", None)
        if not getattr(user, "is_partner_user", False) or partner_id is None:
            return self.none()
        return self.filter(attribution__partner_id=partner_id)


class Customer(models.Model):
    """An end customer (客户): one legal entity, identified by USCC or normalised name."""

    legal_name = models.CharField(_("法定名称"), max_length=200)
    # The normalised legal name (R-ATT-2) is unique: two submissions that normalise alike are the
    # same customer, and the unique index makes concurrent first submissions create one row.
    normalized_name = models.CharField(_("规范化名称"), max_length=200, unique=True)
    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, null=True, blank=True, unique=True
    )
    region = models.CharField(_("地区"), max_length=100, blank=True)
    industry = models.CharField(_("行业"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("创建时间"))

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("客户")
        verbose_name_plural = _("客户")

    def __str__(self) -> str:
        return self.legal_name


class NameKind(models.TextChoices):
    LEGAL = "legal", _("法定名称")
    ALIAS = "alias", _("简称")
    FORMER = "former", _("曾用名")


class CustomerNameQuerySet(ScopedQuerySet["CustomerName"]):
    """Whose rows: the partner at 'customer__attribution__partner' (R-VIS-1)."""

    partner_path = "customer__attribution__partner"


class CustomerName(models.Model):
    """Every name a customer is known by; the matching index is built over these rows."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("客户"), on_delete=models.CASCADE, related_name="names"
    )
    name = models.CharField(_("名称"), max_length=200)
    normalized = models.CharField(_("规范化名称"), max_length=200, db_index=True)
    # First two characters of the normalised name: the indexed key for names too short for
    # trigrams (e.g. 茅台 → 茅台酒…).
    head2 = models.CharField(max_length=2, db_index=True)
    kind = models.CharField(_("类型"), max_length=8, choices=NameKind.choices)

    objects = CustomerNameQuerySet.as_manager()

    class Meta:
        verbose_name = _("客户名称")
        verbose_name_plural = _("客户名称")
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "normalized"],
                name="%(app_label)s_%(class)s_unique_per_customer",
            )
        ]

    def __str__(self) -> str:
        return self.name


class MatchDecisionQuerySet(ScopedQuerySet["MatchDecision"]):
    """Whose rows: the partner at 'customer__attribution__partner' (R-VIS-1)."""

    partner_path = "customer__attribution__partner"


class MatchDecision(models.Model):
    """An officer's answer to a possible match (R-ATT-2, issue #13): whether the name as
    submitted (its normalised key) is this customer. A "different" pair is never asked again;
    a "same" pair also becomes an alias of the customer."""

    submitted = models.CharField(_("报备名称（规范化）"), max_length=200)
    customer = models.ForeignKey(
        Customer, verbose_name=_("客户"), on_delete=models.CASCADE, related_name="+"
    )
    same = models.BooleanField(_("是同一客户"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"))

    objects = MatchDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("客户匹配决定")
        verbose_name_plural = _("客户匹配决定")
        constraints = [
            models.UniqueConstraint(
                fields=["submitted", "customer"], name="%(app_label)s_%(class)s_unique_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submitted} → {self.customer_id}: {'same' if self.same else 'different'}"


class LinkKind(models.TextChoices):
    PARENT = "parent", _("母公司")
    SUBSIDIARY = "subsidiary", _("子公司")
    RENAMED_FROM = "renamed_from", _("更名前主体")
    AFFILIATE = "affiliate", _("关联公司")


class CustomerLinkQuerySet(ScopedQuerySet["CustomerLink"]):
    """Whose rows: the partner at 'customer__attribution__partner' (R-VIS-1)."""

    partner_path = "customer__attribution__partner"


class CustomerLink(models.Model):
    """A related-entity link (R-ATT-1, R-ATT-6): `related` is the `kind` of `customer`."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("客户"), on_delete=models.CASCADE, related_name="links"
    )
    related = models.ForeignKey(
        Customer, verbose_name=_("关联客户"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("关系"), max_length=16, choices=LinkKind.choices)
    created_at = models.DateTimeField(_("创建时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = CustomerLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("关联主体")
        verbose_name_plural = _("关联主体")
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "related"], name="%(app_label)s_%(class)s_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(customer=models.F("related")), name="%(app_label)s_%(class)s_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} — {self.get_kind_display()} — {self.related}"


class AttributionSource(models.TextChoices):
    LEAD = "lead", _("首个有效线索")
    RELATED = "related", _("关联主体继承")
    TRANSFER = "transfer", _("管理员转移")
    IMPORT = "import", _("导入的既有归属")


class AttributionQuerySet(ScopedQuerySet["Attribution"]):
    """Whose rows: the partner at 'partner' (R-VIS-1)."""

    partner_path = "partner"


class Attribution(models.Model):
    """Permanent attribution (永久归属, R-ATT-4): the customer's one owning partner.

    One row per customer (unique), never deleted (a database trigger refuses DELETE), never
    expiring. Only an admin transfer changes `partner`, recorded in AttributionTransfer.
    """

    customer = models.OneToOneField(
        Customer, verbose_name=_("客户"), on_delete=models.PROTECT, related_name="attribution"
    )
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("伙伴"),
        on_delete=models.PROTECT,
        related_name="attributions",
    )
    since = models.DateTimeField(_("归属时间"))
    source = models.CharField(_("来源"), max_length=16, choices=AttributionSource.choices)
    lead = models.ForeignKey(
        "leads.Lead",
        verbose_name=_("线索"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    via = models.ForeignKey(
        Customer,
        verbose_name=_("继承自"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = AttributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("客户归属")
        verbose_name_plural = _("客户归属")

    def __str__(self) -> str:
        return f"{self.customer} → {self.partner}"


class AttributionTransferQuerySet(ScopedQuerySet["AttributionTransfer"]):
    """Whose rows: staff only (R-VIS-1)."""

    partner_path = None


class AttributionTransfer(models.Model):
    """An admin's transfer of an attribution, with the written reason (R-ATT-4)."""

    attribution = models.ForeignKey(
        Attribution, verbose_name=_("归属"), on_delete=models.PROTECT, related_name="transfers"
    )
    from_partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("原伙伴"), on_delete=models.PROTECT, related_name="+"
    )
    to_partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("新伙伴"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("原因"))
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = AttributionTransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("归属转移")
        verbose_name_plural = _("归属转移")

    def __str__(self) -> str:
        return f"{self.attribution.customer}: {self.from_partner} → {self.to_partner}"


class ContactQuerySet(ScopedQuerySet["Contact"]):
    """Whose rows: the partner at 'customer__attribution__partner' (R-VIS-1)."""

    partner_path = "customer__attribution__partner"


class Contact(models.Model):
    """A person at a customer. Phone, e-mail and WeChat are masked for staff (R-VIS-3)."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("客户"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("姓名"), max_length=100)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)
    email = models.CharField(_("邮箱"), max_length=254, blank=True)
    wechat = models.CharField(_("微信"), max_length=64, blank=True)
    is_decision_maker = models.BooleanField(_("是否决策人"), default=False)
    created_at = models.DateTimeField(_("创建时间"))

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("客户联系人")
        verbose_name_plural = _("客户联系人")

    def __str__(self) -> str:
        return f"{self.name} ({self.customer})"


def consent_storage() -> Any:
    """Written consents are stored under the data dir (MEDIA_ROOT), readable by the owner only."""
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(file_permissions_mode=0o600, directory_permissions_mode=0o700)


class ContactConsentQuerySet(ScopedQuerySet["ContactConsent"]):
    """Whose rows: the partner at 'partner' (R-VIS-1)."""

    partner_path = "partner"


class ContactConsent(models.Model):
    """Written consent (书面同意, R-ATT-7) for a staff user or role to see a customer's contacts."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("客户"), on_delete=models.CASCADE, related_name="consents"
    )
    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("伙伴"), on_delete=models.PROTECT, related_name="+"
    )
    grantee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("授权员工"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contact_consents",
    )
    grantee_role = models.CharField(_("授权角色"), max_length=16, blank=True)
    expires_at = models.DateTimeField(_("到期时间"))
    granted_at = models.DateTimeField(_("授权时间"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("授权人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    document = models.FileField(
        _("书面同意文件"), upload_to="consents/%Y/", blank=True, storage=consent_storage
    )
    document_sha256 = models.CharField(_("文件 SHA-256"), max_length=64, blank=True)
    # A staff grant to oneself or to a whole role takes effect only once a second, different
    # officer or admin approves it (R-ATT-7); every other grant is approved when granted.
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ContactConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("联系人授权")
        verbose_name_plural = _("联系人授权")
        constraints = [
            models.CheckConstraint(
                condition=(Q(grantee_user__isnull=False) & Q(grantee_role=""))
                | (Q(grantee_user__isnull=True) & ~Q(grantee_role="")),
                name="%(app_label)s_%(class)s_one_grantee",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("granted_by")),
                name="%(app_label)s_%(class)s_second_person",
            ),
        ]
        indexes = [models.Index(fields=["customer", "expires_at"], name="consent_customer_idx")]

    def __str__(self) -> str:
        who = self.grantee_user or self.grantee_role
        return f"{self.customer} → {who} (至 {self.expires_at:%Y-%m-%d})"


class ReferralAnswer(models.TextChoices):
    YES = "yes", _("有引荐伙伴")
    NO = "no", _("无引荐伙伴")


class InboundContactQuerySet(ScopedQuerySet["InboundContact"]):
    """Whose rows: staff only (R-VIS-1)."""

    partner_path = None


class InboundContact(models.Model):
    """A customer who contacted the company directly (主动寻访, R-ATT-5)."""

    customer = models.ForeignKey(
        Customer,
        verbose_name=_("客户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inbound_contacts",
    )
    name_given = models.CharField(_("客户自报名称"), max_length=200)
    uscc_given = models.CharField(_("自报信用代码"), max_length=18, blank=True)
    at = models.DateTimeField(_("时间"), db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    routed_to = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("回流伙伴"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="routed_inbound",
    )
    # 首问必确认: for a customer with no owner, staff must record the customer's answer.
    referral_answer = models.CharField(
        _("是否有引荐伙伴"), max_length=8, choices=ReferralAnswer.choices, blank=True
    )
    referring_partner_name = models.CharField(_("客户提及的伙伴"), max_length=200, blank=True)
    note = models.TextField(_("备注"), blank=True)

    objects = InboundContactQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("主动来访")
        verbose_name_plural = _("主动来访")
        constraints = [
            models.CheckConstraint(
                condition=Q(routed_to__isnull=False) | ~Q(referral_answer=""),
                name="%(app_label)s_%(class)s_routed_or_answered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.name_given}"
