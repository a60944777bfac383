from django.urls import path

from . import views

app_name = "integrity"
urlpatterns = [
    path("audit/", views.event_list, name="audit_events"),
    path("flags/", views.flag_cycles, name="flag_cycles"),
    path("flags/<int:pk>/", views.cycle_flags, name="cycle_flags"),
]
