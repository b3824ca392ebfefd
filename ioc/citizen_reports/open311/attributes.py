"""The attributes of every GeoReport service (R3.1, R7.5): each one is read and used by POST requests.

- `anonymous` (default true): hide who reported it from the public (`Report.anonymous_to_public`).
- `consent_processing` (default true when a contact is sent): the reporter agrees that the IOC processes their
  name, phone and e-mail to send the tracking link and updates. The client application collects it under the
  agreement its api_key was issued on; `false` means the contact fields are dropped, never stored.
- `consent_share` (default false): the reporter agrees that the handling agency's officer sees the contact.

Unknown attribute codes and values outside a list are refused (400), so a client learns of a mistake at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from ioc.citizen_reports.open311.params import Attributes, ParamError, boolean_choice


@dataclass(frozen=True)
class Attribute:
    code: str
    default: bool
    description: str


@dataclass(frozen=True)
class ChosenAttributes:
    anonymous: bool
    consent_processing: bool
    consent_share: bool


def _attributes() -> tuple[Attribute, ...]:
    return (
        Attribute(
            "anonymous",
            True,
            _("Ẩn danh với công chúng (mặc định: có) / Stay anonymous to the public (default: true)"),
        ),
        Attribute(
            "consent_processing",
            True,
            _(
                "Đồng ý để IOC xử lý họ tên, số điện thoại, thư điện tử đã gửi để báo kết quả (mặc định: có khi gửi "
                "thông tin liên hệ; không: thông tin liên hệ không được lưu) / Consent to the IOC processing the "
                "contact sent, to send updates (default: true when a contact is sent; false: it is not stored)"
            ),
        ),
        Attribute(
            "consent_share",
            False,
            _(
                "Đồng ý chia sẻ thông tin liên hệ với cơ quan xử lý (mặc định: không) / Consent to share the "
                "contact with the handling agency (default: false)"
            ),
        ),
    )


ATTRIBUTES = ("anonymous", "consent_processing", "consent_share")


def service_definition(service_code: str) -> dict[str, Any]:
    """The GeoReport `service_definition` of a service: the same three attributes for every category."""
    values = [{"key": "true", "name": _("Có / Yes")}, {"key": "false", "name": _("Không / No")}]
    return {
        "service_code": service_code,
        "attributes": [
            {
                "variable": True,
                "code": attribute.code,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _("true hoặc false / true or false"),
                "order": order,
                "description": attribute.description,
                "values": values,
            }
            for order, attribute in enumerate(_attributes(), start=1)
        ],
    }


def attribute_values(given: Attributes) -> ChosenAttributes:
    """The attribute values of a POST, defaults filled in; unknown codes and values are a 400."""
    unknown = sorted(set(given.values) - set(ATTRIBUTES))
    if unknown:
        raise ParamError(f"attribute[{unknown[0]}]", _("Thuộc tính không có / Unknown attribute"))
    chosen: dict[str, bool] = {}
    for attribute in _attributes():
        found = given.values.get(attribute.code, [])
        name = f"attribute[{attribute.code}]"
        if len(found) > 1:
            raise ParamError(name, _("Chỉ một giá trị / A single value only"))
        chosen[attribute.code] = boolean_choice(found[0] if found else "", name, default=attribute.default)
    return ChosenAttributes(
        anonymous=chosen["anonymous"],
        consent_processing=chosen["consent_processing"],
        consent_share=chosen["consent_share"],
    )
