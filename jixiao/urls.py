"""URL wiring: one include per app."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from jixiao.reports.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("org/", include("jixiao.org.urls")),
    path("plans/", include("jixiao.plans.urls")),
    path("cycles/", include("jixiao.cycles.urls")),
    path("pay/", include("jixiao.pay.urls")),
    path("access/", include("jixiao.access.urls")),
    path("integrity/", include("jixiao.integrity.urls")),
    path("cases/", include("jixiao.cases.urls")),
    path("people/", include("jixiao.people.urls")),
    path("notifications/", include("jixiao.notifications.urls")),
    path("reports/monthly/", include("jixiao.reports.monthly.urls")),
    path("reports/analysis/", include("jixiao.reports.analysis.urls")),
    path("reports/impact/", include("jixiao.reports.impact.urls")),
]
