"""Team-written Vietnamese text for the demo and the measurements (R5.7, issue 22 item 7): no press text is copied.
Items are composed from the fragments below (a title, three to five sentences) for a theme and a place."""

from __future__ import annotations

import random
from dataclasses import dataclass

THEMES: dict[str, dict[str, list[str]]] = {
    "flood": {
        "title": [
            "Mưa lớn gây ngập sâu nhiều tuyến đường ở {place}",
            "Nước lũ dâng cao, người dân {place} khẩn trương di dời tài sản",
            "{place}: nhiều hộ dân bị cô lập do lũ",
            "Ngập úng kéo dài, học sinh {place} nghỉ học",
        ],
        "body": [
            "Từ đêm qua mưa to liên tục khiến mực nước trên các sông nhánh lên nhanh.",
            "Nhiều đoạn đường trũng ngập sâu từ 30 đến 50 cm, xe máy chết máy hàng loạt.",
            "Chính quyền địa phương đã cử lực lượng xung kích hỗ trợ người dân kê cao đồ đạc.",
            "Một số hộ dân ven sông phản ánh chưa nhận được thông báo sơ tán kịp thời.",
            "Người dân mong sớm có phương án nạo vét kênh thoát nước trước mùa mưa tới.",
            "Ban chỉ huy phòng chống thiên tai khuyến cáo không đi qua ngầm tràn khi nước chảy xiết.",
        ],
    },
    "landslide": {
        "title": ["Sạt lở bờ sông đe dọa nhà dân ở {place}", "Đường vào thôn tại {place} bị sạt lở, xe không qua được"],
        "body": [
            "Vết nứt dài hàng chục mét xuất hiện sau nhiều ngày mưa.",
            "Người dân lo lắng vì khoảng cách từ mép sạt lở đến nhà chỉ còn vài mét.",
            "Xã đã cắm biển cảnh báo và rào chắn tạm thời khu vực nguy hiểm.",
            "Đề nghị cấp trên sớm bố trí kinh phí kè bờ kiên cố.",
        ],
    },
    "traffic": {
        "title": ["Ùn tắc kéo dài giờ cao điểm tại nút giao ở {place}", "Va chạm giữa xe tải và xe máy tại {place}"],
        "body": [
            "Dòng xe nối dài gần hai cây số vào giờ tan tầm.",
            "Đèn tín hiệu tại nút giao hỏng từ đầu tuần nhưng chưa được sửa.",
            "Lực lượng cảnh sát giao thông đã có mặt phân luồng.",
            "Người đi đường phản ánh mặt đường xuống cấp, nhiều ổ gà lớn.",
        ],
    },
    "environment": {
        "title": ["Rác thải ùn ứ nhiều ngày ở chợ {place}", "Người dân {place} phản ánh mùi hôi từ cơ sở sản xuất"],
        "body": [
            "Rác chất thành đống bốc mùi hôi thối ảnh hưởng sinh hoạt của các hộ xung quanh.",
            "Xe thu gom không đến đúng lịch khiến tiểu thương bức xúc.",
            "Nước thải màu đen chảy thẳng ra kênh tưới tiêu của nông dân.",
            "Phòng Tài nguyên và Môi trường cho biết sẽ kiểm tra, xử lý nghiêm nếu có vi phạm.",
        ],
    },
    "services": {
        "title": ["{place} rút ngắn thời gian giải quyết thủ tục hành chính", "Cắt điện theo kế hoạch ở {place}"],
        "body": [
            "Trung tâm phục vụ hành chính công tiếp nhận hồ sơ trực tuyến cả ngày nghỉ.",
            "Người dân đánh giá thái độ phục vụ của cán bộ một cửa tận tình, chu đáo.",
            "Điện lực thông báo tạm ngừng cấp điện từ 7 giờ đến 11 giờ để bảo dưỡng đường dây.",
            "Theo thông báo của Ủy ban nhân dân, kết quả giải quyết được trả qua bưu điện.",
        ],
    },
    "health": {
        "title": ["Số ca sốt xuất huyết tăng tại {place}", "{place} ra quân diệt lăng quăng phòng dịch"],
        "body": [
            "Trạm y tế ghi nhận thêm nhiều ca bệnh trong tuần qua.",
            "Ngành y tế khuyến cáo người dân đậy kín dụng cụ chứa nước.",
            "Các đội tình nguyện phun thuốc khử khuẩn tại khu dân cư.",
            "Bệnh viện tuyến huyện quá tải, người bệnh phải nằm ghép.",
        ],
    },
}


@dataclass(frozen=True)
class Composed:
    theme: str
    title: str
    body: str


def compose(rng: random.Random, *, theme: str, place: str) -> Composed:
    """One item of `theme` about `place`: a title and three to five sentences, in a random order."""
    parts = THEMES[theme]
    title = rng.choice(parts["title"]).format(place=place)
    sentences = rng.sample(parts["body"], k=min(len(parts["body"]), rng.randint(3, 5)))
    return Composed(theme, title, " ".join(sentences))
