from django.core.management.base import BaseCommand, CommandError

from members.models import User
from members.totp import current_totp_code


class Command(BaseCommand):
    help = "Toont de huidige TOTP-code van een medewerker (alleen voor demo en ontwikkeling)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        user = User.objects.filter(email__iexact=email).first()
        code = current_totp_code(user) if user else None
        if code is None:
            raise CommandError(f"Geen medewerker met TOTP gevonden voor {email}.")
        self.stdout.write(code)
