from django.conf import settings


def portal(request):
    user = getattr(request, "user", None)
    return {
        "site_url": settings.SITE_URL,
        "user_role_label": user.get_role_display()
        if user is not None and user.is_authenticated
        else "",
    }
