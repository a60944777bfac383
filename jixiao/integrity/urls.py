from django.urls import path

from . import views

app_name = "integrity"
urlpatterns = [path("audit/", views.event_list, name="audit_events")]
