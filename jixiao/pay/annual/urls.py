from django.urls import path

from . import views

urlpatterns = [
    path("plans/<int:pk>/", views.bonus_plan, name="bonus_plan"),
    path("annual/", views.run_list, name="runs"),
    path("annual/<int:pk>/", views.run_detail, name="run_detail"),
    path("annual/<int:pk>/release/", views.run_release, name="run_release"),
    path("annual/<int:pk>/export/", views.run_export, name="run_export"),
]
