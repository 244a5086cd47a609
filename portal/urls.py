from django.urls import path

from . import hours, measures, messages, offline, reminders, session, views

app_name = "portal"

urlpatterns = [
    path("", views.today, name="today"),
    path("activate/<str:token>/", views.activate, name="activate"),
    path("exercises/<int:item_id>/log/", views.log_exercise, name="log"),
    path("logs/<int:log_id>/", views.logged, name="logged"),
    path("safety-check/", views.red_flags, name="red_flags"),
    path("safety-check/urgent/", views.urgent, name="urgent"),
    path("safety-check/doctor-today/", views.see_doctor, name="see_doctor"),
    path("session/", session.log_session, name="session"),
    path("session/saved/", session.session_logged, name="session_logged"),
    path("progress/", views.progress, name="progress"),
    path("questionnaire/", measures.fill_measures, name="measures"),
    path("reminders/", reminders.reminders, name="reminders"),
    path("reminders/calendar/", reminders.calendar, name="reminders_calendar"),
    path("reminders/push/", reminders.push_subscribe, name="push_subscribe"),
    path("calendar/<str:token>.ics", reminders.calendar_feed, name="calendar_feed"),
    path("manifest.webmanifest", reminders.manifest, name="manifest"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("offline/", offline.offline, name="offline"),
    path("offline/state/", offline.state, name="offline_state"),
    path("offline/device/", offline.device, name="offline_device"),
    path("hours/", hours.waking_hours, name="waking_hours"),
    path("messages/", messages.messages_page, name="messages"),
]
