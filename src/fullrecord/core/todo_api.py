"""``GET /api/todo/``: the caller's to-do queue (待办), as the dashboard shows it."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import todo


class TodoItemSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="A stable key, e.g. case.move or access.decide.")
    title = serializers.CharField()
    url = serializers.CharField(help_text="The page where the work is done.")
    subject = serializers.CharField(help_text="What it is about, e.g. the case number.")
    due = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()


class TodoView(APIView):
    """Everything that waits for the caller, overdue first, then by due date."""

    @extend_schema(responses=TodoItemSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(TodoItemSerializer(todo.items_for(request.user), many=True).data)
