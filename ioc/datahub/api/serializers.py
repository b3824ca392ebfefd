"""Shapes of the data hub's API (R1.2): the import summary of a push, a submission."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ioc.datahub.models import IngestJob, Submission


class ConflictSerializer(serializers.Serializer[dict[str, Any]]):
    row = serializers.IntegerField(help_text="Dòng (tệp: số dòng bảng tính, tiêu đề là dòng 1; JSON: thứ tự từ 1)")
    field = serializers.CharField()
    value = serializers.CharField()
    reason = serializers.CharField()


class SubmissionLinkSerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    url = serializers.CharField()


class PushResultSerializer(serializers.Serializer[dict[str, Any]]):
    """The shared import summary (`ioc.common.imports`) with the stored submission and its quality."""

    dry_run = serializers.BooleanField()
    status = serializers.CharField(help_text="accepted, partial, rejected")
    imported = serializers.IntegerField()
    updated = serializers.IntegerField()
    ignored = serializers.IntegerField(help_text="Dòng gửi lại không đổi / Rows sent again unchanged")
    rejected = serializers.IntegerField()
    conflicts = ConflictSerializer(many=True)
    quality = serializers.DictField(help_text="Đúng, đủ, sạch (R1.4)")
    submission = SubmissionLinkSerializer(allow_null=True)


class PushBodySerializer(serializers.Serializer[dict[str, Any]]):
    """A JSON push: rows keyed by the schema's field names. CSV (text/csv) and .xlsx bodies are also taken."""

    rows = serializers.ListField(child=serializers.DictField())
    period = serializers.CharField(required=False, help_text="Kỳ DHIS2 (2025, 2025Q3, 202507…)")


class SubmissionSerializer(serializers.ModelSerializer[Submission]):
    status = serializers.CharField(help_text="accepted, partial, rejected")
    channel = serializers.CharField(help_text="push, pull, upload, form")
    dataset = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = Submission
        fields = [
            "id",
            "dataset",
            "agency",
            "channel",
            "received_at",
            "period",
            "status",
            "rows_total",
            "rows_imported",
            "rows_updated",
            "rows_unchanged",
            "rows_rejected",
            "errors",
            "quality",
        ]


class JobSerializer(serializers.ModelSerializer[IngestJob]):
    """A large import: its state, where to follow it, and its submission once done."""

    url = serializers.SerializerMethodField()
    submission = serializers.SerializerMethodField()
    dataset = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = IngestJob
        fields = ["id", "dataset", "state", "created_at", "attempts", "last_error", "url", "submission"]

    def get_url(self, job: IngestJob) -> str:
        return reverse("datahub_api:job", kwargs={"pk": job.pk})

    @extend_schema_field(SubmissionLinkSerializer(allow_null=True))
    def get_submission(self, job: IngestJob) -> dict[str, Any] | None:
        if job.submission_id is None:
            return None
        return {"id": job.submission_id, "url": reverse("datahub_api:submission", kwargs={"pk": job.submission_id})}
