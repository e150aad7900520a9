"""The public information pages (the portal's front door) and the history of their text.

A page is public: anyone may read it, so it holds no personal data. Its text is Markdown,
rendered through the one sanitiser (core/markdown.py). Every saved change is a numbered
`PageVersion`; the page carries a copy of the newest so that reading it costs one query.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The page "Ontslag? Wat nu?", shown prominently on the public home page.
FIRST_STEPS_SLUG = "ontslag-wat-nu"


class Page(models.Model):
    slug = models.SlugField(_("adres"), max_length=80, unique=True)
    title = models.CharField(_("titel"), max_length=120)
    summary = models.CharField(
        _("samenvatting"),
        max_length=300,
        help_text=_("Eén of twee zinnen: staat onder de link op de startpagina."),
    )
    text = models.TextField(_("tekst"), blank=True)
    on_home = models.BooleanField(
        _("als dienst op de startpagina"),
        default=False,
        help_text=_("De pagina staat bij de diensten op de openbare startpagina."),
    )
    shows_agenda = models.BooleanField(
        _("toont de volgende bijeenkomsten"),
        default=False,
        help_text=_("Onder de tekst: de volgende bijeenkomsten en zoeken op postcode."),
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("informatiepagina")
        verbose_name_plural = _("informatiepagina's")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pages:page", kwargs={"slug": self.slug})


class PageVersion(models.Model):
    """One saved state of a page: what it said, who saved it, when and why."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    title = models.CharField(_("titel"), max_length=120)
    summary = models.CharField(_("samenvatting"), max_length=300)
    text = models.TextField(_("tekst"), blank=True)
    # A staff account, never a member's; the version stays when the account goes.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("door"),
    )
    created_at = models.DateTimeField(_("opgeslagen op"), auto_now_add=True)
    note = models.CharField(_("toelichting"), max_length=200, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("versie van een informatiepagina")
        verbose_name_plural = _("versies van informatiepagina's")
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="pages_one_number_per_page")
        ]

    def __str__(self) -> str:
        return f"{self.page} v{self.number}"
