from django.urls import path

from . import monthly_views, views

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
    path("monthly/", monthly_views.run_list, name="monthly_runs"),
    path("monthly/<int:pk>/", monthly_views.run_detail, name="monthly_run_detail"),
    path("monthly/<int:pk>/release/", monthly_views.run_release, name="monthly_run_release"),
    path("monthly/<int:pk>/export/", monthly_views.run_export, name="monthly_run_export"),
    path("monthly/<int:pk>/adjust/", monthly_views.run_adjust, name="monthly_run_adjust"),
    path("travel/", monthly_views.travel_days, name="travel"),
    path("travel/import/", monthly_views.travel_import, name="travel_import"),
    path("travel/template/", monthly_views.travel_template, name="travel_template"),
    path("completions/", monthly_views.completions, name="completions"),
    path("sanctions/", monthly_views.sanctions, name="sanctions"),
    path("sanctions/<int:pk>/decide/", monthly_views.sanction_decide, name="sanction_decide"),
]
