"""The dashboard's messages: the inbox and a patient's thread (namespace `messages:`)."""

from django.urls import path

from .views import messages

app_name = "messages"

urlpatterns = [
    path("messages/", messages.inbox, name="inbox"),
    path("patients/<int:pk>/messages/reply/", messages.reply, name="reply"),
    path("patients/<int:pk>/messages/read/", messages.read, name="read"),
    path("patients/<int:pk>/messages/assign/", messages.assign_thread, name="assign"),
]
