from django.urls import path  # noqa: F401

app_name = "monthly_reports"
urlpatterns: list = []
