"""What a person types into the community's public forms (/apply/ and /contact/), as the browser posts
it: half-width kana, full-width digits, 〒 and hyphens, which the forms normalize.

Plain data with no Django import, so that the load generators of `make bench` (bench/run.py,
bench/breakdown.py), which send these forms from outside the app, post exactly what the tests post.
The records themselves are made in tests/community/factories.py."""

from __future__ import annotations

import uuid


def application_post_data(**overrides: str) -> dict[str, str]:
    """The application form (/apply/), with a fresh form token (each post is a new submission)."""
    data = {
        "form_token": str(uuid.uuid4()),
        "policy_version": "1.0",
        "website": "",
        "company_name": "株式会社ﾐﾅﾄ精機",
        "company_name_kana": "ﾐﾅﾄｾｲｷ",
        "contact_name": "田中　誠",
        "contact_name_kana": "たなか まこと",
        "email": "tanaka@minato-seiki.example.jp",
        "phone": "０４５－２０１－１２３４",
        "postal_code": "〒２３１－００２３",
        "prefecture": "",
        "city": "",
        "town": "",
        "address": "１－２－３ みなとビル４階",
        "corporate_number": "",
        "industry": "E",
        "employees": "４５",
        "message": "受注管理を見直したい",
        "consent": "on",
    }
    data.update(overrides)
    return data


def inquiry_post_data(**overrides: str) -> dict[str, str]:
    """The contact form (/contact/), with a fresh form token."""
    data = {
        "form_token": str(uuid.uuid4()),
        "policy_version": "1.0",
        "website": "",
        "name": "田中 誠",
        "email": "tanaka@example.jp",
        "subject": "相談",
        "message": "IT化について",
        "consent": "on",
    }
    data.update(overrides)
    return data
