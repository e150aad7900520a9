from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand (CSV of Excel .xlsx)"),
        help_text=_("Een export van CBS StatLine of UWV met de kolommen Regio en Perioden."),
    )
    source = forms.CharField(
        label=_("Bron"),
        max_length=100,
        help_text=_(
            'Bijvoorbeeld "CBS StatLine, tabel 80590ned" of "UWV Arbeidsmarktinformatie". '
            'Een kolom "Bron" in het bestand gaat voor.'
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _(
                    "Het bestand is groter dan 5 MB. Arbeidsmarktcijfers passen in een kleiner bestand."
                )
            )
        return upload

    def clean_source(self):
        source = " ".join(self.cleaned_data["source"].split())
        if not source or any(ord(c) < 32 for c in source):
            raise forms.ValidationError(_("Noem de bron van de cijfers, zonder regelovergangen."))
        return source
