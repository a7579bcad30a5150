from django.urls import path

from . import views

app_name = "console"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("reviews/", views.reviews, name="reviews"),
    path("leads/<int:lead_id>/", views.lead_detail, name="lead"),
    path("leads/<int:lead_id>/verdict/", views.lead_verdict, name="lead_verdict"),
    path("leads/<int:lead_id>/match/", views.lead_match, name="lead_match"),
    path("leads/<int:lead_id>/second-review/", views.lead_sign, name="lead_sign"),
]
