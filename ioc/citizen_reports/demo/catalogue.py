"""The demo's citizen-report catalogue (R11, issue 3 item 9): the eight categories, who handles them, how often
they come in through the year, and the words citizens and agencies use. Data only; `demo.py` uses it.

Rates are reports per day for a province-sized territory (about 13 a day in all, ~4,700 a year) before the
seasonal factor (one factor per month, January first). Flooding comes in the rainy season (June–October);
garbage and urban order rise around Tết; fallen trees follow the storms of July–September; straw burning makes
June and October smoky.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    name_en: str
    group: str
    keywords: str
    default_agency: str  # agency code in the profile
    commune_routing: bool  # the commune committees (UBND xã) handle it in their communes
    handling_hours: float
    per_day: float
    months: tuple[float, ...]
    tet_factor: float = 1.0
    requires_leader_approval: bool = False
    evidence_photo_required: bool = True
    late_share: float = 0.15
    texts: tuple[str, ...] = ()
    results: tuple[str, ...] = ()


CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec(
        code="duong-hu-hong",
        name="Đường hư hỏng, ổ gà",
        name_en="Broken roads, potholes",
        group="Hạ tầng giao thông",
        keywords="ổ gà, sụt lún, nứt đường, hố ga",
        default_agency="so-xay-dung",
        commune_routing=False,
        handling_hours=40,
        per_day=2.4,
        months=(0.8, 0.7, 0.8, 0.9, 1.0, 1.2, 1.4, 1.5, 1.4, 1.2, 0.9, 0.8),
        late_share=0.22,
        texts=(
            "Mặt đường {street} có ổ gà lớn, sâu khoảng 20 cm, xe máy đi qua rất nguy hiểm.",
            "Đoạn {street} gần {landmark} bị sụt lún, nứt dài khoảng 10 m sau mưa.",
            "Nắp hố ga trên {street} bị vỡ, chưa có biển cảnh báo.",
            "Đường {street} bong tróc nhựa nhiều chỗ, trời mưa đọng nước thành vũng.",
        ),
        results=(
            "Đã vá ổ gà bằng bê tông nhựa nóng, cắm biển cảnh báo trong thời gian bảo dưỡng.",
            "Đã thay nắp hố ga mới và hoàn trả mặt đường.",
            "Đã khảo sát, đưa đoạn đường vào kế hoạch sửa chữa; tạm thời rào chắn, cảnh báo.",
        ),
    ),
    CategorySpec(
        code="rac-thai",
        name="Rác thải, vệ sinh môi trường",
        name_en="Garbage, sanitation",
        group="Môi trường",
        keywords="rác, bãi rác tự phát, thu gom rác, đổ trộm phế thải",
        default_agency="so-nn-mt",
        commune_routing=True,
        handling_hours=24,
        per_day=3.0,
        months=(1.2, 1.1, 0.9, 0.9, 1.0, 1.1, 1.1, 1.0, 1.0, 0.9, 0.9, 1.0),
        tet_factor=2.2,
        texts=(
            "Rác thải tồn đọng nhiều ngày ở {landmark} trên {street}, bốc mùi hôi.",
            "Có người đổ trộm phế thải xây dựng ven {street} vào ban đêm.",
            "Điểm tập kết rác gần {landmark} không được thu gom đúng giờ.",
            "Bãi rác tự phát hình thành cạnh mương nước đầu {street}.",
        ),
        results=(
            "Đã thu gom, vận chuyển toàn bộ rác tồn đọng; tăng tần suất thu gom tại điểm này.",
            "Đã dọn phế thải, lắp biển cấm đổ rác và giao tổ dân phố giám sát.",
        ),
    ),
    CategorySpec(
        code="ngap-ung",
        name="Ngập úng",
        name_en="Flooding",
        group="Hạ tầng đô thị",
        keywords="ngập, úng, cống tắc, thoát nước",
        default_agency="so-nn-mt",
        commune_routing=False,
        handling_hours=16,
        per_day=0.8,
        months=(0.05, 0.05, 0.1, 0.2, 0.5, 1.6, 2.6, 3.2, 3.0, 2.0, 0.6, 0.1),
        late_share=0.25,
        texts=(
            "Sau trận mưa lớn, {street} ngập sâu 30–40 cm, nhiều xe chết máy.",
            "Cống thoát nước tại {landmark} bị tắc, nước tràn vào nhà dân.",
            "Khu dân cư gần {landmark} ngập úng kéo dài hai ngày chưa rút.",
        ),
        results=(
            "Đã nạo vét cống, khơi thông dòng chảy; nước đã rút hết.",
            "Đã bố trí máy bơm tiêu úng, khu vực đã hết ngập.",
        ),
    ),
    CategorySpec(
        code="chieu-sang",
        name="Chiếu sáng công cộng",
        name_en="Street lighting",
        group="Hạ tầng đô thị",
        keywords="đèn đường, chiếu sáng, cột đèn",
        default_agency="so-xay-dung",
        commune_routing=False,
        handling_hours=24,
        per_day=1.4,
        months=(1.3, 1.2, 1.0, 0.9, 0.8, 0.8, 0.9, 1.0, 1.0, 1.1, 1.2, 1.3),
        texts=(
            "Cụm đèn đường trên {street} đoạn gần {landmark} không sáng nhiều đêm.",
            "Cột đèn chiếu sáng ở {landmark} bị nghiêng, có nguy cơ đổ.",
            "Đèn đường {street} sáng cả ban ngày, lãng phí điện.",
        ),
        results=(
            "Đã thay bóng đèn LED và sửa tủ điện điều khiển; hệ thống hoạt động bình thường.",
            "Đã dựng lại và gia cố cột đèn.",
        ),
    ),
    CategorySpec(
        code="cay-xanh",
        name="Cây xanh",
        name_en="Trees",
        group="Hạ tầng đô thị",
        keywords="cây đổ, gãy cành, cắt tỉa cây",
        default_agency="so-xay-dung",
        commune_routing=True,
        handling_hours=16,
        per_day=0.9,
        months=(0.6, 0.6, 0.7, 0.8, 1.0, 1.2, 1.8, 2.2, 1.9, 1.0, 0.7, 0.6),
        texts=(
            "Cây xanh trên {street} bị gãy cành lớn sau giông, chắn một nửa lòng đường.",
            "Cây trước {landmark} nghiêng nhiều, rễ bật lên, cần kiểm tra gấp.",
            "Cành cây chạm vào đường dây điện trên {street}.",
        ),
        results=(
            "Đã cắt bỏ cành gãy, dọn dẹp và thông đường.",
            "Đã chặt hạ cây nguy hiểm, sẽ trồng thay thế cây mới.",
        ),
    ),
    CategorySpec(
        code="trat-tu-do-thi",
        name="Trật tự đô thị",
        name_en="Urban order",
        group="Trật tự, an toàn",
        keywords="lấn chiếm vỉa hè, họp chợ, quảng cáo rao vặt, xây dựng trái phép",
        default_agency="so-xay-dung",
        commune_routing=True,
        handling_hours=40,
        per_day=2.0,
        months=(1.2, 1.1, 1.0, 1.0, 1.0, 0.9, 0.9, 0.9, 1.0, 1.0, 1.0, 1.1),
        tet_factor=1.6,
        late_share=0.2,
        texts=(
            "Hàng quán lấn chiếm vỉa hè {street}, người đi bộ phải xuống lòng đường.",
            "Họp chợ tự phát trước {landmark} gây ùn tắc giờ cao điểm.",
            "Công trình xây dựng gần {landmark} để vật liệu tràn ra đường.",
            "Dán quảng cáo rao vặt tràn lan trên cột điện {street}.",
        ),
        results=(
            "Tổ trật tự đô thị đã kiểm tra, nhắc nhở và yêu cầu các hộ kinh doanh thu dọn.",
            "Đã lập biên bản, xử phạt vi phạm hành chính và giải tỏa vỉa hè.",
        ),
    ),
    CategorySpec(
        code="o-nhiem",
        name="Ô nhiễm môi trường",
        name_en="Pollution",
        group="Môi trường",
        keywords="khói, bụi, nước thải, đốt rơm rạ, mùi hôi",
        default_agency="so-nn-mt",
        commune_routing=False,
        handling_hours=40,
        per_day=1.1,
        months=(0.8, 0.8, 0.9, 0.9, 1.1, 1.8, 1.0, 0.9, 1.0, 1.7, 1.0, 0.9),
        requires_leader_approval=True,
        late_share=0.25,
        texts=(
            "Xưởng sản xuất gần {landmark} xả khói đen, mùi khét vào buổi tối.",
            "Người dân đốt rơm rạ ven {street}, khói mù mịt ảnh hưởng giao thông.",
            "Nước thải màu đen chảy ra mương gần {landmark}, cá chết nổi.",
        ),
        results=(
            "Đoàn kiểm tra đã lấy mẫu, yêu cầu cơ sở dừng xả thải và khắc phục.",
            "Đã tuyên truyền, xử lý các trường hợp đốt rơm rạ.",
        ),
    ),
    CategorySpec(
        code="tieng-on",
        name="Tiếng ồn",
        name_en="Noise",
        group="Trật tự, an toàn",
        keywords="karaoke, loa kẹo kéo, ồn ào, công trình ban đêm",
        default_agency="cong-an-tinh",
        commune_routing=False,
        handling_hours=8,
        per_day=1.3,
        months=(1.1, 1.3, 0.9, 0.9, 1.0, 1.1, 1.2, 1.1, 0.9, 0.9, 0.9, 1.0),
        tet_factor=1.4,
        evidence_photo_required=False,
        texts=(
            "Hát karaoke bằng loa kẹo kéo quá 22 giờ tại {landmark}, ồn ào kéo dài.",
            "Công trình trên {street} thi công ban đêm gây ồn.",
            "Quán nhậu gần {landmark} mở nhạc to đến khuya.",
        ),
        results=(
            "Công an xã đã đến kiểm tra, nhắc nhở, các hộ đã chấm dứt gây ồn.",
            "Đã lập biên bản vi phạm hành chính về gây ồn ào, huyên náo.",
        ),
    ),
)

STREETS = (
    "Nguyễn Văn Linh",
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Điện Biên",
    "Phạm Ngũ Lão",
    "Chùa Chuông",
    "Lý Thường Kiệt",
    "Hai Bà Trưng",
    "Tô Hiệu",
    "Bãi Sậy",
    "quốc lộ 39",
    "quốc lộ 5",
    "đường tỉnh 376",
    "Lê Quý Đôn",
    "Kỳ Đồng",
)
LANDMARKS = (
    "chợ xã",
    "trường tiểu học",
    "trạm y tế",
    "nhà văn hóa thôn",
    "cổng khu công nghiệp",
    "ngã tư",
    "cầu bê tông",
    "đình làng",
    "bến xe",
    "công viên",
)
REJECT_REASONS = (
    "Nội dung không thuộc phạm vi tiếp nhận của Trung tâm (tranh chấp dân sự).",
    "Không xác minh được vị trí, người phản ánh không bổ sung thông tin.",
    "Vụ việc đang được Tòa án giải quyết.",
)
RETURN_REASONS = ("Không đúng thẩm quyền: vị trí thuộc đường do xã quản lý.",)
REOPEN_REASONS = (
    "Đã báo xử lý nhưng thực tế vẫn còn nguyên, đề nghị kiểm tra lại.",
    "Sau vài ngày tình trạng lại tái diễn.",
)
PROGRESS_NOTES = (
    "Đã cử cán bộ xuống hiện trường kiểm tra.",
    "Đã lên phương án, đang huy động nhân lực và vật tư.",
)
RATING_COMMENTS = ("Xử lý nhanh, cảm ơn.", "Cần làm kỹ hơn.", "Rất hài lòng.", "")
NAMES = (
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Văn Cường",
    "Phạm Thị Dung",
    "Hoàng Văn Em",
    "Vũ Thị Giang",
    "Đặng Văn Hải",
    "Bùi Thị Hoa",
)

# Channels and their shares: the web form, the citizens' app (Open311), e-mail, the hotline, social media.
CHANNEL_SHARES = (("web", 0.42), ("open311", 0.28), ("hotline", 0.15), ("email", 0.09), ("social", 0.06))
# Lunar New Year's Day (Tết) by year.
TET = {
    2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
    2028: dt.date(2028, 1, 26),
}
# Hour-of-day weights (local time): few at night, peaks in the morning and the evening.
HOURS = (1, 1, 1, 1, 1, 2, 4, 7, 9, 9, 8, 7, 6, 6, 7, 7, 8, 8, 9, 9, 8, 6, 4, 2)


def seasonal_rate(spec: CategorySpec, day: dt.date) -> float:
    """Expected reports of `spec` on `day`: base × month factor × Tết factor (±10 days) × weekday factor."""
    rate = spec.per_day * spec.months[day.month - 1]
    if spec.tet_factor != 1.0:
        for year in (day.year, day.year + 1):
            tet_day = TET.get(year)
            if tet_day is not None and -10 <= (day - tet_day).days <= 7:
                rate *= spec.tet_factor
                break
    if day.weekday() >= 5:
        rate *= 0.8
    return rate
