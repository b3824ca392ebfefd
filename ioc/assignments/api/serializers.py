"""Serializers of the agency-work API (R3.3)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ioc.assignments import selectors
from ioc.assignments.choices import TEXT_MAX, DeadlineState
from ioc.assignments.models import Assignment, AssignmentUpdate, Evidence


class AssignmentSerializer(serializers.ModelSerializer[Assignment]):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    deadline_state = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "process",
            "subject_id",
            "subject_label",
            "category_code",
            "agency",
            "agency_name",
            "unit",
            "status",
            "working_hours",
            "forwarded_at",
            "at_risk_at",
            "deadline_at",
            "deadline_state",
            "accept_deadline_at",
            "accept_escalated_at",
            "accepted_at",
            "resolved_at",
            "confirmed_at",
            "closed_at",
            "escalation_level",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=DeadlineState.choices))
    def get_deadline_state(self, obj: Assignment) -> str:
        rank = getattr(obj, "deadline_rank", None)
        if rank is not None:
            return str(selectors.STATE_BY_RANK[rank].value)
        return str(selectors.deadline_state(assignment=obj).value)


class UpdateSerializer(serializers.ModelSerializer[AssignmentUpdate]):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = AssignmentUpdate
        fields = ["id", "kind", "at", "actor", "text", "is_public"]

    def get_actor(self, obj: AssignmentUpdate) -> str | None:
        return str(obj.actor) if obj.actor_id else None


class EvidenceSerializer(serializers.ModelSerializer[Evidence]):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "content_type", "sha256", "uploaded_at", "is_public", "url"]

    def get_url(self, obj: Evidence) -> str:
        return reverse("assignments:evidence", args=[obj.assignment_id, obj.pk])


class AssignmentDetailSerializer(AssignmentSerializer):
    updates = UpdateSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta(AssignmentSerializer.Meta):
        fields = [
            *AssignmentSerializer.Meta.fields,
            "instructions",
            "return_reason",
            "resolution",
            "updates",
            "evidence",
        ]


def _text(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(max_length=TEXT_MAX, trim_whitespace=True, **kwargs)


class ReturnInputSerializer(serializers.Serializer[Any]):
    reason = _text(help_text="Lý do trả lại (bắt buộc) / Why the work is returned (required)")


class ProgressInputSerializer(serializers.Serializer[Any]):
    text = _text(help_text="Nội dung cập nhật / Progress note")
    is_public = serializers.BooleanField(default=False, help_text="Công khai cho người dân / Shown to the public")


class ResolveInputSerializer(serializers.Serializer[Any]):
    resolution = _text(help_text="Kết quả xử lý / The result")
    evidence = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="Ảnh minh chứng (multipart, lặp lại trường) / Evidence photos (multipart, repeat the field)",
    )
