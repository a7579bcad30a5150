from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("leads/", views.lead_list, name="leads"),
    path("leads/new/", views.lead_new, name="lead_new"),
    path("leads/new/items/", views.lead_items, name="lead_items"),
    path("leads/new/name-check/", views.name_check, name="name_check"),
    path("leads/<int:lead_id>/", views.lead_detail, name="lead"),
    path("leads/<int:lead_id>/appeal/", views.lead_appeal, name="lead_appeal"),
]
