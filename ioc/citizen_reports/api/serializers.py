"""Serializers of the citizen-reports API (R3.5)."""

from __future__ import annotations

from rest_framework import serializers


class StatisticsRowSerializer(serializers.Serializer[dict[str, object]]):
    """R3.5: the figures of one group (or the totals)."""

    key = serializers.CharField(help_text="Mã nhóm: id, mã kênh, hoặc kỳ DHIS2 (202507, 2025W28, 20250714)")
    label = serializers.CharField(help_text="Tên nhóm / Group label")  # type: ignore[assignment]
    received = serializers.IntegerField(help_text="Tiếp nhận / Received")
    verified = serializers.IntegerField(help_text="Đã xác minh / Verified")
    rejected = serializers.IntegerField(help_text="Không tiếp nhận / Rejected")
    handled = serializers.IntegerField(help_text="Đã xử lý và công khai / Handled (published)")
    on_time = serializers.IntegerField(help_text="Xử lý đúng hạn / Handled on time")
    overdue = serializers.IntegerField(help_text="Quá hạn (đang mở quá hạn + xử lý trễ) / Overdue")
    avg_handling_hours = serializers.FloatField(
        allow_null=True, help_text="Giờ trung bình từ tiếp nhận đến công khai / Mean hours received → published"
    )
    rating_avg = serializers.FloatField(allow_null=True, help_text="Mức hài lòng trung bình 1–5 / Mean rating")
    rating_count = serializers.IntegerField(help_text="Số lượt đánh giá / Ratings")


class StatisticsSerializer(serializers.Serializer[dict[str, object]]):
    """R3.5: the reports received between start and end (inclusive, Asia/Ho_Chi_Minh), grouped."""

    start = serializers.DateField()
    end = serializers.DateField()
    group_by = serializers.CharField()
    rows = StatisticsRowSerializer(many=True)
    totals = StatisticsRowSerializer()
