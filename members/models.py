"""Accounts, roles and their scopes; members, sectors and employers."""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, GistIndex, OpClass
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Collate, Lower, Upper
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import STAFF_ROLES, Role, acting_as
from regions.models import PostcodeArea


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in. Email is the login; the role decides the home page and scope."""

    email = models.EmailField(_("e-mailadres"), unique=True)
    full_name = models.CharField(_("naam"), max_length=150, blank=True)
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    regions = models.ManyToManyField(
        "regions.Region",
        blank=True,
        related_name="staff",
        verbose_name=_("regio's"),
        help_text=_("Regio's van regiobestuurders, regiocoördinatoren en trajectadviseurs."),
    )
    sectors = models.ManyToManyField(
        "members.Sector",
        blank=True,
        related_name="officials",
        verbose_name=_("sectoren"),
        help_text=_("Sectoren van sectorbestuurders."),
    )
    union_houses = models.ManyToManyField(
        "regions.UnionHouse",
        blank=True,
        related_name="consultants",
        verbose_name=_("vakbondshuizen"),
        help_text=_("Vakbondshuizen waar een consulent spreekuur houdt."),
    )
    serves_online = models.BooleanField(_("houdt online spreekuur"), default=False)
    is_active = models.BooleanField(_("actief"), default=True)
    is_staff = models.BooleanField(
        _("toegang tot beheer"), default=False, help_text=_("Mag inloggen in het Django-beheer.")
    )
    is_demo = models.BooleanField(_("demodata"), default=False)
    date_joined = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name or self.email).split(" ")[0]

    @property
    def is_staff_role(self) -> bool:
        """Staff of the union (any role but member, or admin access): 2FA is required."""
        return self.role in STAFF_ROLES or self.is_staff or self.is_superuser

    def has_role(self, *roles: str) -> bool:
        return self.is_authenticated and self.is_active and self.role in roles


class Sector(models.Model):
    """An FNV sector. No public list exists: admins maintain it (the demo list is marked)."""

    name = models.CharField(_("naam"), max_length=100, unique=True)
    is_demo = models.BooleanField(_("demodata"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectoren")

    def __str__(self) -> str:
        return self.name


# Employers that are not merged and have another name: the condition of the partial index
# employer_with_aliases (members 0013), so a query that filters on it reads only those. The
# employer search's SQL (members/employers.py) writes the same condition by hand.
# A member's postcode in the "C" collation (byte order): the admin's postcode search filters and
# orders by it, through the index member_postcode_order.
POSTCODE_IN_C = Collate("postcode", "C")

WITH_OTHER_NAMES = Q(
    GreaterThan(Func(F("aliases"), function="cardinality", output_field=models.IntegerField()), 0),
    merged_into__isnull=True,
)


class EmployerQuerySet(models.QuerySet):
    def confirmed(self) -> EmployerQuerySet:
        return self.filter(is_confirmed=True, merged_into__isnull=True)

    def other_name_contains(self, text: str) -> EmployerQuerySet:
        """Not merged employers with another name that holds `text` (any case). The names are
        joined with a line break: a text without one never matches across two names."""
        names = Func(
            F("aliases"), Value("\n"), function="array_to_string", output_field=models.TextField()
        )
        return (
            self.filter(WITH_OTHER_NAMES)
            .alias(other_names=names)
            .filter(other_names__icontains=text)
        )


kvk_validator = RegexValidator(r"^\d{8}$", _("Een KvK-nummer bestaat uit precies 8 cijfers."))


class Employer(models.Model):
    """A werkgever. Consultants may propose one; an admin confirms it or merges it into another."""

    name = models.CharField(_("naam"), max_length=200)
    kvk_number = models.CharField(
        _("KvK-nummer"), max_length=8, blank=True, default="", validators=[kvk_validator]
    )
    aliases = ArrayField(
        models.CharField(max_length=200), blank=True, default=list, verbose_name=_("andere namen")
    )
    sector = models.ForeignKey(
        Sector,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employers",
        verbose_name=_("sector"),
    )
    is_confirmed = models.BooleanField(
        _("bevestigd"),
        default=True,
        help_text=_("Door een consulent voorgesteld en nog niet bevestigd."),
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
        verbose_name=_("samengevoegd met"),
    )
    proposed_by = models.ForeignKey(
        "members.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("voorgesteld door"),
    )
    is_demo = models.BooleanField(_("demodata"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("werkgever")
        verbose_name_plural = _("werkgevers")
        constraints = [
            models.UniqueConstraint(
                fields=["kvk_number"],
                condition=~Q(kvk_number=""),
                name="employer_kvk_unique_when_known",
            )
        ]
        indexes = [
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="employer_name_trgm"),
            # The nearest names first (KNN, signals.selectors.employer_search); GIN cannot order.
            GistIndex(
                OpClass(Upper("name"), name="gist_trgm_ops"),
                condition=Q(merged_into__isnull=True),
                name="employer_name_nearest",
            ),
            # The proposed employers: the admin's home badge counts them and the review page
            # lists them oldest first, without reading the 50,000 confirmed ones.
            models.Index(
                fields=["created_at"],
                condition=Q(is_confirmed=False, merged_into__isnull=True),
                name="employer_proposed",
            ),
            # The employers with other names: the employer search matches its text against
            # them, and read all 50,000 employers to find the few with one (5.7 ms a search).
            models.Index(
                fields=["id"],
                condition=WITH_OTHER_NAMES,
                name="employer_with_aliases",
            ),
        ]

    def __str__(self) -> str:
        return self.name


MEMBER_NUMBER_RE = re.compile(r"^\d{6,10}$")
member_number_validator = RegexValidator(
    MEMBER_NUMBER_RE, _("Een lidnummer bestaat uit 6 tot 10 cijfers.")
)
POSTCODE_RE = re.compile(r"^\s*([1-9]\d{3})\s*([A-Za-z]{2})\s*$")


def normalise_postcode(value: str) -> str:
    """'1234ab' → '1234 AB'; raises ValidationError for anything that is not a Dutch postcode."""
    if not value:
        return ""
    match = POSTCODE_RE.match(value)
    if not match or match.group(2).upper() in {"SA", "SD", "SS"}:
        raise ValidationError(
            _(
                "%(value)s is geen geldige postcode; gebruik vier cijfers en twee letters, zoals 1234 AB."
            ),
            params={"value": value},
            code="postcode",
        )
    return f"{match.group(1)} {match.group(2).upper()}"


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("actief")
    SUSPENDED = "suspended", _("geschorst")
    ENDED = "ended", _("beëindigd")


class MemberQuerySet(models.QuerySet):
    def visible_to(self, user) -> MemberQuerySet:
        """The one scoping rule for members: admins see all, a member only themself.

        Consultants do not browse members; they look one up by member number
        (`lookup_by_number`) to link a session.
        """
        if not acting_as(user):
            return self.none()
        if user.role == Role.ADMIN:
            return self.all()
        if user.role == Role.MEMBER:
            return self.filter(user=user)
        return self.none()

    def lookup_by_number(self, user, member_number: str) -> Member | None:
        """One member by exact number, for staff who link a session or appointment."""
        if not acting_as(user) or user.role == Role.MEMBER:
            return None
        return self.filter(member_number=member_number.strip()).first()

    def active(self) -> MemberQuerySet:
        return self.filter(status=MemberStatus.ACTIVE)


class Member(models.Model):
    """A union member, imported from the central membership administration."""

    # Unique through Meta.constraints rather than unique=True: that would add a second
    # (LIKE) index that every import of a million rows has to maintain for nothing.
    # Collation "C": member numbers are digits, so the order is the same, and the unique
    # index compares bytes instead of going through the locale (a third faster to build).
    member_number = models.CharField(
        _("lidnummer"), max_length=10, validators=[member_number_validator], db_collation="C"
    )
    initials = models.CharField(_("voorletters"), max_length=20, blank=True)
    first_name = models.CharField(_("voornaam"), max_length=80, blank=True)
    name_prefix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=120)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    street = models.CharField(_("straat"), max_length=120, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("woonplaats"), max_length=80, blank=True)
    municipality = models.ForeignKey(
        "regions.Municipality",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gemeente"),
    )
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("regio"),
        db_index=False,  # the (region, status) index serves lookups by region
    )
    region_is_explicit = models.BooleanField(
        _("regio handmatig gekozen"),
        default=False,
        help_text=_(
            "Een handmatig gekozen regio gaat voor de regio die uit postcode of gemeente volgt."
        ),
    )
    birth_date = models.DateField(_("geboortedatum"), null=True, blank=True)
    sector = models.ForeignKey(
        Sector,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("sector"),
        db_index=False,  # the (sector, status) index serves lookups by sector
    )
    employer = models.ForeignKey(
        Employer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("werkgever"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )
    member_since = models.DateField(_("lid sinds"), null=True, blank=True)
    ended_on = models.DateField(_("lidmaatschap beëindigd op"), null=True, blank=True)
    user = models.OneToOneField(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
        verbose_name=_("account"),
    )
    is_demo = models.BooleanField(_("demodata"), default=False)
    erased_at = models.DateTimeField(
        _("gewist op"),
        null=True,
        blank=True,
        help_text=_("Persoonsgegevens gewist op verzoek; de regel blijft voor de tellingen."),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    # Set by the import (members/importing/): a hash of the file row it last wrote, valid while
    # updated_at equals import_hash_at, so a re-import can skip rows that did not change.
    import_hash = models.BigIntegerField(_("importcontrole"), null=True, editable=False)
    import_hash_at = models.DateTimeField(_("importcontrole van"), null=True, editable=False)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "member_number"]
        verbose_name = _("lid")
        verbose_name_plural = _("leden")
        constraints = [
            models.UniqueConstraint(fields=["member_number"], name="member_number_unique")
        ]
        indexes = [
            models.Index(fields=["region", "status"]),
            models.Index(fields=["sector", "status"]),
            # The admin's search at a million members (issue 16): a surname's beginning in
            # any case, a postcode's beginning (members/admin.py MemberAdmin.get_search_results).
            models.Index(
                OpClass(Upper("last_name"), name="text_pattern_ops"), name="member_surname_prefix"
            ),
            # In the "C" collation a plain B-tree serves a LIKE on the beginning and also gives
            # the rows in the list's order (postcode, number): the first 25 are read, not every
            # match (members 0014; before, a pattern index found the matches and they were
            # sorted: 6.5 ms for the 1,353 members of 3511, 3 Dec 2026).
            models.Index(POSTCODE_IN_C, F("member_number"), name="member_postcode_order"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.member_number})"

    @property
    def display_name(self) -> str:
        given = self.first_name or self.initials
        return " ".join(part for part in [given, self.name_prefix, self.last_name] if part)

    @property
    def pc4(self) -> str:
        return self.postcode[:4] if self.postcode else ""

    def clean(self) -> None:
        super().clean()
        if self.postcode:
            self.postcode = normalise_postcode(self.postcode)
        if self.status == MemberStatus.ENDED and not self.ended_on:
            self.ended_on = timezone.localdate()

    def derive_region(self) -> None:
        """Region from municipality, else from the postcode; an explicit region wins."""
        if self.region_is_explicit:
            return
        if self.municipality_id:
            self.region_id = self.municipality.region_id
            return
        area = PostcodeArea.objects.filter(pc4=self.pc4).select_related("municipality").first()
        if area:
            self.municipality_id = area.municipality_id
            self.region_id = area.municipality.region_id


# --- The member import ---------------------------------------------------------------------


class ImportMode(models.TextChoices):
    STRICT = "strict", _("alles of niets")
    VALID_ROWS = "valid-rows", _("alleen de goede rijen")
    SNAPSHOT = "snapshot", _("volledige stand (ontbrekende leden beëindigen)")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("geüpload")
    VALIDATING = "validating", _("bezig met controleren")
    PREVIEWED = "previewed", _("gecontroleerd, wacht op bevestiging")
    QUEUED = "queued", _("bevestigd, wacht op verwerking")
    APPLYING = "applying", _("bezig met verwerken")
    DONE = "done", _("klaar")
    REFUSED = "refused", _("niets verwerkt")
    FAILED = "failed", _("mislukt")
    CANCELLED = "cancelled", _("geannuleerd")
    ABANDONED = "abandoned", _("verlaten")
    # The check or apply stopped without a word (its worker died): the admin retries or cancels.
    INTERRUPTED = "interrupted", _("onderbroken")


FINISHED_IMPORT_STATUSES = frozenset(
    {
        ImportStatus.DONE,
        ImportStatus.REFUSED,
        ImportStatus.FAILED,
        ImportStatus.CANCELLED,
        ImportStatus.ABANDONED,
    }
)


class MemberImportQuerySet(models.QuerySet):
    def visible_to(self, user) -> MemberImportQuerySet:
        if acting_as(user, Role.ADMIN):
            return self.all()
        return self.none()

    def unfinished(self) -> MemberImportQuerySet:
        return self.exclude(status__in=FINISHED_IMPORT_STATUSES)


class MemberImport(models.Model):
    """One import of a member file: who, when, which file (hash), mode, progress and counts."""

    created_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("door"),
    )
    created_at = models.DateTimeField(_("gestart op"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    source = models.CharField(_("bron"), max_length=20, default="portal")
    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    file_path = models.CharField(_("tijdelijk bestand"), max_length=500, blank=True)
    # The upload in the file store every machine reaches (default_storage); file_path is then
    # this machine's local working copy, made by the worker that checks it.
    stored_name = models.CharField(
        _("opgeslagen bestand"), max_length=255, blank=True, default="", db_default=""
    )
    file_size = models.BigIntegerField(_("grootte (bytes)"), default=0)
    file_sha256 = models.CharField(_("SHA-256 van het bestand"), max_length=64, blank=True)
    file_format = models.CharField(_("formaat"), max_length=40, blank=True)
    mode = models.CharField(
        _("manier"), max_length=12, choices=ImportMode.choices, default=ImportMode.STRICT
    )
    dry_run = models.BooleanField(_("proefdraai"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    columns = ArrayField(
        models.CharField(max_length=40), blank=True, default=list, verbose_name=_("kolommen")
    )
    message = models.TextField(_("melding"), blank=True)
    cancel_requested = models.BooleanField(_("annuleren gevraagd"), default=False)
    # Set when a check or apply starts and at every progress step; a check or apply whose
    # heartbeat is old and whose lock is free died with its worker (members.services).
    heartbeat_at = models.DateTimeField(_("laatste teken van leven"), null=True, blank=True)
    interrupted_during = models.CharField(
        _("onderbroken tijdens"), max_length=12, choices=ImportStatus.choices, blank=True
    )
    bytes_done = models.BigIntegerField(default=0)
    rows_total = models.IntegerField(_("rijen"), default=0)
    rows_valid = models.IntegerField(_("goede rijen"), default=0)
    rejected = models.IntegerField(_("afgewezen"), default=0)
    skipped_erased = models.IntegerField(_("overgeslagen (gewiste leden)"), default=0)
    to_create = models.IntegerField(_("nieuw (voorvertoning)"), default=0)
    to_update = models.IntegerField(_("gewijzigd (voorvertoning)"), default=0)
    to_end = models.IntegerField(_("te beëindigen (voorvertoning)"), default=0)
    created = models.IntegerField(_("nieuw"), default=0)
    updated = models.IntegerField(_("gewijzigd"), default=0)
    unchanged = models.IntegerField(_("ongewijzigd"), default=0)
    ended = models.IntegerField(_("beëindigd"), default=0)
    employers_created = models.IntegerField(_("nieuwe werkgevers"), default=0)

    objects = MemberImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ledenimport")
        verbose_name_plural = _("ledenimports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%d-%m-%Y %H:%M})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_IMPORT_STATUSES

    @property
    def progress_percent(self) -> int:
        if self.status in FINISHED_IMPORT_STATUSES or self.status == ImportStatus.PREVIEWED:
            return 100
        if not self.file_size:
            return 0
        return min(99, int(100 * self.bytes_done / self.file_size))

    @property
    def unchanged_preview(self) -> int:
        return max(0, self.rows_valid - self.to_create - self.to_update)


class MemberImportError(models.Model):
    """A rejected row (or a file-level problem, line 0) of an import, with a Dutch reason."""

    member_import = models.ForeignKey(
        MemberImport, on_delete=models.CASCADE, related_name="errors", verbose_name=_("import")
    )
    line = models.IntegerField(_("regel"))
    column = models.CharField(_("kolom"), max_length=40, blank=True)
    message = models.CharField(_("reden"), max_length=300)

    class Meta:
        ordering = ["line", "id"]
        verbose_name = _("afgewezen rij")
        verbose_name_plural = _("afgewezen rijen")

    def __str__(self) -> str:
        return f"{self.line}: {self.message}"


class ErasedMember(models.Model):
    """A member erased on request, kept only as a keyed one-way hash of the member number, so
    that a later import cannot silently bring them back (the import reports such rows)."""

    number_hash = models.CharField(max_length=64, unique=True)
    erased_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gewist lid")
        verbose_name_plural = _("gewiste leden")

    def __str__(self) -> str:
        return self.number_hash[:12]

    @staticmethod
    def hash_number(member_number: str) -> str:
        """Keyed with FNV_ERASURE_KEY (development: SECRET_KEY); it never changes, or earlier
        erasures are no longer recognised."""
        key = (settings.FNV_ERASURE_KEY or settings.SECRET_KEY).encode()
        return hmac.new(key, member_number.strip().encode(), hashlib.sha256).hexdigest()

    @classmethod
    def is_erased(cls, member_number: str) -> bool:
        return cls.objects.filter(number_hash=cls.hash_number(member_number)).exists()


class CorrectionRequest(models.Model):
    """A member asks for a correction of their data; admins handle it."""

    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        related_name="correction_requests",
        verbose_name=_("lid"),
    )
    text = models.TextField(_("wat moet er anders"), max_length=2000)
    created_at = models.DateTimeField(_("ingediend op"), auto_now_add=True)
    handled_at = models.DateTimeField(_("afgehandeld op"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("correctieverzoek")
        verbose_name_plural = _("correctieverzoeken")

    def __str__(self) -> str:
        return f"{self.member.member_number} {self.created_at:%d-%m-%Y}"
