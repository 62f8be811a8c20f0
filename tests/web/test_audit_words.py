"""Every action and every key of before/after that the code writes into the audit log has
its words in the audit table (web/templates/macros.html AUDIT_ACTIONS, AUDIT_FIELDS), in
Khmer and in English. The set is read from the code itself: each call of
``web.audit.record`` in web/, its entity, its action and the keys of its dicts, so a new
action or key cannot be written without its words."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from app.config import SourceSettings
from tracker.models import AlertHandling
from web import lifecycle, triage
from web.rendering import make_templates
from web.translations import load_translations

ROOT = Path(__file__).resolve().parents[2]
KHMER = re.compile(r"[\u1780-\u17ff]")
#: The entities the audit table names (a link to the instrument, the alert, the source).
ENTITIES = {"instrument", "alert", "source", "user", "subscription"}
#: Keys a call writes that are not in its own literal dicts, from the code that makes them.
_TRIAGE_STATE = set(triage._state(AlertHandling(alert_id=1)))
_TRIAGE_AFTER = _TRIAGE_STATE | {"verdict_ids", "verdicts"}
_SOURCE_KEYS = set(SourceSettings.model_fields) - {"id"}
_EDIT_KEYS = {f.name for f in dataclasses.fields(lifecycle.TrackerEdit)}
DYNAMIC: dict[tuple[str, str, str], set[str]] = {
    # apply_edit: the fields of the edit that changed, and the date of a new stage
    ("web/lifecycle.py", "apply_edit", "before"): _EDIT_KEYS,
    ("web/lifecycle.py", "apply_edit", "after"): _EDIT_KEYS,
    # a triage step: the handling as it was, then as it is with the verdicts given
    ("web/triage.py", "triage_step", "before"): _TRIAGE_STATE,
    ("web/triage.py", "triage_step", "after"): _TRIAGE_AFTER,
    # undoing a step keeps what the step had written
    ("web/triage.py", "undo_step", "before"): _TRIAGE_AFTER,
    # a source's definition: config.toml's keys (shown in code, as the wizard shows them)
    ("web/routes/sources.py", "_save", "before"): _SOURCE_KEYS,
    ("web/routes/sources.py", "_save", "after"): _SOURCE_KEYS,
    ("web/routes/sources.py", "revert_source", "before"): _SOURCE_KEYS,
}  # fmt: skip


@dataclasses.dataclass
class Written:
    entities: set[str] = dataclasses.field(default_factory=set)
    actions: set[str] = dataclasses.field(default_factory=set)
    fields: dict[str, set[str]] = dataclasses.field(default_factory=dict)  # entity -> keys
    calls: int = 0
    unresolved: list[str] = dataclasses.field(default_factory=list)


def _constants(tree: ast.Module) -> dict[str, str]:
    """The module's string constants, ``STEP, UNDO = "triage", "undo triage"`` too."""
    found: dict[str, str] = {}
    for node in tree.body:
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            pairs = (
                zip(target.elts, node.value.elts, strict=False)
                if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple)
                else [(target, node.value)]
            )
            for name, value in pairs:
                if (
                    isinstance(name, ast.Name)
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                ):
                    found[name.id] = value.value
    return found


def _strings(node: ast.expr, constants: dict[str, str]) -> set[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _strings(node.body, constants), _strings(node.orelse, constants)
        return None if body is None or orelse is None else body | orelse
    if isinstance(node, ast.Name) and node.id in constants:
        return {constants[node.id]}
    return None


def _local_dict(function: ast.FunctionDef, name: str) -> ast.expr | None:
    """The one value ``name`` is given in ``function``, unless it is changed after."""
    values: list[ast.expr] = []
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            values.append(node.value)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            if node.target.id == name and node.value is not None:
                values.append(node.value)
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
            if isinstance(node.value, ast.Name) and node.value.id == name:
                return None  # before[name] = ...: built as it goes
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == name
        ):
            return None  # before.update(...)
    return values[0] if len(values) == 1 else None


def _keys(node: ast.expr | None, function: ast.FunctionDef) -> set[str] | None:
    if node is None:
        return set()
    if isinstance(node, ast.Constant) and node.value is None:
        return set()
    if isinstance(node, ast.Name):
        value = _local_dict(function, node.id)
        return None if value is None else _keys(value, function)
    if isinstance(node, ast.Dict):
        keys: set[str] = set()
        for key in node.keys:
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                return None  # {**other, ...}
            keys.add(key.value)
        return keys
    return None


def written() -> Written:
    found = Written()
    for path in sorted((ROOT / "web").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports_record = any(
            isinstance(n, ast.ImportFrom)
            and n.module == "web.audit"
            and any(a.name == "record" for a in n.names)
            for n in ast.walk(tree)
        )
        if not imports_record:
            continue
        constants = _constants(tree)
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for call in ast.walk(function):
                if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
                    continue
                if call.func.id != "record":
                    continue
                found.calls += 1
                where = f"{relative}:{call.lineno} ({function.name})"
                args: dict[str, ast.expr | None] = dict.fromkeys(("before", "after"))
                names = ("session", "user_name", "entity", "entity_id", "action", "before", "after")
                args.update(zip(names, call.args, strict=False))
                args.update({k.arg: k.value for k in call.keywords if k.arg})
                entity_node, action_node = args.get("entity"), args.get("action")
                entities = _strings(entity_node, constants) if entity_node is not None else None
                actions = _strings(action_node, constants) if action_node is not None else None
                if entities is None or actions is None:
                    found.unresolved.append(f"{where}: entity or action")
                    continue
                found.entities |= entities
                found.actions |= actions
                for side in ("before", "after"):
                    keys = _keys(args[side], function)
                    if keys is None:
                        keys = DYNAMIC.get((relative, function.name, side))
                    if keys is None:
                        found.unresolved.append(f"{where}: the keys of {side}")
                        continue
                    for entity in entities:
                        found.fields.setdefault(entity, set()).update(keys)
    return found


@pytest.fixture(scope="module")
def audit() -> Written:
    return written()


@pytest.fixture(scope="module")
def words() -> dict[str, Any]:
    """Each language's audit words, as the audit table has them."""
    templates = make_templates(load_translations())
    found = {}
    for language, template in templates.items():
        module = template.env.get_template("macros.html").module
        found[language] = {
            "actions": {k: str(v) for k, v in module.AUDIT_ACTIONS.items()},
            "fields": {k: str(v) for k, v in module.AUDIT_FIELDS.items()},
        }
    return found


def test_every_audit_entry_the_code_writes_is_read(audit: Written) -> None:
    assert not audit.unresolved, (
        "a record() whose action or keys this test cannot read: write them as literals, or "
        f"add where they come from to DYNAMIC: {audit.unresolved}"
    )
    assert audit.calls >= 20, audit.calls  # the scan found the calls (21 when written)
    assert audit.entities <= ENTITIES, audit.entities - ENTITIES
    assert {"edit", "link", "triage", "undo triage", "subscribe", "crawl"} <= audit.actions


@pytest.mark.parametrize("language", ["km", "en"])
def test_every_action_and_field_written_has_its_words(
    audit: Written, words: dict[str, Any], language: str
) -> None:
    actions, fields = words[language]["actions"], words[language]["fields"]
    assert sorted(audit.actions - set(actions)) == [], "actions without words in macros.html"
    labelled = {k for entity, keys in audit.fields.items() if entity != "source" for k in keys}
    assert sorted(labelled - set(fields)) == [], "fields without words in macros.html"
    # a source's keys are config.toml's, shown in code: all of them are SourceSettings keys
    assert audit.fields["source"] <= set(SourceSettings.model_fields)
    for key in audit.actions:
        shown = actions[key]
        if language == "km":
            assert KHMER.search(shown) and not re.search(r"[A-Za-z]", shown), (key, shown)
        else:
            assert shown and "_" not in shown and shown == shown.lower(), (key, shown)
    for key in labelled:
        shown = fields[key]
        if language == "km":
            assert KHMER.search(shown) and not re.search(r"[A-Za-z]", shown), (key, shown)
        else:
            assert shown and "_" not in shown, (key, shown)


def test_no_word_for_what_is_never_written(audit: Written, words: dict[str, Any]) -> None:
    labelled = {k for entity, keys in audit.fields.items() if entity != "source" for k in keys}
    assert set(words["en"]["actions"]) == audit.actions
    assert set(words["en"]["fields"]) == labelled
