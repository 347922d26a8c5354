"""The audit trail reads in words (issue 11, defect 6): every action any service records has a label,
every detail key it writes has one, ids read as names (looked up once per page), and 〒, phone numbers,
dates and nested values read as people write them."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from ouentai.core.audit import (
    ACTION_LABELS,
    DETAIL_KEY_LABELS,
    DETAIL_REFERENCES,
    audit_record,
    audit_rows,
)
from ouentai.core.models import AuditEntry

SOURCE = Path(settings.BASE_DIR) / "ouentai"

# Actions built at run time, by the source text of the expression → every value it can take. A new
# dynamic action fails the test below until its values are listed here (and labelled).
DYNAMIC_ACTIONS = {
    'f"community.{name}.received"': ["community.application.received", "community.inquiry.received"],
    '_action(item, "assigned")': ["community.application.assigned", "community.inquiry.assigned"],
    '_action(item, "contact_logged")': [
        "community.application.contact_logged",
        "community.inquiry.contact_logged",
    ],
    '_action(item, "replied")': ["community.application.replied", "community.inquiry.replied"],
    'f"events.registration.{registration.status}"': [
        "events.registration.confirmed",
        "events.registration.waitlisted",
    ],
}
# Detail keys built at run time, likewise.
DYNAMIC_KEYS = {'f"questions.{purpose}"': ["questions.registration", "questions.survey"]}


def _calls() -> Iterator[tuple[Path, ast.Call, list[ast.AST]]]:
    """Every call in ouentai/, with its enclosing nodes (innermost last)."""
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        stack: list[ast.AST] = []

        def visit(node: ast.AST) -> Iterator[tuple[Path, ast.Call, list[ast.AST]]]:
            if isinstance(node, ast.Call):
                yield path, node, list(stack)  # noqa: B023
            stack.append(node)  # noqa: B023
            for child in ast.iter_child_nodes(node):
                yield from visit(child)
            stack.pop()  # noqa: B023

        yield from visit(tree)


def _name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _argument(call: ast.Call, function: ast.FunctionDef, name: str) -> ast.expr | None:
    """The expression passed for parameter ``name`` of ``function`` in ``call``."""
    found = _keyword(call, name)
    if found is not None:
        return found
    positional = [a.arg for a in function.args.posonlyargs + function.args.args]
    if name in positional and positional.index(name) < len(call.args):
        return call.args[positional.index(name)]
    return None


def _values(expression: ast.expr, where: str, table: dict[str, list[str]]) -> list[str]:
    if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
        return [expression.value]
    if isinstance(expression, ast.IfExp):
        return _values(expression.body, where, table) + _values(expression.orelse, where, table)
    source = ast.unparse(expression).replace("'", '"')
    assert source in table, f"{where}: list the values of {source} in this test"
    return table[source]


def _audit_calls() -> Iterator[tuple[str, ast.Call, list[ast.Call]]]:
    """(where, the audit_record call, and for an action passed through a parameter, the calls of the
    helper that passes it: dispatch's _move)."""
    calls = list(_calls())
    for path, call, stack in calls:
        if _name(call) != "audit_record":
            continue
        where = f"{path.relative_to(SOURCE.parent)}:{call.lineno}"
        action = _keyword(call, "action")
        assert action is not None, f"{where}: audit_record without action="
        helper_calls: list[ast.Call] = []
        if isinstance(action, ast.Name):
            function = next(n for n in reversed(stack) if isinstance(n, ast.FunctionDef))
            helper_calls = [c for p, c, _s in calls if p == path and _name(c) == function.name]
            assert helper_calls, f"{where}: {function.name} passes the action but is never called"
        yield where, call, helper_calls


def _actions() -> set[str]:
    actions = set()
    for where, call, helper_calls in _audit_calls():
        action = _keyword(call, "action")
        assert action is not None
        if not helper_calls:
            actions.update(_values(action, where, DYNAMIC_ACTIONS))
            continue
        function_name = _name(helper_calls[0])
        function = next(
            node
            for path in SOURCE.rglob("*.py")
            if "migrations" not in path.parts
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.FunctionDef) and node.name == function_name
        )
        assert isinstance(action, ast.Name)
        for helper_call in helper_calls:
            passed = _argument(helper_call, function, action.id)
            assert passed is not None, f"{where}: a call of {function_name} without the action"
            actions.update(_values(passed, where, DYNAMIC_ACTIONS))
    return actions


def test_the_walk_finds_the_actions_of_every_app():
    actions = _actions()
    assert {a.split(".")[0] for a in actions} >= {"community", "content", "engagements", "events", "network"}
    assert "network.request.approved" in actions  # passed through dispatch's _move
    assert "community.company.merged" in actions
    assert len(actions) > 60


def test_every_recorded_action_has_a_label():
    missing = sorted(action for action in _actions() if action not in ACTION_LABELS)
    assert missing == []


def test_every_detail_key_services_write_has_a_label():
    references = {key for _prefix, key, _model in DETAIL_REFERENCES}
    missing = set()
    for where, call, helper_calls in _audit_calls():
        expressions = [_keyword(call, "details")]
        expressions += [c.args[4] if len(c.args) > 4 else _keyword(c, "details") for c in helper_calls]
        for expression in expressions:
            for node in ast.walk(expression) if expression is not None else []:
                if not isinstance(node, ast.Dict):
                    continue
                for key in node.keys:
                    if key is None:  # a ** spread: its own dict literal is walked too
                        continue
                    for name in _values(key, where, DYNAMIC_KEYS):
                        if name not in DETAIL_KEY_LABELS and name not in references:
                            missing.add(f"{where}: {name}")
    assert sorted(missing) == []


@pytest.mark.django_db
def test_ids_read_as_names_looked_up_once_per_model(django_assert_num_queries, yokohama, staff, org_admin):
    from ouentai.community.models import Company

    companies = [
        Company.objects.create(organization=yokohama, name=f"株式会社テスト{i}", core_name=f"テスト{i}")
        for i in range(5)
    ]
    for company in companies:
        audit_record(
            actor=staff,
            action="community.application.assigned",
            target=company,
            details={"assignee": "x", "assignee_id": staff.pk, "previous_assignee_id": org_admin.pk},
        )
        audit_record(
            actor=staff,
            action="community.contact.created",
            target=company,
            details={"company_id": company.pk, "postal_code": "2310023", "phone": "+81452011234"},
        )
    entries = list(AuditEntry.objects.select_related("actor"))
    # One query for the users, one for the companies, whatever the number of entries.
    with django_assert_num_queries(2):
        rows = audit_rows(entries)
    text = " ".join(f"{label}：{value}" for row in rows for label, value in row.details)
    assert "前の担当者：横浜 管理者" in text
    assert "企業：株式会社テスト3" in text
    assert "〒231-0023" in text and "045-201-1234" in text
    assert "assignee_id" not in text and "2310023" not in text and "+81" not in text


@pytest.mark.django_db
def test_a_deleted_record_reads_as_deleted_and_nested_values_as_text(yokohama, staff):
    from ouentai.community.models import Company

    company = Company.objects.create(organization=yokohama, name="株式会社ミナト精機", core_name="ミナト精機")
    entry = audit_record(
        actor=staff,
        action="community.company.merged",
        target=company,
        details={
            "merged_company_id": 999,
            "merged_company_name": "（株）ミナト精機",
            "merged_company": {"name": "（株）ミナト精機", "postal_code": "2310023", "phone": "+81452011234",
                               "industry": "E", "employees": 45, "capital_yen": 10000000, "it_stage": 2},
            "moved": {"applications": 2, "contacts": 1, "audit_entries": 3},
            "contacts_folded": 1,
            "membership_moved": False,
            "filled_fields": ["phone", "postal_code"],
        },
    )  # fmt: skip
    audit_record(actor=staff, action="community.contact.created", target=company, details={"company_id": 999})
    rows = {row.entry.pk: dict(row.details) for row in audit_rows(AuditEntry.objects.all())}
    merged = rows[entry.pk]
    snapshot = merged["統合した企業の内容"]
    assert "郵便番号：〒231-0023" in snapshot
    assert "電話番号：045-201-1234" in snapshot
    assert "業種：E 製造業" in snapshot
    assert "資本金（円）：10,000,000円" in snapshot
    assert "IT経営力の段階：第2段階 部門内最適化" in snapshot
    assert merged["移した記録"] == "参加申込：2件、担当者：1件、変更履歴：3件"
    assert merged["空欄を埋めた項目"] == "電話番号、郵便番号"
    assert merged["統合した企業"] == "（株）ミナト精機"
    assert "会社名：（株）ミナト精機" in snapshot
    assert not any("{" in value or "postal_code" in value for value in merged.values())
    assert "（削除済み）" in str(list(rows.values()))
