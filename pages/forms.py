"""The edit form of an information page (validation only; the service saves)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pages.models import Page
from pages.services import MAX_TEXT_LENGTH


class PageForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=120)
    summary = forms.CharField(
        label=_("Samenvatting"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Eén of twee zinnen; staat onder de link op de startpagina."),
    )
    text = forms.CharField(
        label=_("Tekst"),
        max_length=MAX_TEXT_LENGTH,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_(
            "Schrijf in Markdown: ## kopje, **vet**, *schuin*, lijstjes met -, "
            "links als [tekst](/informatie/ontslag-wat-nu/). HTML en afbeeldingen worden niet getoond."
        ),
    )
    note = forms.CharField(
        label=_("Wat heb je veranderd?"),
        max_length=200,
        required=False,
        help_text=_("Kort, voor de versiegeschiedenis. Bijvoorbeeld: openingstijden bijgewerkt."),
    )

    @classmethod
    def for_page(cls, page: Page) -> PageForm:
        return cls(initial={"title": page.title, "summary": page.summary, "text": page.text})

    def clean_text(self) -> str:
        # One kind of line ending, so an unchanged text compares equal to the saved one.
        return self.cleaned_data["text"].replace("\r\n", "\n")
