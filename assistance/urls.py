from django.urls import path

from assistance import activity_views, documents, exports, mission_views, plan_views, views

app_name = "assistance"
urlpatterns = [
    path("assignments/", views.assignment_list, name="assignment_list"),
    path("assignments/new/", views.assignment_create, name="assignment_create"),
    path("assignments/<int:pk>/edit/", views.assignment_edit, name="assignment_edit"),
    path("missions/", mission_views.mission_list, name="mission_list"),
    path("missions/new/", mission_views.mission_create, name="mission_create"),
    path("missions/<int:pk>/", mission_views.mission_detail, name="mission_detail"),
    path("missions/<int:pk>/edit/", mission_views.mission_edit, name="mission_edit"),
    path("missions/<int:pk>/report/", documents.mission_report, name="mission_report"),
    path(
        "missions/<int:pk>/report.pdf", documents.mission_report, {"as_pdf": True}, name="mission_report_pdf"
    ),
    path("missions/<int:pk>/report.xlsx", documents.mission_xlsx, name="mission_xlsx"),
    path("missions/<int:pk>/photos/new/", documents.mission_photo_add, name="mission_photo_add"),
    path("mission-photos/<int:pk>/", documents.mission_photo, name="mission_photo"),
    path("missions/<int:pk>/findings/new/", mission_views.finding_create, name="finding_create"),
    path("missions/<int:pk>/labour-needs/new/", mission_views.labour_need_create, name="labour_need_create"),
    path("findings/<int:pk>/edit/", mission_views.finding_edit, name="finding_edit"),
    path("plans/", plan_views.plan_list, name="plan_list"),
    path("plans/new/", plan_views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/activities.xlsx", exports.plan_activities_xlsx, name="plan_activities_xlsx"),
    path("plans/<int:pk>/edit/", plan_views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/document/", documents.plan_document, name="plan_document"),
    path("plans/<int:pk>/document.pdf", documents.plan_document, {"as_pdf": True}, name="plan_document_pdf"),
    path("plans/<int:pk>/document.xlsx", documents.plan_xlsx, name="plan_xlsx"),
    path("plans/<int:pk>/history/", plan_views.plan_history, name="plan_history"),
    path("plans/<int:pk>/as-of/", plan_views.plan_as_of, name="plan_as_of"),
    path("plans/<int:pk>/approve/", plan_views.plan_approve, name="plan_approve"),
    path("plans/<int:pk>/close/", plan_views.plan_close, name="plan_close"),
    path("plans/<int:pk>/activities/new/", activity_views.activity_create, name="activity_create"),
    path("activities/upcoming/", activity_views.upcoming_list, name="upcoming_list"),
    path("activities/<int:pk>/", activity_views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/participants.xlsx", exports.participants_xlsx, name="participants_xlsx"),
    path("activities/<int:pk>/edit/", activity_views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", activity_views.activity_delete, name="activity_delete"),
    path("activities/<int:pk>/status/", activity_views.activity_status, name="activity_status"),
    path("activities/<int:pk>/spending/new/", activity_views.spending_create, name="spending_create"),
    path("activities/<int:pk>/items/new/", activity_views.item_create, name="item_create"),
    path(
        "activities/<int:pk>/beneficiaries/new/", activity_views.beneficiary_choose, name="beneficiary_choose"
    ),
    path("activities/<int:pk>/follow-ups/new/", activity_views.follow_up_create, name="follow_up_create"),
    path("activities/<int:pk>/events/new/", activity_views.event_create, name="event_create"),
    path(
        "activities/<int:pk>/communication/new/",
        activity_views.communication_create,
        name="communication_create",
    ),
    path(
        "activities/<int:pk>/participants/new/", activity_views.participant_create, name="participant_create"
    ),
    path("participants/<int:pk>/outcome/", activity_views.outcome_create, name="outcome_create"),
]
