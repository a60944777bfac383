from django.urls import path

from . import views

urlpatterns = [
    path("", views.cycle_list, name="cycles"),
    path("new/", views.cycle_create, name="cycle_create"),
    path("<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("<int:pk>/transition/", views.cycle_transition, name="cycle_transition"),
    path("<int:pk>/close/", views.close_start, name="close_start"),
    path("<int:pk>/close/progress/", views.close_progress, name="close_progress"),
]
