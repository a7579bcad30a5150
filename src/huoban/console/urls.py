from django.urls import path

from . import customers, dashboard, finance, partners, projects, views

app_name = "console"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("reviews/", views.reviews, name="reviews"),
    path("leads/<int:lead_id>/", views.lead_detail, name="lead"),
    path("leads/<int:lead_id>/verdict/", views.lead_verdict, name="lead_verdict"),
    path("leads/<int:lead_id>/match/", views.lead_match, name="lead_match"),
    path("leads/<int:lead_id>/second-review/", views.lead_sign, name="lead_sign"),
    path("customers/", customers.lookup, name="lookup"),
    path("customers/inbound/", customers.record_inbound, name="inbound"),
    path("customers/<int:customer_id>/", customers.customer_detail, name="customer"),
    path("customers/<int:customer_id>/reveal/", customers.customer_reveal, name="customer_reveal"),
    path("customers/<int:customer_id>/link/", customers.customer_link, name="customer_link"),
    path("customers/<int:customer_id>/sign/", projects.project_sign, name="project_sign"),
    path("customers/<int:customer_id>/consents/", customers.consent_grant, name="consent_grant"),
    path(
        "customers/<int:customer_id>/consents/<int:consent_id>/approve/",
        customers.consent_approve,
        name="consent_approve",
    ),
    path(
        "customers/<int:customer_id>/consents/<int:consent_id>/revoke/",
        customers.consent_revoke,
        name="consent_revoke",
    ),
    path("partners/", partners.partner_list, name="partners"),
    path("partners/new/", partners.partner_new, name="partner_new"),
    path("partners/applications/", partners.applications, name="applications"),
    path(
        "partners/applications/<int:application_id>/decide/",
        partners.application_decide,
        name="application_decide",
    ),
    path("partners/<str:code>/", partners.partner_detail, name="partner"),
    path("partners/<str:code>/exit/", partners.partner_exit, name="partner_exit"),
    path("partners/<str:code>/users/", partners.partner_user_add, name="partner_user_add"),
    path(
        "partners/<str:code>/users/<int:user_id>/link/",
        partners.partner_user_link,
        name="partner_user_link",
    ),
    path(
        "partners/<str:code>/users/<int:user_id>/active/",
        partners.partner_user_active,
        name="partner_user_active",
    ),
    path(
        "partners/<str:code>/company-violations/<int:violation_id>/decide/",
        partners.company_violation_decide,
        name="company_violation_decide",
    ),
    path(
        "partners/<str:code>/white-label/",
        partners.partner_white_label,
        name="partner_white_label",
    ),
    path(
        "partners/<str:code>/violations/",
        partners.partner_violation,
        name="partner_violation",
    ),
    path("projects/", projects.project_list, name="projects"),
    path("projects/board/", projects.project_board, name="board"),
    path("projects/<int:project_id>/", projects.project_detail, name="project"),
    path(
        "projects/<int:project_id>/milestones/<str:stage>/",
        projects.milestone_update,
        name="milestone",
    ),
    path(
        "projects/<int:project_id>/milestones/<str:stage>/edit/",
        projects.milestone_edit,
        name="milestone_edit",
    ),
    path("projects/<int:project_id>/payments/", projects.project_payment, name="project_payment"),
    path("projects/<int:project_id>/accept/", projects.project_accept, name="project_accept"),
    path("projects/<int:project_id>/cancel/", projects.project_cancel, name="project_cancel"),
    path("projects/<int:project_id>/amend/", projects.project_amend, name="project_amend"),
    path("finance/", finance.approvals, name="finance"),
    path("finance/approve/", finance.approve, name="approve"),
    path("finance/payouts/", finance.payouts, name="payouts"),
    path("finance/payouts/<str:code>/", finance.payout_create, name="payout_create"),
    path("finance/settlement/", finance.settlement, name="settlement"),
    path("finance/verify/", finance.verification, name="verify"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
]
