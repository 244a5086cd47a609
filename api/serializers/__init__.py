"""What the API reads and writes, one module per resource. Output serializers describe
resources; input serializers validate a write and hand the domain services ready-made
values."""

from .adherence import AdherenceSerializer, AdherenceSummarySerializer
from .catalog import (
    ExerciseRefSerializer,
    ExerciseSerializer,
    ProgressionSerializer,
    ProgressionStepSerializer,
)
from .filters import (
    AlertFilter,
    PatientFilter,
    PrescriptionFilter,
    QueryDateTimeField,
    QueryFilter,
    RedFlagCheckFilter,
    SymptomLogFilter,
)
from .logs import (
    AlertSerializer,
    RedFlagCheckInputSerializer,
    RedFlagCheckSerializer,
    RedFlagQuestionsSerializer,
    SymptomLogInputSerializer,
    SymptomLogOutcomeSerializer,
    SymptomLogSerializer,
    red_flag_table,
)
from .patients import PatientSerializer
from .prescriptions import (
    HandoutParameters,
    ItemInputSerializer,
    PrescriptionInputSerializer,
    PrescriptionItemSerializer,
    PrescriptionSerializer,
    RevisionInputSerializer,
)
from .suggestions import (
    AcceptSuggestionInputSerializer,
    DismissSuggestionInputSerializer,
    SuggestionFilter,
    SuggestionSerializer,
)

__all__ = [
    "AcceptSuggestionInputSerializer",
    "AdherenceSerializer",
    "AdherenceSummarySerializer",
    "AlertFilter",
    "AlertSerializer",
    "DismissSuggestionInputSerializer",
    "ExerciseRefSerializer",
    "ExerciseSerializer",
    "HandoutParameters",
    "ItemInputSerializer",
    "PatientFilter",
    "PatientSerializer",
    "PrescriptionFilter",
    "PrescriptionInputSerializer",
    "PrescriptionItemSerializer",
    "PrescriptionSerializer",
    "ProgressionSerializer",
    "ProgressionStepSerializer",
    "QueryDateTimeField",
    "QueryFilter",
    "RedFlagCheckFilter",
    "RedFlagCheckInputSerializer",
    "RedFlagCheckSerializer",
    "RedFlagQuestionsSerializer",
    "RevisionInputSerializer",
    "SuggestionFilter",
    "SuggestionSerializer",
    "SymptomLogFilter",
    "SymptomLogInputSerializer",
    "SymptomLogOutcomeSerializer",
    "SymptomLogSerializer",
    "red_flag_table",
]
