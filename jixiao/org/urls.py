from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("departments/", views.department_list, name="departments"),
    path("departments/new/", views.department_edit, name="department_create"),
    path("departments/<int:pk>/", views.department_detail, name="department_detail"),
    path("departments/<int:pk>/edit/", views.department_edit, name="department_edit"),
    path("positions/", views.position_list, name="positions"),
    path("positions/new/", views.position_edit, name="position_create"),
    path("positions/<int:pk>/", views.position_detail, name="position_detail"),
    path("positions/<int:pk>/edit/", views.position_edit, name="position_edit"),
    path("employees/", views.employee_list, name="employees"),
    path("employees/export/", views.employee_list_export, name="employees_export"),
    path("employees/new/", views.employee_edit, name="employee_create"),
    path("employees/<int:pk>/", views.employee_detail, name="employee_detail"),
    path("employees/<int:pk>/edit/", views.employee_edit, name="employee_edit"),
    path("import/", views.org_import, name="import"),
    path("import/template.xlsx", views.org_import_template, name="import_template"),
]
