"""Calibration URLs, included by ``cycles/urls.py`` under the ``cycles`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/calibration/", views.calibration_page, name="calibration"),
    path("<int:pk>/calibration/export/", views.distribution_export, name="distribution_export"),
    path("results/<int:pk>/calibrate/", views.calibration_move, name="calibration_move"),
]
