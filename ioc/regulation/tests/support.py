"""A small act for the regulation's tests: Lộc Ninh's (seed 003), read from the demo's copy of the seeds."""

import datetime as dt
from pathlib import Path

from ioc.accounts.testing import system_actor
from ioc.regulation import services

LOC_NINH_TEXT = (
    Path(__file__).resolve().parents[2] / "demo" / "profiles" / "acts" / "003_22177f35bc96b2fc.txt"
).read_text(encoding="utf-8")


def act_kwargs(**overrides):
    values = {
        "profile": "loc-ninh",
        "seed": "003",
        "number": "4037/QĐ-UBND",
        "date": dt.date(2024, 8, 29),
        "issuing_body": "Chủ tịch Ủy ban nhân dân huyện Lộc Ninh",
        "title": "Quy chế quản lý, khai thác và vận hành Trung tâm Điều hành thông minh huyện Lộc Ninh",
        "level": "district",
        "text": LOC_NINH_TEXT,
    }
    return values | overrides


def loc_ninh_act(actor=None):
    return services.act_set(actor=actor or system_actor(), **act_kwargs())
