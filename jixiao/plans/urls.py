from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("mine/", views.my_plan, name="my_plan"),
    path("new/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/indicators/", views.indicator_save, name="indicator_add"),
    path("<int:pk>/indicators/<int:index>/", views.indicator_save, name="indicator_save"),
    path("<int:pk>/indicators/<int:index>/delete/", views.indicator_delete, name="indicator_delete"),
    path("<int:pk>/transition/", views.plan_transition, name="plan_transition"),
    path("<int:pk>/comments/", views.comment_add, name="comment_add"),
    path("<int:pk>/comments/<int:comment_pk>/answer/", views.comment_answer, name="comment_answer"),
    path("<int:pk>/new-version/", views.plan_new_version, name="plan_new_version"),
    path("<int:pk>/rounds/<int:round_>/", views.revision_diff, name="revision_diff"),
    path("<int:pk>/export.<str:fmt>", views.plan_export, name="plan_export"),
    path("<int:pk>/import/", views.plan_import, name="plan_import"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
]
urlpatterns += [
    path("frameworks/new/", views.framework_edit, name="framework_create"),
    path("frameworks/<int:pk>/", views.framework_detail, name="framework_detail"),
    path("frameworks/<int:pk>/edit/", views.framework_edit, name="framework_edit"),
    path("frameworks/<int:pk>/transition/", views.framework_transition, name="framework_transition"),
    path("frameworks/<int:pk>/new-version/", views.framework_new_version, name="framework_new_version"),
]
