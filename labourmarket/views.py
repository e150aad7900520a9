"""The admin's upload of labour-market figures: choose a file, see every error, or the figures
are saved (all or nothing). The current figures per region are listed below the form."""

from __future__ import annotations

import os
import tempfile

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.access import role_required
from core.roles import Role
from labourmarket.forms import UploadForm
from labourmarket.models import LabourMarketFigure, LabourMarketUpload
from labourmarket.parsing import Checked, check_file
from labourmarket.services import import_figures
from members.http import AuthenticatedRequest
from members.importing.format import ImportRefused


@never_cache
@role_required(Role.ADMIN)
def upload(request: AuthenticatedRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    checked: Checked | None = None
    refused = ""
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        source = form.cleaned_data["source"]
        handle, path = tempfile.mkstemp(prefix="arbeidsmarkt-")
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in uploaded.chunks():
                    out.write(chunk)
            checked = check_file(path, source=source)
        except ImportRefused as error:
            refused = str(error)
        finally:
            os.unlink(path)
        if checked is not None and checked.ok:
            saved = import_figures(
                user=request.user, checked=checked, filename=uploaded.name, source=source
            )
            messages.success(
                request,
                _("%(n)s rijen met arbeidsmarktcijfers opgeslagen uit %(file)s.")
                % {"n": saved.row_count, "file": saved.filename},
            )
            return redirect("labourmarket:upload")
    figures = (
        LabourMarketFigure.objects.current()
        .select_related("region", "upload")
        .order_by("region__code", "-period_start")[:500]
    )
    return render(
        request,
        "labourmarket/upload.html",
        {
            "form": form,
            "checked": checked,
            "refused": refused,
            "figures": figures,
            "uploads": LabourMarketUpload.objects.select_related("uploaded_by")[:10],
        },
        status=400 if (refused or (checked is not None and checked.errors)) else 200,
    )
