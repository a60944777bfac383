from django.urls import path

from . import views

app_name = "pay"
urlpatterns = [
    path("mine/", views.my_pay, name="my_pay"),
    path("structures/", views.structure_list, name="structures"),
    path("structures/<int:pk>/", views.structure_edit, name="structure_edit"),
    path("profits/", views.profit_list, name="profits"),
    path("profits/<int:pk>/transition/", views.profit_transition, name="profit_transition"),
    path("plans/<int:pk>/", views.bonus_plan, name="bonus_plan"),
    path("annual/", views.run_list, name="runs"),
    path("annual/<int:pk>/", views.run_detail, name="run_detail"),
    path("annual/<int:pk>/release/", views.run_release, name="run_release"),
    path("annual/<int:pk>/export/", views.run_export, name="run_export"),
]
