"""Officers triage alerts: acknowledge, assign a task team, judge them; verdicts are kept
one per flag (labelled examples for the matcher's evaluation) and in the audit log."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import select

from tracker.database import open_engine, session
from tracker.models import AlertHandling, AuditEntry, Verdict


def _rows(tracker: Any, model: Any) -> list[Any]:
    engine = open_engine(tracker.url)
    with session(engine) as s:
        rows = list(s.exec(select(model)))
    engine.dispose()
    return rows


def test_inbox_triage_through_the_forms(sign_in: Any, fresh_tracker: Any, csrf_of: Any) -> None:
    client: TestClient = sign_in(fresh_tracker, "officer")
    km_alert = fresh_tracker.ids.km_alert
    inbox = client.get("/alerts?show=new").text
    assert f'href="/alerts/{km_alert}"' in inbox
    post = lambda path, **data: client.post(  # noqa: E731
        f"/alerts/{km_alert}/{path}",
        data={"csrf_token": csrf_of(client), **data},
        follow_redirects=False,
    )
    assert post("acknowledge").status_code == 303
    assert post("assign", task_team="ក្រុមការងារសោធន").status_code == 303
    assert (
        post(
            "feedback",
            verdict="wrong_position",
            position="benefit_adequacy",
            correct_position="social_pension",
            note="<b>pension</b> rate, not adequacy",
        ).status_code
        == 303
    )
    [triage] = _rows(fresh_tracker, AlertHandling)
    assert triage.acknowledged_by == "officer1" and triage.task_team == "ក្រុមការងារសោធន"
    # one row per flag behind the alert, read by `sptrack eval export-feedback` too
    [verdict] = _rows(fresh_tracker, Verdict)
    assert (verdict.alert_id, verdict.verdict, verdict.judged, verdict.position) == (
        km_alert,
        "wrong_position",
        "benefit_adequacy",
        "benefit_adequacy",
    )
    assert verdict.change_id is not None
    assert verdict.correct_positions == ["social_pension"] and verdict.user_name == "officer1"
    assert [e.action for e in _rows(fresh_tracker, AuditEntry)] == [
        "acknowledge",
        "assign",
        "feedback",
    ]
    page = client.get(f"/alerts/{km_alert}").text
    assert "Acknowledged by <strong>officer1</strong>" in page
    assert "&lt;b&gt;pension&lt;/b&gt;" in page and "<b>pension</b>" not in page
    assert f'href="/alerts/{km_alert}"' not in client.get("/alerts?show=new").text
    # a position the alert does not have is refused, and nothing is stored for it
    assert post("feedback", verdict="relevant", position="vesting").status_code == 422
    assert post("feedback", verdict="maybe").status_code == 422
    assert len(_rows(fresh_tracker, Verdict)) == 1


def test_triage_and_feedback_through_the_api(
    sign_in: Any, fresh_tracker: Any, csrf_of: Any
) -> None:
    client: TestClient = sign_in(fresh_tracker, "officer")
    en_alert = fresh_tracker.ids.en_alert
    response = client.post(
        f"/api/alerts/{en_alert}/triage",
        json={"verdict": "not relevant", "task_team": "Maternity TT", "note": "ប្រយោគធម្មតា"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["task_team"] == "Maternity TT"
    [feedback] = client.get("/api/feedback").json()
    assert feedback["verdict"] == "not_relevant" and feedback["note"] == "ប្រយោគធម្មតា"
    alerts = {a["id"]: a for a in client.get("/api/alerts").json()}
    assert alerts[en_alert]["triage"]["acknowledged_by"] == "officer1"
    assert alerts[fresh_tracker.ids.km_alert]["triage"] is None
