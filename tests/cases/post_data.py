"""What a coordinator types into the case form (/console/cases/new/<engagement>/ and …/edit/), as the
browser posts it. Plain data with no Django import (tests/community/post_data.py says why). The KPIs
are ticked by id among the engagement's measured ones, never typed."""

from __future__ import annotations


def case_post_data(*, kpi_ids: tuple[int, ...] = (), **overrides: str) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {
        "title": "受注と在庫を一つにつないで納期回答を即日に",
        "summary": "紙とＦＡＸの受注をクラウドの販売管理に移し、在庫を見ながら納期を答えられるようにした。",
        "challenge_kind": "productivity",
        "it_area": "orders",
        "background": "",
        "challenge": "受注の電話とFAXを紙で管理していて、在庫の確認に時間がかかる。",
        "strategy": "",
        "solution": "販売管理と在庫管理のクラウドサービスを選び、受注の入力を営業事務に集めた。",
        "products": "",
        "results": "納期の回答が翌日から即日になり、電話の折り返しがほぼなくなった。",
        "owner_words": "数字で見えるようになって、社員との話が早くなりました。",
        "owner_title": "代表取締役",
        "presented_at": "",
        "kpi_ids": [str(pk) for pk in kpi_ids],
    }
    data.update(overrides)
    return data
