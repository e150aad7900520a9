from django.core.management.base import BaseCommand

from members.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Vult de database met demodata (gemarkeerd als demo): gebruikers per rol, vakbondshuizen, leden."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=3000, help="aantal synthetische leden")

    def handle(self, *args, members: int, **options):
        logins = seed_demo(member_count=members)
        self.stdout.write(
            self.style.SUCCESS("Demodata staat klaar. Inloggen met wachtwoord: " + DEMO_PASSWORD)
        )
        for login in logins:
            line = f"  {login.role:<18} {login.email}"
            if login.totp_secret:
                line += f"   TOTP-geheim: {login.totp_secret}"
            self.stdout.write(line)
        staff = next((login.email for login in logins if login.totp_secret), "E-MAILADRES")
        # The command as it runs from the project folder, in the demo's own environment.
        self.stdout.write(
            "Huidige TOTP-code van een medewerker (in een tweede terminal, in deze map):\n"
            f"  DJANGO_DEBUG=1 .venv/bin/python manage.py totp_code {staff}"
        )
