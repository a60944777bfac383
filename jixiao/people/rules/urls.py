from django.urls import path  # noqa: F401

app_name = "people_rules"
urlpatterns: list = []
