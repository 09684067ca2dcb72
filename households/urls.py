from django.urls import path

from households import (
    documents,
    exports,
    household_views,
    import_views,
    recognition_views,
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
    path("<int:pk>/ad-hoc-review/", household_views.ad_hoc_request, name="ad_hoc_request"),
    path("<int:pk>/farm-average/", household_views.farm_average_request, name="farm_average_request"),
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
    path("farm-average/", household_views.farm_average_list, name="farm_average"),
    path("farm-average/<int:pk>/decide/", household_views.farm_average_decide, name="farm_average_decide"),
    path("imports/", import_views.import_list, name="imports"),
    path("imports/new/", import_views.import_new, name="import_new"),
    path("imports/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("imports/<int:pk>/run/", import_views.import_run, name="import_run"),
    path("imports/template/<slug:kind>.xlsx", import_views.import_template, name="import_template"),
    # The recognition: the decision's three lists
    path("rounds/<int:pk>/recognition/", recognition_views.round_recognition, name="round_recognition"),
    path(
        "rounds/<int:pk>/recognition.xlsx",
        recognition_views.round_recognition_xlsx,
        name="round_recognition_xlsx",
    ),
]
