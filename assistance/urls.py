from django.urls import path

from assistance import views

app_name = "assistance"
urlpatterns = [
    path("assignments/", views.assignment_list, name="assignment_list"),
    path("assignments/new/", views.assignment_create, name="assignment_create"),
    path("assignments/<int:pk>/edit/", views.assignment_edit, name="assignment_edit"),
    path("missions/", views.mission_list, name="mission_list"),
    path("missions/new/", views.mission_create, name="mission_create"),
    path("missions/<int:pk>/", views.mission_detail, name="mission_detail"),
    path("missions/<int:pk>/edit/", views.mission_edit, name="mission_edit"),
    path("missions/<int:pk>/findings/new/", views.finding_create, name="finding_create"),
    path("missions/<int:pk>/labour-needs/new/", views.labour_need_create, name="labour_need_create"),
    path("findings/<int:pk>/edit/", views.finding_edit, name="finding_edit"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/history/", views.plan_history, name="plan_history"),
    path("plans/<int:pk>/as-of/", views.plan_as_of, name="plan_as_of"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("plans/<int:pk>/close/", views.plan_close, name="plan_close"),
    path("plans/<int:pk>/activities/new/", views.activity_create, name="activity_create"),
    path("activities/upcoming/", views.upcoming_list, name="upcoming_list"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    path("activities/<int:pk>/status/", views.activity_status, name="activity_status"),
    path("activities/<int:pk>/spending/new/", views.spending_create, name="spending_create"),
    path("activities/<int:pk>/items/new/", views.item_create, name="item_create"),
    path("activities/<int:pk>/beneficiaries/new/", views.beneficiary_choose, name="beneficiary_choose"),
    path("activities/<int:pk>/follow-ups/new/", views.follow_up_create, name="follow_up_create"),
    path("activities/<int:pk>/events/new/", views.event_create, name="event_create"),
    path("activities/<int:pk>/communication/new/", views.communication_create, name="communication_create"),
    path("activities/<int:pk>/participants/new/", views.participant_create, name="participant_create"),
    path("participants/<int:pk>/outcome/", views.outcome_create, name="outcome_create"),
]
