"""The commune chairman's decision of a round with its annexes, and the certificates it issues, as
print pages and PDFs (the annexes' workbook is recognition_views.round_recognition_xlsx)."""

from django.http import Http404
from django.utils import translation

from core import documents
from households import decision
from households.access import get_review_for, get_round_for

TEMPLATE_DECISION = "households/print_decision.html"
TEMPLATE_CERTIFICATES = "households/print_certificates.html"


def round_decision(request, pk, as_pdf=False):
    """The decision and its three annexes; a draft (blank number, no lists) before the decision."""
    review_round = get_round_for(request.user, pk)
    with translation.override("vi"):
        context = decision.decision_context(review_round, request.user)
    filename = f"quyet-dinh-cong-nhan-{review_round.commune.code}-{review_round.list_year}-{pk}.pdf"
    return documents.document_response(
        request, TEMPLATE_DECISION, context, pdf_filename=filename if as_pdf else None
    )


def round_certificates(request, pk, as_pdf=False):
    """Every certificate the round's decision issued, a sheet each, in number order."""
    review_round = get_round_for(request.user, pk)
    with translation.override("vi"):
        certificates = decision.certificates_of(review_round, request.user)
        context = decision.certificates_context(review_round, certificates, request.user)
    filename = f"giay-chung-nhan-{review_round.commune.code}-{review_round.list_year}-{pk}.pdf"
    return documents.document_response(
        request,
        TEMPLATE_CERTIFICATES,
        context,
        pdf_filename=filename if as_pdf else None,
        split="certificates",
    )


def review_certificate(request, pk, as_pdf=False):
    """One household's certificate, from the review its round's decision recognised."""
    review = get_review_for(request.user, pk)
    with translation.override("vi"):
        certificates = decision.certificates_of(review.round, request.user, review_pk=review.pk)
        if not certificates:
            raise Http404("This review has no certificate.")
        context = decision.certificates_context(review.round, certificates, request.user)
    context |= {"review": review, "household": review.household}
    filename = f"giay-chung-nhan-{review.household.code}-{review.round.list_year}.pdf"
    return documents.document_response(
        request, TEMPLATE_CERTIFICATES, context, pdf_filename=filename if as_pdf else None
    )
