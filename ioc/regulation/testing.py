"""A small act with one row of everything it can set, for other apps' tests and the crawl's fixture world."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ioc.regulation import services
from ioc.regulation.models import Act

if TYPE_CHECKING:
    from ioc.accounts.models import User

SAMPLE_TEXT = """QUYẾT ĐỊNH
Điều 1. Ban hành kèm theo Quyết định này Quy chế.
QUY CHẾ
Điều 1. Phạm vi điều chỉnh
Quy chế này quy định việc quản lý, vận hành Trung tâm IOC.
Điều 2. Nhiệm vụ
1. Tiếp nhận, điều phối xử lý phản ánh của người dân.
2. Kết nối, liên thông dữ liệu với IOC cấp trên.
3. Báo cáo tháng trước ngày 25; dữ liệu theo biểu mẫu vào thứ 2 và thứ 5.
Điều 3. Tổ chức
1. Trung tâm làm việc 24/24 giờ; họp 6 tháng một lần.
2. Hỗ trợ 1.000.000 đồng/người/tháng cho 03 nhân sự.
"""


def sample_regulation_load(*, actor: User, profile: str, seed: str = "999") -> Act:
    """The sample act of `profile`, loaded through the services like a real one."""
    act = services.act_set(
        actor=actor,
        profile=profile,
        seed=seed,
        number="01/QĐ-UBND",
        date=dt.date(2025, 7, 1),
        issuing_body="Ủy ban nhân dân tỉnh",
        title="Quy chế quản lý, vận hành Trung tâm giám sát, điều hành thông minh (mẫu)",
        level="province",
        text=SAMPLE_TEXT,
    )
    cite = f"{seed}:"
    services.duties_set(
        actor=actor,
        act=act,
        items=[
            {
                "code": "phan-anh",
                "title": "Điều phối xử lý phản ánh",
                "source": cite + "2.1",
                "carried_out_by": "url:citizen_reports:staff_index",
            },
            {
                "code": "lien-thong",
                "title": "Liên thông dữ liệu với IOC cấp trên",
                "source": cite + "2.2",
                "carried_out_by": "url:federation:index",
            },
        ],
    )
    services.monitored_domains_set(
        actor=actor, act=act, items=[{"code": "phan-anh", "name": "Phản ánh hiện trường", "source": cite + "2.1"}]
    )
    services.report_calendar_set(
        actor=actor,
        act=act,
        items=[
            {
                "code": "thang",
                "name": "Báo cáo tháng",
                "frequency": "monthly",
                "source": cite + "2.3",
                "due_day": 25,
                "due_rule": "Trước ngày 25 hằng tháng",
            }
        ],
    )
    services.template_cadence_set(
        actor=actor,
        act=act,
        items=[{"code": "bieu-mau", "weekdays": [1, 4], "description": "Thứ 2 và thứ 5", "source": cite + "2.3"}],
    )
    services.review_meetings_set(
        actor=actor,
        act=act,
        items=[
            {
                "code": "hop-6-thang",
                "name": "Họp 6 tháng",
                "frequency": "half_yearly",
                "organiser": "Văn phòng",
                "source": cite + "3.1",
            }
        ],
    )
    services.allowances_set(
        actor=actor,
        act=act,
        items=[
            {
                "code": "truc-tiep",
                "beneficiary": "Nhân sự tại Trung tâm",
                "amount_vnd": 1_000_000,
                "source": cite + "3.2",
            }
        ],
    )
    services.staffing_set(
        actor=actor,
        act=act,
        items=[
            {
                "code": "van-hanh",
                "title": "Nhân sự vận hành",
                "count": 3,
                "provided_by": "Trung tâm",
                "source": cite + "3.2",
            }
        ],
    )
    return act
