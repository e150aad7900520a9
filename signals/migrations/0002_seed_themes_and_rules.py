"""The starting list of themes (grouped by the four A's) and the two detection rules."""

from django.db import migrations

THEMES = [
    ("arbeidsvoorwaarden", ["Loon niet betaald", "Naleving cao", "Flexcontracten", "Pensioen", "Werktijden", "Verlof"]),
    ("arbeidsomstandigheden", ["Ziekte en re-integratie", "Veiligheid", "Werkdruk"]),
    ("arbeidsverhoudingen", ["Ontslag", "Reorganisatie", "Faillissement", "Discriminatie en intimidatie", "WW-uitkering"]),
    ("arbeidsinhoud", ["Scholing"]),
]


def seed(apps, schema_editor):
    Theme = apps.get_model("signals", "Theme")
    DetectionRule = apps.get_model("signals", "DetectionRule")
    for group, names in THEMES:
        for order, name in enumerate(names):
            Theme.objects.get_or_create(name=name, defaults={"group": group, "order": order})
    DetectionRule.objects.get_or_create(
        kind="employer_cluster",
        defaults={"name": "Meerdere gesprekken over één werkgever", "min_count": 3, "window_days": 30},
    )
    DetectionRule.objects.get_or_create(
        kind="theme_rise",
        defaults={
            "name": "Stijging van een thema in een regio of sector",
            "min_count": 5,
            "window_days": 30,
            "baseline_days": 365,
            "p_value": 0.01,
            "notify_step": 5,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("signals", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
