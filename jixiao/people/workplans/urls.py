"""Work plan pages under /people/workplans/ (namespace ``workplans``)."""

from django.urls import path

from . import views

app_name = "workplans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("mine/", views.my_items, name="mine"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/step/", views.plan_step, name="step"),
    path("<int:pk>/items/new/", views.item_create, name="item_create"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("items/<int:pk>/step/", views.item_step, name="item_step"),
]
