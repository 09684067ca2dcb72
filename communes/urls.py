from django.urls import path

from communes import exports, views

app_name = "communes"
urlpatterns = [
    path("", views.commune_list, name="list"),
    path("export.xlsx", exports.communes_xlsx, name="export"),
    path("new/", views.commune_create, name="create"),
    path("<int:pk>/", views.commune_detail, name="detail"),
    path("<int:pk>/edit/", views.commune_edit, name="edit"),
]
