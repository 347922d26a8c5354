from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CoreConfig(AppConfig):
    name = "ouentai.core"
    label = "core"
    verbose_name = _("基盤")

    def ready(self) -> None:
        from ouentai.core.audit import (
            count_words,
            date_words,
            datetime_words,
            phone_words,
            postal_code_words,
            register_detail_labels,
            yen_words,
        )

        # The keys the services write into audit details, as people read them on record pages.
        register_detail_labels(
            keys={
                "from": _("変更前"),
                "to": _("変更後"),
                "note": _("メモ"),
                "reason": _("理由"),
                "changed": _("変更した項目"),
                "status": _("状態"),
                "phase": _("フェーズ"),
                "source": _("経路"),
                "subject": _("件名"),
                "count": _("件数"),
                "rows": _("行数"),
                "format": _("形式"),
                "email": _("メールアドレス"),
                "name": _("名前"),
                "size": _("サイズ（バイト）"),
                "item": _("項目"),
                "kpi": _("KPI"),
                "value": _("値"),
                "on": _("日付"),
                "version": _("版"),
                "rating": _("評価"),
                "stage": _("段階"),
                "audience": _("宛先"),
                "deadline": _("期限"),
                "expert": _("専門家"),
                "coordinator": _("ITコーディネータ"),
                "assignee": pgettext_lazy("assignee", "担当者"),
                "channel": _("方法"),
                "fiscal_year": _("年度"),
                "query": _("検索条件"),
                "recipients": _("宛先の数"),
                "reference": _("受付番号"),
                "offer": _("繰り上げ"),
                "dry_run": _("試行"),
                "policy_version": _("同意した版"),
                "created": _("新規作成"),
                "file": _("ファイル"),
                "question": _("質問"),
                "postal_code": _("郵便番号"),
                "phone": _("電話番号"),
                "active": _("有効"),
                "errors": _("エラーの行"),
                "duplicates": _("重複の可能性"),
            },
            # Values as people write them: 〒 and hyphen, the national phone format, dates, yen.
            formats={
                "postal_code": postal_code_words,
                "phone": phone_words,
                "on": date_words,
                "deadline": datetime_words,
                "capital_yen": yen_words,
                "size": count_words,
            },
        )
