"""The portal's addresses: the members' and the public's pages, and the secretariat's admin."""

from django.urls import include, path

from councilbook.portal.admin import site

urlpatterns = [
    path("sekretariat/", site.urls),
    path("", include("councilbook.portal.urls")),
]
