"""R8.2: the reminders of the report calendar (notification templates, Vietnamese first)."""

TEMPLATES = (
    (
        "reporting.due_soon",
        "[IOC] Sắp đến hạn nộp {{ name }} kỳ {{ period }}",
        "Báo cáo “{{ name }}” kỳ {{ period }} phải gửi {{ recipient }} trước ngày {{ due_on }} ({{ due_rule }}).\n"
        "Dự thảo: {{ url }}",
        "[IOC] {{ name }} for {{ period }} is due soon",
        "The report “{{ name }}” for {{ period }} is due to {{ recipient }} by {{ due_on }} ({{ due_rule }}).\n"
        "Draft: {{ url }}",
    ),
    (
        "reporting.overdue",
        "[IOC] Quá hạn nộp {{ name }} kỳ {{ period }}",
        "Báo cáo “{{ name }}” kỳ {{ period }} đã quá hạn ngày {{ due_on }} ({{ due_rule }}) mà chưa ban hành.\n"
        "Dự thảo: {{ url }}",
        "[IOC] {{ name }} for {{ period }} is overdue",
        "The report “{{ name }}” for {{ period }} was due by {{ due_on }} ({{ due_rule }}) and is not issued.\n"
        "Draft: {{ url }}",
    ),
)
