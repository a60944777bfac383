from django.urls import path

from . import views

app_name = "improvement"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_new, name="new"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/goal/", views.goal_add, name="goal_add"),
    path("<int:pk>/support/", views.support_add, name="support_add"),
    path("<int:pk>/review/", views.review_add, name="review_add"),
    path("<int:pk>/remove/", views.item_remove, name="item_remove"),
    path("<int:pk>/step/", views.plan_step, name="step"),
    path("<int:pk>/comment/", views.comment_add, name="comment"),
    path("<int:pk>/checkin/", views.checkin, name="checkin"),
]
