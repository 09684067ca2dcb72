from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from assistance import views as assistance_views

urlpatterns = [
    path("", assistance_views.dashboard, name="home"),
    path("communes/", include("communes.urls")),
    path("households/", include("households.urls")),
    path("assistance/", include("assistance.urls")),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

admin.site.site_header = admin.site.site_title = "commune-assist"

handler500 = "core.errors.server_error"
