"""Pay's pages: each wing brings its own (names stay in the ``pay`` namespace)."""

from django.urls import include, path

app_name = "pay"
urlpatterns = [
    path("", include("jixiao.pay.structures.urls")),
    path("", include("jixiao.pay.annual.urls")),
    path("", include("jixiao.pay.monthly.urls")),
]
