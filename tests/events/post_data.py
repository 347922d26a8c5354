"""What a person types into an event's public registration form (/events/<pk>/register/), as the
browser posts it: half-width kana and full-width digits, which the form normalizes.

Plain data with no Django import, so that the registration rush of `make bench` (bench/events.py)
posts exactly what the tests post. The records themselves are made in tests/events/factories.py."""

from __future__ import annotations


def registration_post_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "田中　誠",
        "furigana": "たなか まこと",
        "company_name": "株式会社ﾐﾅﾄ精機",
        "email": "tanaka@minato-seiki.example.jp",
        "phone": "０４５－２０１－１２３４",
        "consent": "on",
        "policy_version": "1.0",
        "website": "",
    }
    data.update(overrides)
    return data
