"""The written records API: a case's documents, one document, its files and its actions."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from fullrecord.media.api.urls import OptionalSlashRouter

from .. import access, files, papers, services
from ..choices import PARTY_PAPER
from ..models import ApprovalStep, Document, DocumentType
from .serializers import (
    ContentSerializer,
    CorrectSerializer,
    DecisionSerializer,
    DocumentSerializer,
    DraftRequestSerializer,
    NotApplicableRequestSerializer,
    NotApplicableSerializer,
    PaperRequestSerializer,
    PartyChecklistSerializer,
    ScanRequestSerializer,
    ServiceRequestSerializer,
)

BINARY = {(200, "application/octet-stream"): OpenApiTypes.BINARY}


def _type(code: str) -> DocumentType:
    try:
        return DocumentType.objects.exclude(code=PARTY_PAPER).get(code=code, active=True)
    except DocumentType.DoesNotExist:
        raise Http404 from None


def _documents(case):
    return case.documents.select_related("doc_type").prefetch_related(
        Prefetch("steps", queryset=ApprovalStep.objects.select_related("decided_by")), "services"
    )


class CaseDocumentViewSet(viewsets.GenericViewSet):
    """The written records of a case (案卷): type, stage, 文号, version, status, SHA-256."""

    serializer_class = DocumentSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    pagination_class = None

    @extend_schema(responses=DocumentSerializer(many=True))
    def list(self, request: Request, pk=None) -> Response:
        case = access.get_case(request.user, pk)
        docs = _documents(case).order_by("doc_type__order", "version", "pk")
        return Response(DocumentSerializer(docs, many=True, context={"request": request}).data)

    @extend_schema(request=DraftRequestSerializer, responses={201: DocumentSerializer})
    def create(self, request: Request, pk=None) -> Response:
        case = access.get_case(request.user, pk)
        body = DraftRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        document = services.create_draft(
            case, _type(body.validated_data["type"]), actor=request.user
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": ScanRequestSerializer}, responses={201: DocumentSerializer}
    )
    @action(detail=False, methods=["post"])
    def scans(self, request: Request, pk=None) -> Response:
        case = access.get_case(request.user, pk)
        body = ScanRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        document = services.upload_scan(
            case,
            _type(body.validated_data["type"]),
            actor=request.user,
            name=upload.name,
            chunks=upload.chunks(),
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class CasePaperViewSet(viewsets.GenericViewSet):
    """The party's papers (第十条第三项): each party's checklist for the case's cause, what
    is filed, not applicable or missing; a scan filed against an item; an item marked not
    applicable with the reason."""

    serializer_class = PartyChecklistSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    pagination_class = None

    @extend_schema(responses=PartyChecklistSerializer(many=True))
    def list(self, request: Request, pk=None) -> Response:
        case = access.get_case(request.user, pk)
        return Response(PartyChecklistSerializer(papers.checklists(case), many=True).data)

    @extend_schema(
        request={"multipart/form-data": PaperRequestSerializer},
        responses={201: DocumentSerializer},
    )
    def create(self, request: Request, pk=None) -> Response:
        case = access.get_case(request.user, pk)
        body = PaperRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        document = services.upload_party_paper(
            case,
            body.validated_data["party"],
            body.validated_data["item"],
            actor=request.user,
            name=upload.name,
            chunks=upload.chunks(),
        )
        fresh = _documents(case).get(pk=document.pk)
        return Response(DocumentSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=NotApplicableRequestSerializer, responses={201: NotApplicableSerializer})
    @action(detail=False, methods=["post"], url_path="not-applicable")
    def not_applicable(self, request: Request, pk=None) -> Response:
        case = access.get_case(request.user, pk)
        body = NotApplicableRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        mark = services.mark_not_applicable(case, actor=request.user, **body.validated_data)
        return Response(NotApplicableSerializer(mark).data, status=status.HTTP_201_CREATED)


class DocumentViewSet(viewsets.GenericViewSet):
    """One written record and what may be done with it."""

    serializer_class = DocumentSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_object(self) -> Document:
        return access.get_document(self.request.user, self.kwargs["pk"])

    def _answer(self, document: Document, code: int = 200) -> Response:
        fresh = _documents(document.case).get(pk=document.pk)
        answer = DocumentSerializer(fresh, context={"request": self.request})
        return Response(answer.data, status=code)

    @extend_schema(responses=DocumentSerializer)
    def retrieve(self, request: Request, pk=None) -> Response:
        return self._answer(self.get_object())

    @extend_schema(request=ContentSerializer, responses=DocumentSerializer)
    def partial_update(self, request: Request, pk=None) -> Response:
        document = self.get_object()
        body = ContentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        document = services.update_content(
            document, actor=request.user, content=body.validated_data["content"]
        )
        return self._answer(document)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk=None):
        return files.respond(self.get_object(), "pdf", actor=request.user)

    @extend_schema(responses=BINARY)
    @action(detail=True, methods=["get"])
    def docx(self, request: Request, pk=None):
        return files.respond(self.get_object(), "docx", actor=request.user)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="approval-sheet")
    def approval_sheet(self, request: Request, pk=None):
        return files.respond(self.get_object(), "approval", actor=request.user)

    @extend_schema(request=None, responses=DocumentSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk=None) -> Response:
        return self._answer(services.submit(self.get_object(), actor=request.user))

    @extend_schema(request=DecisionSerializer, responses=DocumentSerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request: Request, pk=None) -> Response:
        document = self.get_object()
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.decide(document, actor=request.user, **body.validated_data)
        return self._answer(document)

    @extend_schema(request=None, responses=DocumentSerializer)
    @action(detail=True, methods=["post"])
    def issue(self, request: Request, pk=None) -> Response:
        return self._answer(services.issue(self.get_object(), actor=request.user))

    @extend_schema(request=CorrectSerializer, responses={201: DocumentSerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk=None) -> Response:
        document = self.get_object()
        body = CorrectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        new = services.correct(document, actor=request.user, reason=body.validated_data["reason"])
        return self._answer(new, status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": ServiceRequestSerializer},
        responses={201: DocumentSerializer},
    )
    @action(detail=True, methods=["post"])
    def service(self, request: Request, pk=None) -> Response:
        document = self.get_object()
        body = ServiceRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        proof = data.pop("proof", None)
        services.record_service(
            document,
            actor=request.user,
            proof_name=proof.name if proof else "",
            proof_chunks=proof.chunks() if proof else None,
            **data,
        )
        return self._answer(document, status.HTTP_201_CREATED)


router = OptionalSlashRouter()
router.register("documents", DocumentViewSet, basename="document")
