"""Staff accounts from a file: check every row, plan the changes, apply them with the audit trail.

Roles: consulent, trajectadviseur, regiobestuurder, regiocoördinator, sectorbestuurder,
juridisch medewerker. Columns (docs/setting-up-a-region.md): e-mailadres, naam, rol (required); regio's, sectoren,
vakbondshuizen (several separated by commas), online (ja/nee). A column absent from the file
leaves that part of an existing account as it is; an empty cell clears it.

Only the staff roles below come from a file: never an admin (made by hand, with admin access)
and never a member (members activate their own account). An address that belongs to an admin
or a member account is a bad row. A new account has no password: it gets an invitation mail
to choose one and set up its second factor (members/enrolment.py). Nothing is ever deleted:
with `deactivate_missing`, active accounts of the file's roles whose working area overlaps the
file's (a region, union house or sector in the file) and that are not in the file are
deactivated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from audit.models import AuditAction
from audit.services import audit_log
from core.roles import Role
from members import enrolment
from members.models import Sector, User
from members.setup_import.table import (
    RowError,
    SetupColumn,
    SetupTable,
    plain,
    read_setup_file,
    split_list,
    text_error,
    yes_no,
)
from regions.models import Region, UnionHouse

WHAT = "medewerkersbestand"
COLUMNS = [
    SetupColumn("e-mailadres", "email", required=True, aliases=("e-mail", "email", "mail")),
    SetupColumn("naam", "full_name", required=True, aliases=("volledige naam", "name")),
    SetupColumn("rol", "role", required=True, aliases=("functie",)),
    SetupColumn("regio's", "regions", aliases=("regio", "regios", "arbeidsmarktregio's")),
    SetupColumn("sectoren", "sectors", aliases=("sector",)),
    SetupColumn("vakbondshuizen", "union_houses", aliases=("vakbondshuis", "huizen")),
    SetupColumn("online", "serves_online", aliases=("online spreekuur", "houdt online spreekuur")),
]
HEADER = {column.key: column.header for column in COLUMNS}

IMPORTABLE_ROLES = [
    Role.CONSULTANT,
    Role.ADVISER,
    Role.REGIONAL_OFFICIAL,
    Role.COORDINATOR,
    Role.SECTOR_OFFICIAL,
    Role.LEGAL,  # national: no area, so never counted as missing from a file
]
NEEDS_REGION = {Role.ADVISER, Role.REGIONAL_OFFICIAL, Role.COORDINATOR}
EXTRA_ROLE_NAMES = {
    "consulent": Role.CONSULTANT,
    "kaderlid": Role.CONSULTANT,
    "adviseur": Role.ADVISER,
    "coordinator": Role.COORDINATOR,
    "jurist": Role.LEGAL,
}
EMAIL_MAX = 254
NAME_MAX = 150


def role_names() -> dict[str, str]:
    """Every accepted spelling of an importable role (plain), to the role: the Dutch name as
    the portal shows it ('Consulent (kaderlid)'), the part before the brackets, the code."""
    names: dict[str, str] = {}
    for role in IMPORTABLE_ROLES:
        label = str(Role(role).label)
        names[plain(label)] = role
        names[plain(label.split("(")[0])] = role
        names[plain(role)] = role
    names.update(EXTRA_ROLE_NAMES)
    return names


def role_choices_text() -> str:
    return ", ".join(str(Role(role).label).split(" (")[0].lower() for role in IMPORTABLE_ROLES)


@dataclass(frozen=True)
class StaffRow:
    line: int
    email: str
    full_name: str
    role: str
    # None: the column is not in the file (an existing account keeps what it has)
    region_ids: frozenset[int] | None = None
    sector_ids: frozenset[int] | None = None
    house_ids: frozenset[int] | None = None
    serves_online: bool | None = None


@dataclass
class StaffCheck:
    rows: list[StaffRow]
    errors: list[RowError]
    keys: list[str]
    label: str = ""
    sha256: str = ""
    total: int = 0  # rows in the file, empty rows not counted

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class StaffChange:
    user: User
    row: StaffRow
    changes: list[str]  # the Dutch names of what changes, "weer actief" for a reactivation


@dataclass
class StaffPlan:
    new: list[StaffRow] = field(default_factory=list)
    changed: list[StaffChange] = field(default_factory=list)
    unchanged: list[StaffRow] = field(default_factory=list)
    missing: list[User] = field(default_factory=list)  # in scope, active, not in the file

    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "missing": len(self.missing),
        }


@dataclass
class StaffResult:
    created: list[User] = field(default_factory=list)
    changed: list[User] = field(default_factory=list)
    unchanged: int = 0
    deactivated: list[User] = field(default_factory=list)


class _Lookups:
    """Regions by code or name, sectors and union houses by name; existing accounts by e-mail."""

    def __init__(self, emails: Iterable[str]) -> None:
        self.regions: dict[str, int] = {}
        for pk, code, name in Region.objects.values_list("pk", "code", "name"):
            self.regions[plain(code)] = pk
            self.regions.setdefault(plain(name), pk)
        self.sectors = {plain(name): pk for pk, name in Sector.objects.values_list("pk", "name")}
        self.houses: dict[str, int] = {}
        for pk, name, slug in UnionHouse.objects.values_list("pk", "name", "slug"):
            self.houses[plain(name)] = pk
            if slug:
                self.houses.setdefault(plain(slug), pk)
        self.users: dict[str, User] = {
            user.email.lower(): user
            for user in _by_email(emails).prefetch_related("regions", "sectors", "union_houses")
        }


def _by_email(emails: Iterable[str]) -> QuerySet[User]:
    """Accounts by address in any case (addresses are unique without regard to case)."""
    return User.objects.annotate(email_lower=Lower("email")).filter(
        email_lower__in=[email.lower() for email in emails]
    )


def read_staff_file(path: str) -> StaffCheck:
    """Read and check a staff file; `ImportRefused` when the file as a whole cannot be one."""
    return check_staff_table(read_setup_file(path, COLUMNS, what=WHAT))


def check_staff_table(table: SetupTable) -> StaffCheck:
    """Every row checked; errors name the line and the column."""
    emails = [values.get("email", "").strip().lower() for _line, values in table.rows]
    lookups = _Lookups(email for email in emails if email and len(email) <= EMAIL_MAX)
    check = StaffCheck(
        rows=[],
        errors=list(table.extra),
        keys=table.keys,
        label=table.label,
        sha256=table.sha256,
        total=len(table.rows),
    )
    lines_by_email: dict[str, list[int]] = {}
    for line, values in table.rows:
        row, errors = _check_row(line, values, lookups)
        check.errors.extend(errors)
        if row is not None:
            check.rows.append(row)
        email = values.get("email", "").strip().lower()
        if email:
            lines_by_email.setdefault(email, []).append(line)
    for email, lines in lines_by_email.items():
        if len(lines) > 1:
            for line in lines:
                others = ", ".join(str(other) for other in lines if other != line)
                check.errors.append(
                    RowError(
                        line,
                        HEADER["email"],
                        f"{email} staat ook op regel {others}. Eén account per e-mailadres: "
                        "voeg de regels samen.",
                    )
                )
    bad_lines = {error.line for error in check.errors}
    check.rows = [row for row in check.rows if row.line not in bad_lines]
    check.errors.sort(key=lambda error: (error.line, error.column))
    return check


def _check_row(
    line: int, values: dict[str, str], lookups: _Lookups
) -> tuple[StaffRow | None, list[RowError]]:
    errors: list[RowError] = []

    def error(key: str, message: str) -> None:
        errors.append(RowError(line, HEADER[key], message))

    email = values.get("email", "").strip().lower()
    user: User | None = None
    if not email:
        error("email", "vul het e-mailadres in waarmee de medewerker inlogt.")
    elif len(email) > EMAIL_MAX or not _valid_email(email):
        error("email", f"‘{_quoted(email)}’ is geen geldig e-mailadres.")
    else:
        user = lookups.users.get(email)
        if user is not None and user.role == Role.MEMBER:
            error(
                "email",
                f"{email} hoort bij het account van een lid. Een ledenaccount wordt niet via "
                "dit bestand medewerker: gebruik het werkadres van deze persoon.",
            )
        elif user is not None and (
            user.role not in IMPORTABLE_ROLES or user.is_staff or user.is_superuser
        ):
            error(
                "email",
                f"{email} hoort bij een beheerder. Beheerders wijzig je in het beheer, niet "
                "via dit bestand.",
            )

    full_name = values.get("full_name", "").strip()
    if not full_name:
        error("full_name", "vul de naam van de medewerker in.")
    elif problem := text_error(full_name, max_length=NAME_MAX):
        error("full_name", problem)

    role_text = values.get("role", "").strip()
    role = role_names().get(plain(role_text), "")
    if not role_text:
        error("role", f"vul een rol in: {role_choices_text()}.")
    elif not role:
        if plain(role_text) in {
            plain(str(Role.ADMIN.label)),
            "admin",
            plain(str(Role.MEMBER.label)),
        }:
            error(
                "role",
                f"‘{_quoted(role_text)}’ kan niet via dit bestand: beheerders maak je in het "
                "beheer, leden activeren zelf hun account. Kies uit: "
                f"{role_choices_text()}.",
            )
        else:
            error(
                "role",
                f"‘{_quoted(role_text)}’ is geen rol in het portaal. Kies uit: "
                f"{role_choices_text()}.",
            )

    region_ids = _resolve(values, "regions", lookups.regions, error, _region_hint)
    sector_ids = _resolve(values, "sectors", lookups.sectors, error, _sector_hint)
    house_ids = _resolve(values, "union_houses", lookups.houses, error, _house_hint)

    serves_online: bool | None = None
    if "serves_online" in values:
        serves_online = yes_no(values["serves_online"])
        if serves_online is None:
            error(
                "serves_online",
                f"‘{_quoted(values['serves_online'])}’ is geen ja of nee. Vul ja of nee in "
                "(leeg is nee).",
            )

    if errors:
        return None, errors

    # What the account will have: the file's value, or what an existing account has now.
    def effective(ids: frozenset[int] | None, current: str) -> frozenset[int]:
        if ids is not None:
            return ids
        if user is None:
            return frozenset()
        return frozenset(item.pk for item in getattr(user, current).all())

    if role in NEEDS_REGION and not effective(region_ids, "regions"):
        error(
            "regions",
            f"een {str(Role(role).label).lower()} werkt in een regio: vul minstens één regio in "
            "(code zoals AM13 of de naam).",
        )
    if role == Role.SECTOR_OFFICIAL and not effective(sector_ids, "sectors"):
        error("sectors", "een sectorbestuurder hoort bij een sector: vul minstens één sector in.")
    online = serves_online if serves_online is not None else bool(user and user.serves_online)
    if role == Role.CONSULTANT and not effective(house_ids, "union_houses") and not online:
        error(
            "union_houses",
            "een consulent houdt spreekuur in een vakbondshuis of online: vul een vakbondshuis "
            "in, of ‘ja’ in de kolom online.",
        )
    if errors:
        return None, errors
    return (
        StaffRow(
            line=line,
            email=email,
            full_name=full_name,
            role=role,
            region_ids=region_ids,
            sector_ids=sector_ids,
            house_ids=house_ids,
            serves_online=serves_online,
        ),
        [],
    )


def _valid_email(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True


def _quoted(value: str) -> str:
    """A value quoted back in a message: one line, at most 60 characters."""
    text = " ".join(value.split())
    return text if len(text) <= 60 else text[:57] + "…"


def _region_hint(name: str) -> str:
    return (
        f"onbekende regio ‘{_quoted(name)}’. Gebruik de code van de arbeidsmarktregio "
        "(zoals AM13) of haar naam (zoals Midden-Utrecht); scheid meer regio's met een komma."
    )


def _sector_hint(name: str) -> str:
    return (
        f"onbekende sector ‘{_quoted(name)}’. Gebruik de naam zoals die in de sectorenlijst "
        "staat (importeer eerst de sectoren); scheid meer sectoren met een komma."
    )


def _house_hint(name: str) -> str:
    return (
        f"onbekend vakbondshuis ‘{_quoted(name)}’. Gebruik de naam van het vakbondshuis "
        "(importeer eerst de vakbondshuizen); scheid meer huizen met een komma."
    )


def _resolve(
    values: dict[str, str],
    key: str,
    known: dict[str, int],
    error: Callable[[str, str], None],
    hint: Callable[[str], str],
) -> frozenset[int] | None:
    if key not in values:
        return None
    ids: set[int] = set()
    for name in split_list(values[key]):
        pk = known.get(plain(name))
        if pk is None:
            error(key, hint(name))
        else:
            ids.add(pk)
    return frozenset(ids)


# --- Planning -------------------------------------------------------------------------------


def plan_staff(check: StaffCheck) -> StaffPlan:
    """What applying the checked rows would do, and who is missing from the file."""
    plan = StaffPlan()
    users = {
        user.email.lower(): user
        for user in _by_email(row.email for row in check.rows)
        .prefetch_related("regions", "sectors", "union_houses")
        .order_by()
    }
    for row in check.rows:
        user = users.get(row.email)
        if user is None:
            plan.new.append(row)
            continue
        changes = _changes(user, row)
        if changes:
            plan.changed.append(StaffChange(user, row, changes))
        else:
            plan.unchanged.append(row)
    plan.missing = list(_missing(check.rows))
    return plan


def _ids(user: User, name: str) -> frozenset[int]:
    return frozenset(item.pk for item in getattr(user, name).all())


def _changes(user: User, row: StaffRow) -> list[str]:
    changes: list[str] = []
    if not user.is_active:
        changes.append("weer actief")
    if user.full_name != row.full_name:
        changes.append("naam")
    if user.role != row.role:
        changes.append("rol")
    if row.region_ids is not None and _ids(user, "regions") != row.region_ids:
        changes.append("regio's")
    if row.sector_ids is not None and _ids(user, "sectors") != row.sector_ids:
        changes.append("sectoren")
    if row.house_ids is not None and _ids(user, "union_houses") != row.house_ids:
        changes.append("vakbondshuizen")
    if row.serves_online is not None and user.serves_online != row.serves_online:
        changes.append("online")
    return changes


def _missing(rows: list[StaffRow]) -> Iterable[User]:
    """Active accounts of the file's roles, working in the file's area, not in the file."""
    if not rows:
        return []
    roles = {row.role for row in rows}
    region_ids: set[int] = set()
    sector_ids: set[int] = set()
    house_ids: set[int] = set()
    for row in rows:
        region_ids |= row.region_ids or set()
        sector_ids |= row.sector_ids or set()
        house_ids |= row.house_ids or set()
    region_ids |= set(
        UnionHouse.objects.filter(pk__in=house_ids, region__isnull=False).values_list(
            "region_id", flat=True
        )
    )
    area = (
        Q(regions__in=region_ids)
        | Q(union_houses__in=house_ids)
        | Q(union_houses__region__in=region_ids)
        | Q(sectors__in=sector_ids)
    )
    return (
        User.objects.filter(
            area, is_active=True, role__in=roles, is_staff=False, is_superuser=False
        )
        .annotate(email_lower=Lower("email"))
        .exclude(email_lower__in=[row.email for row in rows])
        .distinct()
        .order_by("email")
    )


# --- Applying -------------------------------------------------------------------------------


def save_row(row: StaffRow, user: User | None, *, by: User | None) -> User:
    """Create or update one account from a checked row, with its audit entry; a new account's
    invitation is mailed once the transaction commits (not at all when it is rolled back)."""
    if user is None:
        user = User(email=row.email, full_name=row.full_name, role=row.role)
        user.serves_online = bool(row.serves_online)
        user.set_unusable_password()
        user.save()
        _set_areas(user, row)
        audit_log(
            user=by,
            action=AuditAction.CREATE,
            obj=user,
            detail=f"medewerker aangemaakt via import ({user.role})",
        )
        created = user
        transaction.on_commit(lambda: enrolment.send_invitation(created))
        return user
    changes = _changes(user, row)
    if not changes:
        return user
    user.is_active = True
    user.full_name = row.full_name
    user.role = row.role
    if row.serves_online is not None:
        user.serves_online = row.serves_online
    user.save(update_fields=["is_active", "full_name", "role", "serves_online"])
    _set_areas(user, row)
    audit_log(
        user=by,
        action=AuditAction.CHANGE,
        obj=user,
        detail="via medewerkersimport: " + ", ".join(changes),
    )
    return user


def _set_areas(user: User, row: StaffRow) -> None:
    if row.region_ids is not None:
        user.regions.set(row.region_ids)
    if row.sector_ids is not None:
        user.sectors.set(row.sector_ids)
    if row.house_ids is not None:
        user.union_houses.set(row.house_ids)


def deactivate(users: Iterable[User], *, by: User | None) -> list[User]:
    """Deactivate accounts that are no longer in the file (never deleted); each is audited."""
    done: list[User] = []
    for user in users:
        if not user.is_active:
            continue
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_log(
            user=by,
            action=AuditAction.CHANGE,
            obj=user,
            detail="gedeactiveerd via medewerkersimport: niet meer in het bestand",
        )
        done.append(user)
    return done


def apply_staff(
    check: StaffCheck, *, by: User | None, deactivate_missing: bool = False, source: str = ""
) -> StaffResult:
    """Apply a checked file in one transaction. A file with errors applies nothing."""
    if not check.ok:
        raise ValueError("A staff file with errors is not applied.")
    result = StaffResult()
    with transaction.atomic():
        plan = plan_staff(check)
        for row in plan.new:
            result.created.append(save_row(row, None, by=by))
        for change in plan.changed:
            result.changed.append(save_row(change.row, change.user, by=by))
        result.unchanged = len(plan.unchanged)
        if deactivate_missing:
            result.deactivated = deactivate(plan.missing, by=by)
        record_import(
            created=len(result.created),
            changed=len(result.changed),
            deactivated=len(result.deactivated),
            by=by,
            source=source,
        )
    return result


def record_import(
    *, created: int, changed: int, deactivated: int, by: User | None, source: str
) -> None:
    """One audit entry for the import as a whole, only when it changed something."""
    if not (created or changed or deactivated):
        return
    audit_log(
        user=by,
        action=AuditAction.IMPORT,
        object_type="members.user",
        detail=(
            f"medewerkersimport{f' ({source})' if source else ''}: {created} nieuw, "
            f"{changed} gewijzigd, {deactivated} gedeactiveerd"
        ),
    )
