"""Adherence as the API gives it: sessions logged against sessions prescribed.

Worked out from the overview stored on the patient (prescriptions/adherence.py),
without a query; "due" counts the sessions whose time has passed, or that are
already logged, since the program was activated.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from prescriptions.adherence import Day, Figures, Ratio

ADHERENCE_STATUSES = ["no_program", "new", "measured"]


class RatioSerializer(serializers.Serializer):
    logged = serializers.IntegerField(help_text="Sessions logged.")
    due = serializers.IntegerField(help_text="Sessions due so far.")
    percent = serializers.IntegerField(
        allow_null=True, help_text="logged / due in percent; null while nothing is due."
    )

    def to_representation(self, ratio: Ratio) -> dict[str, Any]:
        return {"logged": ratio.logged, "due": ratio.due, "percent": ratio.percent}


class DaySerializer(serializers.Serializer):
    date = serializers.DateField()
    prescribed = serializers.IntegerField(help_text="Sessions prescribed that day.")
    logged = serializers.IntegerField()
    due = serializers.IntegerField()
    slots = serializers.ListField(
        child=serializers.ChoiceField(choices=["done", "missed", "open", "off"]),
        help_text=(
            "Each session of the day in order: done, missed, open (its time has not "
            "passed yet) or off (before activation or after the program ended)."
        ),
    )

    def to_representation(self, day: Day) -> dict[str, Any]:
        return {
            "date": day.day.isoformat(),
            "prescribed": day.prescribed,
            "logged": day.logged,
            "due": day.due,
            "slots": list(day.slots),
        }


class AdherenceSummarySerializer(serializers.Serializer):
    """The patient's adherence in brief (the `adherence` field of a patient)."""

    status = serializers.ChoiceField(
        choices=ADHERENCE_STATUSES,
        help_text="no_program: no program in use; new: in use, nothing due yet.",
    )
    last_7_days = RatioSerializer()
    previous_7_days = RatioSerializer()
    trend = serializers.ChoiceField(
        choices=["up", "down", "same", ""],
        help_text="Last 7 days against the 7 before (10 points or more); empty without both.",
    )
    today = DaySerializer()
    streak_days = serializers.IntegerField(
        help_text="Days in a row with every prescribed session logged (today once kept up)."
    )

    def to_representation(self, figures: Figures) -> dict[str, Any]:
        if not figures.started:
            status = "no_program"
        elif figures.percent is None:
            status = "new"
        else:
            status = "measured"
        return {
            "status": status,
            "last_7_days": RatioSerializer(figures.week).data,
            "previous_7_days": RatioSerializer(figures.previous_week).data,
            "trend": figures.trend,
            "today": DaySerializer(figures.today).data,
            "streak_days": figures.streak,
        }


class AdherenceSerializer(AdherenceSummarySerializer):
    """A patient's adherence with the figure since the start and the last 7 days."""

    since_start = RatioSerializer()
    days = DaySerializer(many=True, help_text="The last 7 days, oldest first.")
    wake_start = serializers.CharField(help_text="Sessions are spread over the waking hours.")
    wake_end = serializers.CharField()

    def to_representation(self, figures: Figures) -> dict[str, Any]:
        patient = self.context["patient"]
        return {
            **super().to_representation(figures),
            "since_start": RatioSerializer(figures.since_start).data,
            "days": [DaySerializer(day).data for day in figures.calendar],
            "wake_start": patient.wake_start.strftime("%H:%M"),
            "wake_end": patient.wake_end.strftime("%H:%M"),
        }
