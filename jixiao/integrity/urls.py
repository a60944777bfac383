from django.urls import path

from . import views
from .raters import views as raters

app_name = "integrity"
urlpatterns = [
    path("audit/", views.event_list, name="audit_events"),
    path("flags/", views.flag_cycles, name="flag_cycles"),
    path("flags/<int:pk>/", views.cycle_flags, name="cycle_flags"),
    path("raters/", raters.rater_list, name="raters"),
    path("raters/xlsx/", raters.rater_list_xlsx, name="raters_xlsx"),
    path("raters/<int:pk>/", raters.rater_detail, name="rater_detail"),
]
