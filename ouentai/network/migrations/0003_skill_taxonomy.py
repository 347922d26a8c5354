"""The skill taxonomy experts are matched by, with the dispatch themes each skill serves. Organizations
add or rename skills in the admin afterwards."""

from django.db import migrations

SKILLS = [
    ("IT戦略・IT投資計画", ["it", "management"]),
    ("販売・在庫管理システム", ["it", "production"]),
    ("会計・給与のクラウド化", ["it", "finance"]),
    ("生産管理システム", ["it", "production"]),
    ("EC・ウェブ販売", ["it", "sales"]),
    ("データ活用・BI", ["it", "management"]),
    ("情報セキュリティ対策", ["security", "it"]),
    ("事業計画・経営戦略", ["management"]),
    ("資金繰り・財務改善", ["finance"]),
    ("補助金・制度活用", ["finance", "management"]),
    ("販路開拓・マーケティング", ["sales"]),
    ("品質管理・カイゼン", ["production"]),
    ("人材育成・組織づくり", ["hr"]),
    ("労務・就業規則", ["hr"]),
]


def create(apps, schema_editor):
    Skill = apps.get_model("network", "Skill")
    for name, themes in SKILLS:
        Skill.objects.get_or_create(name=name, defaults={"themes": themes})


def drop(apps, schema_editor):
    apps.get_model("network", "Skill").objects.filter(name__in=[name for name, _themes in SKILLS]).delete()


class Migration(migrations.Migration):
    dependencies = [("network", "0002_dispatch")]

    operations = [migrations.RunPython(create, drop)]
