from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand, CommandError

from members import enrolment
from members.models import User


class Command(BaseCommand):
    help = (
        "Mailt een medewerker een eenmalige link om de tweede factor in te stellen (bijvoorbeeld "
        "de eerste beheerder na createsuperuser). Met --reset wordt een bestaande tweede factor "
        "eerst verwijderd."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--reset", action="store_true", help="verwijder eerst de bestaande tweede factor"
        )
        parser.add_argument(
            "--show-link", action="store_true", help="toon de link ook hier (naast de mail)"
        )

    def handle(self, *args, email: str, reset: bool, show_link: bool, **options):
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None or not user.is_staff_role:
            raise CommandError(f"Geen actieve medewerker met e-mailadres {email}.")
        has_totp = Authenticator.objects.filter(user=user, type="totp").exists()
        if has_totp and not reset:
            raise CommandError(
                f"{email} heeft al een tweede factor; gebruik --reset om die te vervangen."
            )
        link = enrolment.reset_second_factor(user) if reset else enrolment.send_invitation(user)
        self.stdout.write(f"Uitnodiging verstuurd naar {user.email}.")
        if show_link:
            self.stdout.write(link)
