"""The cycles app's pages: each wing (stage) has its own ``urls``; names stay in ``cycles:``."""

from django.urls import include, path

app_name = "cycles"
urlpatterns = [
    path("", include("jixiao.cycles.lifecycle.urls")),
    path("", include("jixiao.cycles.entry.urls")),
    path("", include("jixiao.cycles.results.urls")),
    path("", include("jixiao.cycles.calibration.urls")),
    path("", include("jixiao.cycles.review.urls")),
]
