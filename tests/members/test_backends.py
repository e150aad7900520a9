"""Loading the user of a request (members/backends.py): one SELECT written as SQL, which must
give what the ORM gives, with `has_totp` answered in the same query."""

import pytest
from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef

from core.roles import Role
from members.backends import AuthenticationBackend, ModelBackend, load_user
from members.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _by_orm(pk: int) -> User:
    totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    return User.objects.annotate(has_totp=Exists(totp)).get(pk=pk)


def _fields(user: User) -> dict:
    return {field.attname: getattr(user, field.attname) for field in User._meta.concrete_fields}


def test_the_loaded_user_is_the_one_the_orm_loads_with_and_without_totp(
    django_assert_num_queries,
):
    # A history: a staff user with TOTP whose role and name were edited, a member without,
    # a staff user whose authenticator was removed, and one with only recovery codes.
    official = UserFactory(role=Role.SECTOR_OFFICIAL)
    official.role = Role.COORDINATOR
    official.full_name = "Ann-Marie d’Hondt"
    official.save()
    member = UserFactory(role=Role.MEMBER)
    removed = UserFactory(role=Role.ADVISER)
    Authenticator.objects.filter(user=removed).delete()
    codes_only = UserFactory(role=Role.LEGAL, totp=False)
    Authenticator.objects.create(
        user=codes_only, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"}
    )
    expected = {official.pk: True, member.pk: False, removed.pk: False, codes_only.pk: False}
    for pk, has_totp in expected.items():
        with django_assert_num_queries(1):
            loaded = load_user(pk)
        orm = _by_orm(pk)
        assert isinstance(loaded, User)
        assert _fields(loaded) == _fields(orm)
        assert loaded.has_totp is orm.has_totp is has_totp
        # The model is a normal one: saving it writes, not inserts.
        loaded.full_name = "Opgeslagen"
        loaded.save(update_fields=["full_name"])
        assert User.objects.get(pk=pk).full_name == "Opgeslagen"


@pytest.mark.parametrize("backend", [ModelBackend(), AuthenticationBackend()])
def test_no_user_for_a_missing_a_malformed_or_an_inactive_id(backend):
    user = UserFactory(role=Role.CONSULTANT)
    assert backend.get_user(user.pk).pk == user.pk
    assert backend.get_user(str(user.pk)).pk == user.pk  # as a session stores it
    assert backend.get_user(user.pk + 10_000) is None
    for bad in ["abc", "1; DROP TABLE members_user", "\x00", "9" * 40, ""]:
        assert backend.get_user(bad) is None
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert backend.get_user(user.pk) is None
