from django.urls import path

from . import views

app_name = "access"
urlpatterns = [
    path("roles/", views.role_list, name="roles"),
    path("roles/change/", views.role_change, name="role_change"),
]
