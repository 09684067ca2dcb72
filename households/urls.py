from django.urls import path

from households import (
    application_papers,
    application_views,
    decision_views,
    documents,
    exports,
    household_views,
    import_views,
    list_papers,
    meeting_papers,
    meeting_views,
    recognition_views,
    report_tables,
    request_views,
    round_views,
    summary_views,
)

app_name = "households"
urlpatterns = [
    path("", household_views.household_list, name="list"),
    path("export.xlsx", exports.households_xlsx, name="export"),
    path("new/", household_views.household_create, name="create"),
    path("<int:pk>/", household_views.household_detail, name="detail"),
    path("<int:pk>/edit/", household_views.household_edit, name="edit"),
    path("<int:pk>/history/", household_views.household_history, name="history"),
    path("<int:pk>/as-of/", household_views.household_as_of, name="as_of"),
    path("<int:pk>/members/new/", household_views.member_add, name="member_add"),
    path("members/<int:pk>/edit/", household_views.member_edit, name="member_edit"),
    path("members/<int:pk>/move/", household_views.member_move, name="member_move"),
    path("rounds/", round_views.round_list, name="rounds"),
    path("rounds/<int:pk>/", round_views.round_detail, name="round"),
    path("rounds/<int:pk>/results.xlsx", exports.round_results_xlsx, name="round_xlsx"),
    path("rounds/<int:pk>/move/", round_views.round_move, name="round_move"),
    path("rounds/<int:pk>/list-households/", round_views.round_list_households, name="round_list_households"),
    path("rounds/<int:pk>/complaints/", round_views.complaint_add, name="complaint_add"),
    path(
        "rounds/<int:pk>/complaints/<int:complaint_pk>/close/",
        round_views.complaint_resolve,
        name="complaint_resolve",
    ),
    path("reviews/<int:pk>/", round_views.survey, name="survey"),
    path("reviews/<int:pk>/preview/", round_views.survey_preview, name="survey_preview"),
    path("communes/<int:pk>/rounds/", round_views.commune_rounds, name="commune_rounds"),
    path("communes/<int:pk>/summary/", summary_views.commune_summary, name="commune_summary"),
    path(
        "communes/<int:pk>/summary/document/",
        documents.commune_summary_document,
        name="commune_summary_document",
    ),
    path(
        "communes/<int:pk>/summary/document.pdf",
        documents.commune_summary_document,
        {"as_pdf": True},
        name="commune_summary_document_pdf",
    ),
    path(
        "communes/<int:pk>/summary/document.xlsx",
        documents.commune_summary_xlsx,
        name="commune_summary_xlsx",
    ),
    path("summary/", summary_views.area_summary, name="summary"),
    path("imports/", import_views.import_list, name="imports"),
    path("imports/new/", import_views.import_new, name="import_new"),
    path("imports/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("imports/<int:pk>/run/", import_views.import_run, name="import_run"),
    path("imports/template/<slug:kind>.xlsx", import_views.import_template, name="import_template"),
    # Requests (form 01, form 04), their screening, and the list to review
    path("<int:pk>/requests/new/", request_views.household_request, name="household_request"),
    path("communes/<int:pk>/requests/", request_views.commune_requests, name="commune_requests"),
    path("requests/<int:pk>/", request_views.request_detail, name="request"),
    path("requests/<int:pk>/screening/", request_views.request_screen, name="request_screen"),
    path("requests/<int:pk>/accept/", request_views.request_accept, name="request_accept"),
    path("requests/<int:pk>/refuse/", request_views.request_refuse, name="request_refuse"),
    # The recognition: the decision's three lists
    path("rounds/<int:pk>/recognition/", recognition_views.round_recognition, name="round_recognition"),
    path(
        "rounds/<int:pk>/recognition.xlsx",
        recognition_views.round_recognition_xlsx,
        name="round_recognition_xlsx",
    ),
    # Village meetings
    path("rounds/<int:pk>/villages/<int:village_pk>/meeting/", meeting_views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting"),
    path(
        "meetings/<int:pk>/minutes-received/",
        meeting_views.meeting_minutes_received,
        name="meeting_minutes_received",
    ),
    path("meetings/<int:pk>/minutes/", meeting_papers.meeting_minutes, name="meeting_minutes"),
    path(
        "meetings/<int:pk>/minutes.pdf",
        meeting_papers.meeting_minutes,
        {"as_pdf": True},
        name="meeting_minutes_pdf",
    ),
    # Recognition on application (Decree 30/2025)
    path("<int:pk>/applications/new/", application_views.application_request, name="application_request"),
    path("applications/", application_views.application_list, name="applications"),
    path("applications/export.xlsx", application_views.applications_xlsx, name="applications_xlsx"),
    path("applications/candidates/", application_views.application_candidates, name="application_candidates"),
    path("applications/<int:pk>/", application_views.application_detail, name="application"),
    path("applications/<int:pk>/move/", application_views.application_move, name="application_move"),
    path(
        "applications/<int:pk>/complaints/",
        application_views.application_complaint_add,
        name="application_complaint_add",
    ),
    path(
        "applications/<int:pk>/complaints/<int:complaint_pk>/re-check/",
        application_views.application_complaint_recheck,
        name="application_complaint_recheck",
    ),
    # The review's papers (Circular 07/2021, issue 14), a block each
    # - papers 1, 3, 6: the list to review, the posted results, the complaint record, the refusal
    path("rounds/<int:pk>/to-review/", list_papers.round_to_review, name="round_to_review"),
    path(
        "rounds/<int:pk>/to-review.pdf",
        list_papers.round_to_review,
        {"as_pdf": True},
        name="round_to_review_pdf",
    ),
    path("rounds/<int:pk>/to-review.xlsx", list_papers.round_to_review_xlsx, name="round_to_review_xlsx"),
    path("rounds/<int:pk>/posted-results/", list_papers.round_posted_results, name="round_posted_results"),
    path(
        "rounds/<int:pk>/posted-results.pdf",
        list_papers.round_posted_results,
        {"as_pdf": True},
        name="round_posted_results_pdf",
    ),
    path(
        "rounds/<int:pk>/posted-results.xlsx",
        list_papers.round_posted_results_xlsx,
        name="round_posted_results_xlsx",
    ),
    path(
        "rounds/<int:pk>/complaints/<int:complaint_pk>/record/",
        list_papers.complaint_record,
        name="complaint_record",
    ),
    path(
        "rounds/<int:pk>/complaints/<int:complaint_pk>/record.pdf",
        list_papers.complaint_record,
        {"as_pdf": True},
        name="complaint_record_pdf",
    ),
    path("requests/<int:pk>/refusal/", list_papers.request_refusal, name="request_refusal"),
    path(
        "requests/<int:pk>/refusal.pdf",
        list_papers.request_refusal,
        {"as_pdf": True},
        name="request_refusal_pdf",
    ),
    # - paper 2: the village meetings' minutes
    path("rounds/<int:pk>/minutes/", meeting_papers.round_minutes, name="round_minutes"),
    path(
        "rounds/<int:pk>/minutes.pdf",
        meeting_papers.round_minutes,
        {"as_pdf": True},
        name="round_minutes_pdf",
    ),
    # - papers 4, 5: the chairman's decision with its annexes, the certificates
    path("rounds/<int:pk>/decision/", decision_views.round_decision, name="round_decision"),
    path(
        "rounds/<int:pk>/decision.pdf",
        decision_views.round_decision,
        {"as_pdf": True},
        name="round_decision_pdf",
    ),
    path("rounds/<int:pk>/certificates/", decision_views.round_certificates, name="round_certificates"),
    path(
        "rounds/<int:pk>/certificates.pdf",
        decision_views.round_certificates,
        {"as_pdf": True},
        name="round_certificates_pdf",
    ),
    path("reviews/<int:pk>/certificate/", decision_views.review_certificate, name="review_certificate"),
    path(
        "reviews/<int:pk>/certificate.pdf",
        decision_views.review_certificate,
        {"as_pdf": True},
        name="review_certificate_pdf",
    ),
    # - paper 7: the report tables
    path(
        "communes/<int:pk>/report-tables/", report_tables.commune_report_tables, name="commune_report_tables"
    ),
    path(
        "communes/<int:pk>/report-tables.pdf",
        report_tables.commune_report_tables,
        {"as_format": "pdf"},
        name="commune_report_tables_pdf",
    ),
    path(
        "communes/<int:pk>/report-tables.xlsx",
        report_tables.commune_report_tables,
        {"as_format": "xlsx"},
        name="commune_report_tables_xlsx",
    ),
    path(
        "districts/<int:pk>/report-tables/",
        report_tables.district_report_tables,
        name="district_report_tables",
    ),
    path(
        "districts/<int:pk>/report-tables.pdf",
        report_tables.district_report_tables,
        {"as_format": "pdf"},
        name="district_report_tables_pdf",
    ),
    path(
        "districts/<int:pk>/report-tables.xlsx",
        report_tables.district_report_tables,
        {"as_format": "xlsx"},
        name="district_report_tables_xlsx",
    ),
    path(
        "provinces/<int:pk>/report-tables/",
        report_tables.province_report_tables,
        name="province_report_tables",
    ),
    path(
        "provinces/<int:pk>/report-tables.pdf",
        report_tables.province_report_tables,
        {"as_format": "pdf"},
        name="province_report_tables_pdf",
    ),
    path(
        "provinces/<int:pk>/report-tables.xlsx",
        report_tables.province_report_tables,
        {"as_format": "xlsx"},
        name="province_report_tables_xlsx",
    ),
    # - paper 8: the farm-household and low-income-worker decisions
    path(
        "communes/<int:pk>/applications/<slug:kind>/<int:year>/<int:month>/posted/",
        application_papers.application_posted,
        name="application_posted",
    ),
    path(
        "communes/<int:pk>/applications/<slug:kind>/<int:year>/<int:month>/posted.pdf",
        application_papers.application_posted,
        {"as_pdf": True},
        name="application_posted_pdf",
    ),
    path(
        "communes/<int:pk>/applications/<slug:kind>/<int:year>/<int:month>/posted.xlsx",
        application_papers.application_posted_xlsx,
        name="application_posted_xlsx",
    ),
    path(
        "communes/<int:pk>/applications/<slug:kind>/<int:year>/<int:month>/decision/",
        application_papers.application_decision,
        name="application_decision",
    ),
    path(
        "communes/<int:pk>/applications/<slug:kind>/<int:year>/<int:month>/decision.pdf",
        application_papers.application_decision,
        {"as_pdf": True},
        name="application_decision_pdf",
    ),
    path(
        "communes/<int:pk>/applications/<slug:kind>/<int:year>/<int:month>/decision.xlsx",
        application_papers.application_decision_xlsx,
        name="application_decision_xlsx",
    ),
    path(
        "applications/<int:pk>/refusal/", application_papers.application_refusal, name="application_refusal"
    ),
    path(
        "applications/<int:pk>/refusal.pdf",
        application_papers.application_refusal,
        {"as_pdf": True},
        name="application_refusal_pdf",
    ),
]
