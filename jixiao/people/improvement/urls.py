from django.urls import path

from . import views

app_name = "improvement"
urlpatterns = [
    path("<int:pk>/", views.plan_detail, name="detail"),
]
