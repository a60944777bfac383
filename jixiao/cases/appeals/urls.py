"""Appeal pages under /cases/appeals/ (namespace ``appeals``)."""

from django.urls import path

from . import views

app_name = "appeals"
urlpatterns = [
    path("", views.appeal_list, name="list"),
    path("export/", views.appeal_list_export, name="list_export"),
    path("mine/", views.my_appeals, name="mine"),
    path("result/<int:pk>/", views.appeal_file, name="file"),
    path("<int:pk>/", views.appeal_detail, name="detail"),
    path("<int:pk>/step/", views.appeal_step, name="step"),
    path("<int:pk>/assign/", views.appeal_assign, name="assign"),
    path("<int:pk>/statement/", views.statement_request, name="statement_request"),
    path("<int:pk>/recommend/", views.appeal_recommend, name="recommend"),
    path("<int:pk>/decide/", views.appeal_decide, name="decide"),
    path("statements/<int:pk>/", views.statement_answer, name="statement_answer"),
    path("files/<int:pk>/", views.evidence_download, name="evidence"),
]
