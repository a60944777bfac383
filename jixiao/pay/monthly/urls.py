from django.urls import path

from . import views

urlpatterns = [
    path("mine/", views.my_pay, name="my_pay"),
    path("monthly/", views.run_list, name="monthly_runs"),
    path("monthly/<int:pk>/", views.run_detail, name="monthly_run_detail"),
    path("monthly/<int:pk>/release/", views.run_release, name="monthly_run_release"),
    path("monthly/<int:pk>/export/", views.run_export, name="monthly_run_export"),
    path("monthly/<int:pk>/adjust/", views.run_adjust, name="monthly_run_adjust"),
    path("travel/", views.travel_days, name="travel"),
    path("travel/import/", views.travel_import, name="travel_import"),
    path("travel/template/", views.travel_template, name="travel_template"),
    path("completions/", views.completions, name="completions"),
    path("sanctions/", views.sanctions, name="sanctions"),
    path("sanctions/<int:pk>/decide/", views.sanction_decide, name="sanction_decide"),
]
