"""Secure messages for clinic systems: read threads and messages, send as the clinic,
mark a thread's messages read (docs/messages.md)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from messaging.models import Author, Message, Thread
from messaging.services import mark_read, send_as_clinic

from .serializers.messages import (
    MessageFilter,
    MessageInputSerializer,
    MessageSerializer,
    ThreadFilter,
    ThreadSerializer,
)
from .views import ClinicViewSet


class ThreadViewSet(ClinicViewSet):
    """One thread per patient who has written or been written to."""

    queryset = Thread.objects.select_related("assigned_to")
    serializer_class = ThreadSerializer
    filter_class = ThreadFilter
    audit_type = "thread"

    def get_queryset(self):
        return super().get_queryset().with_counts()

    @extend_schema(
        summary="Mark a thread read",
        description="Marks the patient's unread messages of this thread as read by the clinic.",
        request=None,
        responses={200: ThreadSerializer},
    )
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        thread = self.get_object()
        mark_read(thread=thread, reader=Author.CLINIC, by=self.acting_user, request=request)
        return Response(self.get_serializer(self.get_queryset().get(pk=thread.pk)).data)


class MessageViewSet(ClinicViewSet):
    """Messages between patients and the clinic, oldest first."""

    queryset = Message.objects.all()
    serializer_class = MessageSerializer
    filter_class = MessageFilter
    audit_type = "message"

    def get_queryset(self):
        return super().get_queryset().order_by("created_at", "pk")

    @extend_schema(
        summary="Send a message as the clinic",
        description=(
            "The patient is told there is a new message (never its words) and reads it in "
            "the portal. Text only: attachments are not supported."
        ),
        request=MessageInputSerializer,
        responses={201: MessageSerializer},
    )
    def create(self, request: Request) -> Response:
        data = self.validated(MessageInputSerializer)
        try:
            message = send_as_clinic(
                patient=data["patient"], body=data["body"], by=self.acting_user, request=request
            )
        except ValidationError as error:
            raise serializers.ValidationError(
                error.message_dict if hasattr(error, "error_dict") else {"body": error.messages}
            ) from error
        return Response(self.get_serializer(message).data, status=status.HTTP_201_CREATED)
