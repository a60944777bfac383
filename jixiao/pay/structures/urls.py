from django.urls import path

from . import views

urlpatterns = [
    path("structures/", views.structure_list, name="structures"),
    path("structures/<int:pk>/", views.structure_edit, name="structure_edit"),
    path("profits/", views.profit_list, name="profits"),
    path("profits/<int:pk>/transition/", views.profit_transition, name="profit_transition"),
]
