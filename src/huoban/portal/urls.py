from django.urls import path, re_path

from . import (
    views,
    views_ledger,
    views_partner,
    views_projects,
    views_users,
    views_violations,
)

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("leads/", views.lead_list, name="leads"),
    path("leads/new/", views.lead_new, name="lead_new"),
    path("leads/new/items/", views.lead_items, name="lead_items"),
    path("leads/new/name-check/", views.name_check, name="name_check"),
    path("leads/<int:lead_id>/", views.lead_detail, name="lead"),
    path("leads/<int:lead_id>/appeal/", views.lead_appeal, name="lead_appeal"),
    # customers, projects, progress board
    path("customers/", views_projects.customer_list, name="customers"),
    path("customers/<int:customer_id>/", views_projects.customer_detail, name="customer"),
    path("projects/", views_projects.project_list, name="projects"),
    path("projects/<int:project_id>/", views_projects.project_detail, name="project"),
    path(
        "projects/<int:project_id>/milestones/",
        views_projects.project_milestones,
        name="project_milestones",
    ),
    # contact consents
    path("consents/", views_partner.consent_list, name="consents"),
    path("consents/grant/", views_partner.consent_grant, name="consent_grant"),
    path("consents/<int:consent_id>/revoke/", views_partner.consent_revoke, name="consent_revoke"),
    # ledger, statements, recruits
    path("ledger/", views_ledger.ledger_list, name="ledger"),
    path("ledger/verify/", views_ledger.ledger_verify, name="ledger_verify"),
    path("statements/", views_ledger.statement_list, name="statements"),
    # YYYY-MM, the month zero-padded as in the API's statement URLs.
    re_path(
        r"^statements/(?P<year>[0-9]{4})-(?P<month>[0-9]{2})/$",
        views_ledger.statement_detail,
        name="statement",
    ),
    re_path(
        r"^statements/(?P<year>[0-9]{4})-(?P<month>[0-9]{2})\.pdf$",
        views_ledger.statement_pdf,
        name="statement_pdf",
    ),
    re_path(
        r"^statements/(?P<year>[0-9]{4})-(?P<month>[0-9]{2})\.xlsx$",
        views_ledger.statement_xlsx,
        name="statement_xlsx",
    ),
    path("recruits/", views_ledger.recruits, name="recruits"),
    path("users/", views_users.user_list, name="users"),
    path("users/add/", views_users.user_add, name="user_add"),
    path("users/<int:user_id>/link/", views_users.user_link, name="user_link"),
    path("users/<int:user_id>/active/", views_users.user_active, name="user_active"),
    path("violations/", views_violations.violation_list, name="violations"),
    path("violations/report/", views_violations.violation_report, name="violation_report"),
    path(
        "violations/<int:violation_id>/claim/",
        views_violations.violation_claim,
        name="violation_claim",
    ),
    # tier and the strategic application
    path("tier/", views_partner.tier, name="tier"),
    path("tier/apply/", views_partner.tier_apply, name="tier_apply"),
]
