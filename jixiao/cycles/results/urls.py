from django.urls import path

from . import views

urlpatterns = [
    path("mine/", views.my_results, name="my_results"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results/export/", views.results_export, name="results_export"),
    path("results/<int:pk>/", views.result_detail, name="result_detail"),
]
