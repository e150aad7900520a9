from django.core.management.base import BaseCommand

from signals.detection import run_detection


class Command(BaseCommand):
    help = "Run signal detection now (incremental unless --full)."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="Evaluate every key.")

    def handle(self, *args, **options):
        result = run_detection(full=True if options["full"] else None)
        self.stdout.write(
            f"{'full' if result.full else 'incremental'} run: {result.candidates} candidates, "
            f"{result.opened} signals opened, {result.grown} grown"
        )
