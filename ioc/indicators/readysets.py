"""R2.5: the ready indicator sets — socio-economic and per sector — as data, loaded per the profile's monitored
domains (`ioc.regulation.selectors.monitored_domains()`; all sets when the act names none).

Each entry carries its definition. Its citation is the article of the act that names the domain the set serves
(`004:6.1`) when the profile's act has one; otherwise "đề xuất" (proposed): no national statistical indicator code is
claimed here that has not been checked against the official list.
"""

from __future__ import annotations

from dataclasses import dataclass

from ioc.indicators.choices import Aggregation as A
from ioc.indicators.choices import Direction as D
from ioc.indicators.choices import Source

TC = ("territory", "commune")
T = ("territory",)


@dataclass(frozen=True)
class Ready:
    code: str
    name: str
    name_en: str
    unit_label: str
    sector: str
    definition: str
    levels: tuple[str, ...] = TC
    period_type: str = "month"
    aggregation: str = A.SUM
    direction: str = D.HIGHER
    formula: str = ""
    weight_code: str = ""
    allow_negative: bool = False
    range_low: float | None = None
    range_high: float | None = None


# The sector of each set → the monitored-domain codes (any profile's act) that call for it.
SECTOR_DOMAINS: dict[str, frozenset[str]] = {
    "kinh-te": frozenset({"kinh-te-xa-hoi"}),
    "y-te": frozenset({"y-te", "nganh-linh-vuc"}),
    "giao-duc": frozenset({"giao-duc", "nganh-linh-vuc"}),
    "du-lich": frozenset({"du-lich", "nganh-linh-vuc"}),
    "moi-truong": frozenset({"tai-nguyen-moi-truong", "moi-truong", "nganh-linh-vuc"}),
    "an-ninh-trat-tu": frozenset({"an-ninh-trat-tu", "an-ninh-trat-tu-giao-thong"}),
    "giao-thong": frozenset({"giao-thong", "an-ninh-trat-tu-giao-thong"}),
    "hanh-chinh-cong": frozenset({"hanh-chinh-cong", "hieu-qua-chinh-quyen", "dich-vu-cong"}),
    "tuong-tac": frozenset({"tuong-tac-cong-dan", "phan-anh-hien-truong", "tuong-tac"}),
    "an-toan-thong-tin": frozenset({"an-toan-thong-tin"}),
}
# The agency usually responsible for a sector, by the codes the profiles use (first found wins).
SECTOR_AGENCIES: dict[str, tuple[str, ...]] = {
    "kinh-te": ("so-tai-chinh", "so-khdt", "vp-ubnd-tinh", "vp-hdnd-ubnd-huyen"),
    "y-te": ("so-y-te", "trung-tam-y-te"),
    "giao-duc": ("so-gd-dt", "phong-gd-dt"),
    "du-lich": ("so-vh-tt-dl", "phong-vh-tt", "so-cong-thuong", "so-tai-chinh"),
    "moi-truong": ("so-nn-mt", "phong-nn-mt"),
    "an-ninh-trat-tu": ("cong-an-tinh", "cong-an-huyen"),
    "giao-thong": ("so-xay-dung", "phong-kt-ht-dt", "cong-an-tinh", "cong-an-huyen"),
    "hanh-chinh-cong": ("so-noi-vu", "vp-ubnd-tinh", "bql-tthc-ct", "vp-hdnd-ubnd-huyen"),
    "tuong-tac": ("ioc-tinh", "tt-thong-tin-hoi-nghi", "to-qlvh-ioc", "tt-cntt-tt"),
    "an-toan-thong-tin": ("so-khcn", "so-tttt", "tt-cntt-tt"),
}

READY: tuple[Ready, ...] = (
    # --- socio-economic ---------------------------------------------------------------------------------------
    Ready("grdp_tang_truong", "Tốc độ tăng trưởng GRDP", "GRDP growth rate", "%", "kinh-te",
          "Tốc độ tăng tổng sản phẩm trên địa bàn so với cùng kỳ năm trước, theo giá so sánh.",
          levels=T, period_type="quarter", aggregation=A.LAST, allow_negative=True),
    Ready("thu_ngan_sach", "Thu ngân sách nhà nước trên địa bàn", "State budget revenue", "tỷ đồng", "kinh-te",
          "Tổng các khoản thu ngân sách nhà nước phát sinh trên địa bàn trong kỳ."),
    Ready("chi_ngan_sach", "Chi ngân sách địa phương", "Local budget spending", "tỷ đồng", "kinh-te",
          "Tổng chi ngân sách địa phương trong kỳ (chi đầu tư phát triển và chi thường xuyên).",
          direction=D.LOWER),
    Ready("can_doi_ngan_sach", "Cân đối thu - chi ngân sách", "Budget balance", "tỷ đồng", "kinh-te",
          "Thu ngân sách trừ chi ngân sách trong kỳ.", formula="thu_ngan_sach - chi_ngan_sach",
          allow_negative=True),
    Ready("von_dau_tu_cong_ke_hoach", "Kế hoạch vốn đầu tư công", "Public investment plan", "tỷ đồng", "kinh-te",
          "Vốn đầu tư công được giao theo kế hoạch, phân bổ theo kỳ."),
    Ready("giai_ngan_dau_tu_cong", "Giải ngân vốn đầu tư công", "Public investment disbursed", "tỷ đồng", "kinh-te",
          "Vốn đầu tư công đã giải ngân trong kỳ."),
    Ready("ty_le_giai_ngan", "Tỷ lệ giải ngân vốn đầu tư công", "Public investment disbursement rate", "%",
          "kinh-te", "Giải ngân vốn đầu tư công chia cho kế hoạch vốn của kỳ, nhân 100.",
          formula="giai_ngan_dau_tu_cong * 100 / von_dau_tu_cong_ke_hoach", aggregation=A.NONE),
    Ready("kim_ngach_xuat_khau", "Kim ngạch xuất khẩu", "Exports", "triệu USD", "kinh-te",
          "Tổng trị giá hàng hóa xuất khẩu của doanh nghiệp trên địa bàn trong kỳ.", levels=T),
    Ready("ban_le_hang_hoa", "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng", "Retail sales", "tỷ đồng",
          "kinh-te", "Doanh thu bán lẻ hàng hóa và dịch vụ tiêu dùng trên địa bàn trong kỳ."),
    Ready("cpi", "Chỉ số giá tiêu dùng (so với cùng kỳ)", "Consumer price index (year on year)", "%", "kinh-te",
          "Chỉ số giá tiêu dùng bình quân kỳ so với cùng kỳ năm trước (năm trước = 100).", levels=T,
          aggregation=A.LAST, direction=D.RANGE, range_low=100.0, range_high=104.5),
    Ready("doanh_nghiep_moi", "Doanh nghiệp thành lập mới", "New enterprises", "doanh nghiệp", "kinh-te",
          "Số doanh nghiệp được cấp giấy chứng nhận đăng ký doanh nghiệp mới trong kỳ."),
    Ready("von_fdi", "Vốn đầu tư trực tiếp nước ngoài đăng ký", "FDI registered", "triệu USD", "kinh-te",
          "Vốn FDI đăng ký cấp mới và tăng thêm trong kỳ.", levels=T),
    Ready("ty_le_ho_ngheo", "Tỷ lệ hộ nghèo", "Poverty rate", "%", "kinh-te",
          "Số hộ nghèo theo chuẩn nghèo đa chiều chia cho tổng số hộ, nhân 100.", period_type="year",
          aggregation=A.WEIGHTED_MEAN, weight_code="so_ho", direction=D.LOWER),
    Ready("so_ho", "Số hộ dân cư", "Households", "hộ", "kinh-te", "Số hộ dân cư thường trú cuối năm.",
          period_type="year"),
    # --- health -----------------------------------------------------------------------------------------------
    Ready("luot_kham_benh", "Lượt khám, chữa bệnh", "Medical consultations", "lượt", "y-te",
          "Tổng lượt khám, chữa bệnh tại cơ sở y tế trên địa bàn trong kỳ."),
    Ready("ty_le_bhyt", "Tỷ lệ dân số tham gia bảo hiểm y tế", "Health insurance coverage", "%", "y-te",
          "Số người có thẻ bảo hiểm y tế còn hạn chia cho dân số, nhân 100.", aggregation=A.MEAN),
    Ready("ca_sot_xuat_huyet", "Ca mắc sốt xuất huyết", "Dengue cases", "ca", "y-te",
          "Số ca mắc sốt xuất huyết được ghi nhận trong kỳ.", direction=D.LOWER),
    Ready("ty_le_tiem_chung", "Tỷ lệ trẻ em dưới 1 tuổi tiêm chủng đầy đủ", "Full immunisation under 1", "%",
          "y-te", "Trẻ dưới 1 tuổi được tiêm đủ các mũi vắc xin chia cho số trẻ dưới 1 tuổi, nhân 100.",
          aggregation=A.MEAN),
    # --- education --------------------------------------------------------------------------------------------
    Ready("ty_le_di_hoc_dung_tuoi", "Tỷ lệ đi học đúng tuổi cấp tiểu học", "Primary net enrolment", "%", "giao-duc",
          "Học sinh tiểu học đúng độ tuổi chia cho dân số trong độ tuổi, nhân 100.", period_type="year",
          aggregation=A.MEAN),
    Ready("truong_dat_chuan", "Tỷ lệ trường đạt chuẩn quốc gia", "Schools meeting national standard", "%",
          "giao-duc", "Số trường đạt chuẩn quốc gia chia cho tổng số trường, nhân 100.", period_type="year",
          aggregation=A.MEAN),
    Ready("hoc_sinh_bo_hoc", "Học sinh bỏ học", "School dropouts", "học sinh", "giao-duc",
          "Số học sinh phổ thông bỏ học trong kỳ.", period_type="quarter", direction=D.LOWER),
    # --- tourism ----------------------------------------------------------------------------------------------
    Ready("khach_du_lich", "Lượt khách du lịch", "Tourist arrivals", "lượt", "du-lich",
          "Tổng lượt khách du lịch (nội địa và quốc tế) đến địa bàn trong kỳ."),
    Ready("khach_quoc_te", "Lượt khách quốc tế", "International arrivals", "lượt", "du-lich",
          "Lượt khách quốc tế đến địa bàn trong kỳ.", levels=T),
    Ready("doanh_thu_du_lich", "Doanh thu du lịch", "Tourism revenue", "tỷ đồng", "du-lich",
          "Doanh thu của cơ sở lưu trú, lữ hành và dịch vụ du lịch trong kỳ."),
    # --- environment ------------------------------------------------------------------------------------------
    Ready("aqi_trung_binh", "Chỉ số chất lượng không khí (AQI) trung bình", "Average AQI", "AQI", "moi-truong",
          "Trung bình AQI ngày của các trạm quan trắc trong kỳ.", aggregation=A.MEAN, direction=D.LOWER),
    Ready("ty_le_thu_gom_rac", "Tỷ lệ chất thải rắn sinh hoạt được thu gom", "Household waste collected", "%",
          "moi-truong", "Khối lượng chất thải rắn sinh hoạt được thu gom chia cho khối lượng phát sinh, nhân 100.",
          aggregation=A.MEAN),
    Ready("ty_le_nuoc_sach", "Tỷ lệ dân số dùng nước sạch", "Population with clean water", "%", "moi-truong",
          "Số người dùng nước sạch theo quy chuẩn chia cho dân số, nhân 100.", period_type="year",
          aggregation=A.MEAN),
    # --- security and order -----------------------------------------------------------------------------------
    Ready("vu_pham_toi_hinh_su", "Số vụ phạm tội về trật tự xã hội", "Public-order crimes", "vụ", "an-ninh-trat-tu",
          "Số vụ phạm tội về trật tự xã hội được phát hiện trong kỳ.", direction=D.LOWER),
    Ready("ty_le_dieu_tra_kham_pha", "Tỷ lệ điều tra, khám phá án", "Crime clearance rate", "%", "an-ninh-trat-tu",
          "Số vụ được điều tra, khám phá chia cho số vụ phát hiện, nhân 100.", levels=T, aggregation=A.NONE),
    Ready("vu_chay_no", "Số vụ cháy, nổ", "Fires and explosions", "vụ", "an-ninh-trat-tu",
          "Số vụ cháy, nổ xảy ra trên địa bàn trong kỳ.", direction=D.LOWER),
    # --- traffic ----------------------------------------------------------------------------------------------
    Ready("tai_nan_giao_thong", "Số vụ tai nạn giao thông", "Road accidents", "vụ", "giao-thong",
          "Số vụ tai nạn giao thông đường bộ trong kỳ.", direction=D.LOWER),
    Ready("nguoi_chet_tngt", "Số người chết do tai nạn giao thông", "Road deaths", "người", "giao-thong",
          "Số người chết do tai nạn giao thông đường bộ trong kỳ.", direction=D.LOWER),
    Ready("diem_un_tac", "Số điểm ùn tắc giao thông", "Congestion points", "điểm", "giao-thong",
          "Số điểm ùn tắc kéo dài trên 30 phút được ghi nhận trong kỳ.", direction=D.LOWER),
    # --- public administration --------------------------------------------------------------------------------
    Ready("ho_so_dung_han", "Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn", "Dossiers resolved on time", "%",
          "hanh-chinh-cong", "Hồ sơ giải quyết đúng hạn chia cho hồ sơ đã giải quyết, nhân 100.",
          aggregation=A.MEAN),
    Ready("ho_so_truc_tuyen", "Tỷ lệ hồ sơ nộp trực tuyến", "Dossiers filed online", "%", "hanh-chinh-cong",
          "Hồ sơ nộp trực tuyến chia cho tổng hồ sơ tiếp nhận, nhân 100.", aggregation=A.MEAN),
    Ready("ho_so_tiep_nhan", "Hồ sơ thủ tục hành chính tiếp nhận", "Dossiers received", "hồ sơ", "hanh-chinh-cong",
          "Tổng hồ sơ thủ tục hành chính tiếp nhận trong kỳ."),
    # Decision 766/QĐ-TTg's points (ioc/dossiers/score766.py: groups, criteria, source), computed by dossiers.
    Ready("dvc766_tong", "Điểm Bộ chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg)",
          "Service quality index (Decision 766)", "điểm", "hanh-chinh-cong",
          "Tổng điểm năm nhóm chỉ số theo Phụ lục Quyết định 766/QĐ-TTg (tối đa 100).", aggregation=A.NONE,
          range_low=0, range_high=100),
    Ready("dvc766_cong_khai", "Điểm Công khai, minh bạch (QĐ 766)", "Openness and transparency (766)", "điểm",
          "hanh-chinh-cong", "Điểm nhóm Công khai, minh bạch (tối đa 18).", aggregation=A.NONE),
    Ready("dvc766_tien_do", "Điểm Tiến độ, kết quả giải quyết (QĐ 766)", "Progress and results (766)", "điểm",
          "hanh-chinh-cong", "Điểm nhóm Tiến độ, kết quả giải quyết (tối đa 20).", aggregation=A.NONE),
    Ready("dvc766_truc_tuyen", "Điểm Cung cấp dịch vụ trực tuyến (QĐ 766)", "Online services (766)", "điểm",
          "hanh-chinh-cong", "Điểm nhóm Cung cấp dịch vụ trực tuyến (tối đa 22).", aggregation=A.NONE),
    Ready("dvc766_so_hoa", "Điểm Số hóa hồ sơ (QĐ 766)", "Digitisation (766)", "điểm", "hanh-chinh-cong",
          "Điểm nhóm Số hóa hồ sơ (tối đa 22).", aggregation=A.NONE),
    Ready("dvc766_hai_long", "Điểm Mức độ hài lòng (QĐ 766)", "Satisfaction (766)", "điểm", "hanh-chinh-cong",
          "Điểm nhóm Mức độ hài lòng (tối đa 18).", aggregation=A.NONE),
    # --- citizen interaction ----------------------------------------------------------------------------------
    Ready("phan_anh_tiep_nhan", "Phản ánh hiện trường tiếp nhận", "Field reports received", "phản ánh", "tuong-tac",
          "Số phản ánh của người dân, doanh nghiệp được tiếp nhận trong kỳ."),
    Ready("phan_anh_dung_han", "Tỷ lệ phản ánh xử lý đúng hạn", "Reports handled on time", "%", "tuong-tac",
          "Phản ánh xử lý xong đúng hạn chia cho phản ánh đã xử lý, nhân 100.", aggregation=A.MEAN),
    Ready("muc_do_hai_long", "Mức độ hài lòng của người dân", "Citizen satisfaction", "%", "tuong-tac",
          "Tỷ lệ đánh giá hài lòng và rất hài lòng trên tổng đánh giá trong kỳ.", aggregation=A.MEAN),
    # Items found online and forwarded to an agency for an answer (002:6.5), computed by media_watch
    # (ioc/media_watch/services/answers.py): the month's forwarded items, by the month they were forwarded in.
    Ready("mang_chuyen_tra_loi", "Tin trên mạng chuyển cơ quan trả lời", "Online items forwarded for an answer",
          "tin", "tuong-tac", "Số tin trên mạng (báo, mạng xã hội) được chuyển cơ quan có thẩm quyền trả lời trong kỳ."),  # noqa: E501
    Ready("mang_da_tra_loi", "Tin trên mạng được cơ quan trả lời", "Online items answered", "tin", "tuong-tac",
          "Trong số tin chuyển trả lời trong kỳ, số tin đã được cơ quan trả lời."),
    Ready("mang_tra_loi_dung_han", "Tỷ lệ tin trên mạng được trả lời đúng hạn", "Online items answered on time", "%",
          "tuong-tac", "Trong số tin chuyển trả lời trong kỳ, số tin trả lời trước hạn chia cho số tin đã trả lời "
          "hoặc đã quá hạn, nhân 100 (tin còn trong hạn chưa tính).", aggregation=A.NONE, range_low=0,
          range_high=100),
    Ready("mang_gio_tra_loi", "Thời gian trả lời tin trên mạng bình quân", "Mean time to answer online items", "giờ",
          "tuong-tac", "Trung bình số giờ từ lúc chuyển đến lúc cơ quan trả lời, của các tin chuyển trong kỳ đã "
          "được trả lời.", aggregation=A.NONE, direction=D.LOWER),
    # --- information security ---------------------------------------------------------------------------------
    Ready("su_co_attt", "Sự cố an toàn thông tin", "Information security incidents", "sự cố", "an-toan-thong-tin",
          "Số sự cố an toàn thông tin mạng được ghi nhận tại các hệ thống của cơ quan nhà nước trong kỳ.",
          levels=T, direction=D.LOWER),
    Ready("he_thong_duoc_phe_duyet_cap_do", "Tỷ lệ hệ thống thông tin được phê duyệt cấp độ",
          "Information systems with an approved security level", "%", "an-toan-thong-tin",
          "Số hệ thống thông tin được phê duyệt hồ sơ cấp độ chia cho tổng số hệ thống, nhân 100.", levels=T,
          period_type="quarter", aggregation=A.LAST),
    Ready("canh_bao_ma_doc", "Cảnh báo mã độc được xử lý", "Malware alerts handled", "cảnh báo",
          "an-toan-thong-tin", "Số cảnh báo mã độc, tấn công mạng được tiếp nhận và xử lý trong kỳ.", levels=T),
)  # fmt: skip


def source_of(ready: Ready) -> str:
    return Source.FORMULA if ready.formula else Source.MANUAL


def sectors_for(domain_codes: set[str]) -> set[str]:
    """The sectors a profile's monitored domains call for; every sector when the act names none of them."""
    chosen = {sector for sector, domains in SECTOR_DOMAINS.items() if domains & domain_codes}
    return chosen or set(SECTOR_DOMAINS)
