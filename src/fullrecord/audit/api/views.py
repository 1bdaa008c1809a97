"""The audit log over the API: search, one entry and its proof, tree heads, the public key.

Every endpoint answers 404 to a user without audit access and for an entry out of
their reach (``audit.access``); searching and exporting are recorded.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, renderer_classes
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from .. import merkle, services, signing
from ..access import get_entry, require_search, visible_entries
from ..models import SignedTreeHead
from ..queries import AuditFilterForm, describe, page, parse_before, record_search
from ..views import export_response
from .serializers import (
    AuditEntrySerializer,
    ConsistencyProofSerializer,
    InclusionProofSerializer,
    SignedTreeHeadSerializer,
)


class FileRenderer(BaseRenderer):
    """Lets a client ask for the file by its type; the view writes the bytes itself."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class CSVRenderer(FileRenderer):
    media_type, format = "text/csv", "csv"


class PDFRenderer(FileRenderer):
    media_type, format = "application/pdf", "pdf"


class PEMRenderer(FileRenderer):
    media_type, format = "application/x-pem-file", "pem"


class TextRenderer(FileRenderer):
    media_type, format = "text/plain", "txt"


FILTERS = [
    OpenApiParameter("case", str, description="Case number or id"),
    OpenApiParameter("object_type", str, description="e.g. media.mediaitem, cases.case"),
    OpenApiParameter("object_id", str),
    OpenApiParameter("actor", str, description="Username or user id"),
    OpenApiParameter("action", str, description="Prefix of the action, e.g. media. or account."),
    OpenApiParameter("since", OpenApiTypes.DATE, description="From this day (local time)"),
    OpenApiParameter("until", OpenApiTypes.DATE, description="To this day, inclusive"),
]


def _limit(request: Request, default: int = 50) -> int:
    try:
        return max(1, min(int(request.query_params.get("limit", default)), 500))
    except ValueError:
        raise ValidationError({"limit": "a whole number from 1 to 500"}) from None


def _before(request: Request) -> int | None:
    try:
        return parse_before(request.query_params.get("before"))
    except ValueError:
        raise ValidationError({"before": "a positive whole number"}) from None


def _filtered(request: Request):
    require_search(request.user)
    form = AuditFilterForm(request.query_params)
    if not form.is_valid():
        raise ValidationError(form.errors)
    return form, form.apply(visible_entries(request.user))


def _next(request: Request, before: int | None) -> str | None:
    if before is None:
        return None
    query = request.query_params.copy()
    query["before"] = str(before)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@extend_schema(
    operation_id="audit_entries_list",
    parameters=[*FILTERS, OpenApiParameter("before", int), OpenApiParameter("limit", int)],
    responses=inline_serializer(
        "AuditPage",
        {
            "results": AuditEntrySerializer(many=True),
            "next": serializers.CharField(allow_null=True),
        },
    ),
)
@api_view(["GET"])
def entry_list(request: Request) -> Response:
    """Entries the caller may read, newest first; follow ``next`` (keyset on ``seq``, no
    total is counted). Each search is itself recorded as ``audit.search``."""
    form, entries = _filtered(request)
    result = page(entries, _before(request), _limit(request))
    record_search(request.user, form.filters(), via="api", shown=len(result.items))
    return Response(
        {
            "results": AuditEntrySerializer(result.items, many=True).data,
            "next": _next(request, result.next_before),
        }
    )


@extend_schema(responses=AuditEntrySerializer)
@api_view(["GET"])
def entry_detail(request: Request, seq: int) -> Response:
    entry = get_entry(request.user, seq)
    describe([entry])
    return Response(AuditEntrySerializer(entry).data)


@extend_schema(
    parameters=[OpenApiParameter("tree_size", int, description="default: the latest head")],
    responses={200: InclusionProofSerializer, 409: OpenApiTypes.OBJECT},
)
@api_view(["GET"])
def entry_proof(request: Request, seq: int) -> Response:
    """The RFC 9162 inclusion proof of the entry in a signed tree head (the latest unless
    ``tree_size`` names another); 409 while no signed head covers the entry yet."""
    entry = get_entry(request.user, seq)
    heads = SignedTreeHead.objects.order_by("-tree_size")
    if size := request.query_params.get("tree_size"):
        try:
            heads = heads.filter(tree_size=int(size))
        except ValueError:
            raise ValidationError({"tree_size": "a whole number"}) from None
    head = heads.first()
    if head is None:
        raise NotFound("No signed tree head of that size.")
    if head.tree_size < entry.seq:
        return Response(
            {"detail": "No signed tree head covers this entry yet.", "tree_size": head.tree_size},
            status=409,
        )
    proof = services.inclusion_proof(entry.seq, head.tree_size)
    proof["tree_head"] = SignedTreeHeadSerializer(head).data
    proof["verified"] = proof["root_hash"] == head.root_hash and merkle.verify_inclusion(
        entry.seq - 1,
        head.tree_size,
        bytes.fromhex(entry.leaf_hash),
        [bytes.fromhex(node) for node in proof["path"]],
        bytes.fromhex(head.root_hash),
    )
    return Response(proof)


@extend_schema(
    operation_id="audit_tree_heads_list",
    parameters=[OpenApiParameter("before", int), OpenApiParameter("limit", int)],
    responses=inline_serializer(
        "TreeHeadPage",
        {
            "results": SignedTreeHeadSerializer(many=True),
            "next": serializers.CharField(allow_null=True),
        },
    ),
)
@api_view(["GET"])
def tree_heads(request: Request) -> Response:
    """Signed tree heads, largest first; verify each with the public key."""
    require_search(request.user)
    heads = SignedTreeHead.objects.order_by("-tree_size")
    if (before := _before(request)) is not None:
        heads = heads.filter(tree_size__lt=before)
    limit = _limit(request)
    rows = list(heads[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Response(
        {
            "results": SignedTreeHeadSerializer(rows, many=True).data,
            "next": _next(request, rows[-1].tree_size if more and rows else None),
        }
    )


@extend_schema(
    parameters=[
        OpenApiParameter("old", int, required=True, description="size of the older head"),
        OpenApiParameter("new", int, description="size of the newer head; default the latest"),
    ],
    responses=ConsistencyProofSerializer,
)
@api_view(["GET"])
def consistency(request: Request) -> Response:
    """The RFC 9162 consistency proof between two signed tree heads: the newer log
    extends the older one, nothing in it was changed or removed."""
    require_search(request.user)
    try:
        old_size = int(request.query_params["old"])
        new_raw = request.query_params.get("new")
        new_size = int(new_raw) if new_raw else None
    except (KeyError, ValueError):
        raise ValidationError({"old": "the sizes of two signed tree heads"}) from None
    heads = SignedTreeHead.objects.order_by("-tree_size")
    new_head = heads.filter(tree_size=new_size).first() if new_size else heads.first()
    old_head = heads.filter(tree_size=old_size).first()
    if old_head is None or new_head is None:
        raise NotFound("No signed tree head of that size.")
    if old_head.tree_size > new_head.tree_size:
        raise ValidationError({"old": "the older head must not be larger than the newer"})
    proof = services.consistency_proof(old_head.tree_size, new_head.tree_size)
    proof["old_head"] = SignedTreeHeadSerializer(old_head).data
    proof["new_head"] = SignedTreeHeadSerializer(new_head).data
    proof["verified"] = merkle.verify_consistency(
        old_head.tree_size,
        new_head.tree_size,
        bytes.fromhex(old_head.root_hash),
        bytes.fromhex(new_head.root_hash),
        [bytes.fromhex(node) for node in proof["path"]],
    )
    return Response(proof)


@extend_schema(responses={(200, "application/x-pem-file"): OpenApiTypes.STR})
@api_view(["GET"])
@renderer_classes([PEMRenderer, TextRenderer, JSONRenderer])
def public_key(request: Request) -> HttpResponse:
    """The bureau's Ed25519 public key (PEM) that signs tree heads now; ``?key_id=`` the
    key a head names, a retired one included when the key after it vouched for it."""
    require_search(request.user)
    wanted = request.query_params.get("key_id")
    if wanted:
        trusted, _ = services.trusted_keys()
        if wanted not in trusted:
            raise NotFound("No such audit signing key.")
        pem = signing.pem_of(trusted[wanted])
    else:
        pem = signing.public_key_pem()
    response = HttpResponse(pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = 'inline; filename="audit-public-key.pem"'
    return response


@extend_schema(
    parameters=FILTERS,
    responses={
        (200, "text/csv"): OpenApiTypes.BINARY,
        (200, "application/pdf"): OpenApiTypes.BINARY,
    },
)
@api_view(["GET"])
@renderer_classes([CSVRenderer, PDFRenderer, JSONRenderer])
def export(request: Request, kind: str) -> HttpResponse:
    """The matching entries as CSV (UTF-8 with BOM, streamed) or PDF; recorded as
    ``audit.export`` with the signed tree head the file is checked against."""
    form, entries = _filtered(request)
    return export_response(request.user, entries, form.filters(), kind)
