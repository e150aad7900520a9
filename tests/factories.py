"""factory_boy factories shared by every app's tests."""

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from core.roles import Role
from members.models import Employer, Member, Sector, User
from regions.models import Municipality, Region, UnionHouse

PASSWORD = "een-sterk-wachtwoord-2026"


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Sector {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.nl")
    full_name = factory.Faker("name", locale="nl_NL")
    role = Role.MEMBER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        """Staff get a TOTP authenticator unless totp=False is passed."""
        if create and self.role != Role.MEMBER and extracted is not False:
            TOTP.activate(self, generate_totp_secret())


def region(code: str = "AM13") -> Region:
    return Region.objects.get(code=code)


class UnionHouseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnionHouse

    name = factory.Sequence(lambda n: f"Vakbondshuis {n}")
    city = "Utrecht"
    municipality = factory.LazyFunction(lambda: Municipality.objects.get(code="GM0344"))


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"Werkgever {n} B.V.")
    sector = factory.SubFactory(SectorFactory)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    member_number = factory.Sequence(lambda n: f"{3000000 + n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"lid{n}@example.nl")
    postcode = "3511 AB"
    region = factory.LazyFunction(lambda: Region.objects.get(code="AM13"))
    sector = factory.SubFactory(SectorFactory)
