"""The officer's day on the web (issue 16), on alerts made by the real reader, comparison,
matcher and outbox from Khmer and English sub-decrees: the alert and change pages answer
what changed, where, why it matters and how sure; /positions shows every position; the
triage is one step with an undo; the inbox filters are kept in the URL; the team assigned
becomes the note's owner."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from alerts.match.verdicts import group_given
from tests.web.conftest import XSS, XSS_ESCAPED
from tests.web.pipeline_alerts import KM_TITLE, POSITIONS, Alerts, add_alert
from tracker.database import open_engine, session
from tracker.models import AlertHandling, AuditEntry, Change, Instrument, Source, Verdict


@pytest.fixture(scope="module")
def alerts(module_tracker: Any) -> Alerts:
    engine = open_engine(module_tracker.url)
    with session(engine) as s:
        assert s.get(Source, "nssf-legal") is not None
        km = add_alert(s, "km", 10)
        en = add_alert(s, "en", 20)
        s.commit()
        km_instrument = s.exec(select(Instrument.id).where(Instrument.title == KM_TITLE)).one()
    engine.dispose()
    assert km_instrument is not None
    return Alerts(km, en, km_instrument)


@pytest.fixture(scope="module")
def officer(sign_in: Any, module_tracker: Any) -> TestClient:
    client: TestClient = sign_in(module_tracker, "officer")
    return client


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _section(html: str, ident: str) -> str:
    return html.split(f'id="{ident}"', 1)[1].split("</section>", 1)[0]


def _csrf(client: TestClient, path: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match is not None
    return match.group(1)


def _rows(tracker: Any, model: Any) -> list[Any]:
    engine = open_engine(tracker.url)
    with session(engine) as s:
        rows = list(s.exec(select(model)))
    engine.dispose()
    return rows


def _given(tracker: Any) -> list[Any]:
    """The verdicts as officers gave them (one per alert position judged)."""
    return group_given(_rows(tracker, Verdict))


# -- what changed, where, why it matters, how sure -------------------------------------------


def test_khmer_alert_answers_on_its_first_screen(officer: TestClient, alerts: Alerts) -> None:
    html = officer.get(f"/alerts/{alerts.km}").text
    glance = _text(html.split('class="glance"', 1)[1].split("</ul>", 1)[0])
    assert (
        "Indexation of benefits និយ័តកម្មអត្ថប្រយោជន៍ high worse for the coalition "
        "មាត្រា ៨ : ធ្វើនិយ័តកម្ម 1 year → 2 years" in glance
    )
    answer = html.split('id="answer"', 1)[1].split('id="triage"', 1)[0]
    text = _text(answer)
    # what changed: old -> new with what each number is (employer, worker), and how often
    assert "និយោជក KHR" not in text
    assert "និយោជក 2% → 3% up" in text and "កម្មករនិយោជិត 2% → 3% up" in text
    assert "អត្រាភាគទានសោធននិវត្តន៍ 4% → 6% up" in text
    assert "1 year → 2 years less often" in text  # not "(up)": adjusted less often
    # where: the instrument and the article
    assert KM_TITLE in _text(html.split('class="where-line"', 1)[1].split("</p>", 1)[0])
    assert "មាត្រា ៣" in text and "មាត្រា ៨" in text
    # why it matters: names (English and Khmer), never raw ids; stance, key message, direction
    assert "Indexation of benefits" in text and "និយ័តកម្មអត្ថប្រយោជន៍" in text
    assert "Contribution rates and wage base" in text
    assert ">contribution_rate<" not in answer and ">indexation<" not in answer
    assert "The coalition's stance: Every benefit must be adjusted at least once a year" in text
    assert "Key message: Benefits need to be indexed regularly" in text
    assert "worse for the coalition ធ្វើនិយ័តកម្ម 1 year → 2 years" in text
    assert "2 years</span>: the coalition wants more frequent adjustment.</p>" in answer
    # how sure: evidence and where it was seen
    sure = _text(_section(html, "how-sure"))
    assert "score" in sure and "a number that moved" in sure
    # severity ranks: the indexation cut is high; the alert too
    assert 'class="badge sev sev-high">high' in html


def test_english_change_page_names_the_parties_and_the_cut(
    officer: TestClient, alerts: Alerts, module_tracker: Any
) -> None:
    [rate, index] = [
        c.id
        for c in _rows(module_tracker, Change)
        if c.instrument_id != alerts.km_instrument and c.new_ref in ("Article 3", "Article 7")
    ][-2:]
    html = officer.get(f"/changes/{rate}").text
    numbers = _text(html.split('<table class="numbers">', 1)[1].split("</table>", 1)[0])
    assert "employer 2% → 3% up" in numbers and "worker 2% → 3% up" in numbers
    assert "pension contribution rate 4% → 6% up" in numbers
    assert "Contribution rates and wage base" in html and "The coalition's stance" in html
    html = officer.get(f"/changes/{index}").text
    text = _text(html)
    assert "1 year → 2 years less often" in text
    assert "worse for the coalition" in text and "more frequent adjustment" in text
    assert XSS not in html and XSS_ESCAPED in html


def test_positions_page_shows_every_position_with_stance_and_what_was_flagged(
    officer: TestClient, alerts: Alerts
) -> None:
    html = officer.get("/positions").text
    assert html.count('class="position-card"') == len(POSITIONS) == 18
    for position in POSITIONS:
        assert f'id="{position.id}"' in html
        assert position.stance.replace("'", "&#39;") in html
    assert "in positions.toml" not in html
    indexation = html.split('id="indexation"', 1)[1].split("</article>", 1)[0]
    assert "Every benefit must be adjusted" in indexation
    assert "ការគាំពារមាតុភាព" in html  # Khmer names beside the English ones
    assert f'href="/instruments/{alerts.km_instrument}"' in indexation
    assert "worse for the coalition" in indexation and "1 year → 2 years" in _text(indexation)
    assert "Nothing flagged yet." in html.split('id="shock_responsive"', 1)[1]


# -- triage in one step, with undo -----------------------------------------------------------


def test_one_step_triage_keeps_the_verdict_and_undo_puts_it_back(
    officer: TestClient, alerts: Alerts, module_tracker: Any
) -> None:
    path = f"/alerts/{alerts.km}"
    page = officer.get(path).text
    # "right position" is a choice of known positions, not free text
    menu = page.split('name="correct.indexation"', 1)[1].split("</select>", 1)[0]
    assert '<option value="benefit_adequacy">Benefit adequacy</option>' in menu
    assert 'name="correct_position"' not in page
    before = len(_rows(module_tracker, AuditEntry))
    response = officer.post(
        f"{path}/triage",
        data={
            "csrf_token": _csrf(officer, path),
            "verdict.indexation": "relevant",
            "verdict.contribution_rate": "wrong_position",
            "correct.contribution_rate": "pension_financing",
            "task_team": "ក្រុមការងារសោធននិវត្តន៍",
            "assignee": "officer1",
            "acknowledged": "1",
            "note": "<b>cut</b>",
        },
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200, response.text
    state = response.json()
    assert state["task_team"] == "ក្រុមការងារសោធននិវត្តន៍" and state["assignee"] == "officer1"
    assert state["verdicts"] == {"indexation": "relevant", "contribution_rate": "wrong_position"}
    # one step, one audit entry
    entries = _rows(module_tracker, AuditEntry)[before:]
    assert [e.action for e in entries] == [
        "feedback",
        "feedback",
        "assign",
        "acknowledge",
        "triage",
    ]
    page = officer.get(path).text
    # the verdict menus keep the saved values
    assert re.search(r'name="verdict.indexation"[^>]*>.*?value="relevant" selected', page, re.S)
    assert '<option value="pension_financing" selected>' in page
    assert 'Task team: <strong class="team">ក្រុមការងារសោធននិវត្តន៍</strong>' in page
    # saving again repeats no verdict
    officer.post(
        f"{path}/triage",
        data={
            "csrf_token": _csrf(officer, path),
            "verdict.indexation": "relevant",
            "task_team": "ក្រុមការងារសោធននិវត្តន៍",
            "acknowledged": "1",
        },
        headers={"Accept": "application/json"},
    )
    assert len([f for f in _given(module_tracker) if f.alert_id == alerts.km]) == 2
    # the note names the team as its owner
    note = officer.get(f"{path}/note.md").text
    assert (
        "ក្រុមការងារសោធននិវត្តន៍" in note
        and "(to be set) / (មិនទាន់កំណត់)" not in note.split("Owner", 1)[1].split("\n", 1)[0]
    )
    # undo the last step (the repeat: nothing but the same state), then the first one
    for _ in range(2):
        step = re.search(r'name="step" value="(\d+)"', officer.get(path).text)
        assert step is not None
        undone = officer.post(
            f"{path}/triage/undo",
            data={"csrf_token": _csrf(officer, path), "step": step.group(1)},
            follow_redirects=False,
        )
        assert undone.status_code == 303
    [triage] = [t for t in _rows(module_tracker, AlertHandling) if t.alert_id == alerts.km]
    assert (triage.acknowledged_at, triage.task_team, triage.assignee) == (None, "", "")
    assert [f for f in _given(module_tracker) if f.alert_id == alerts.km] == []
    assert 'name="step"' not in officer.get(path).text  # nothing left to undo


def test_triage_refuses_an_unknown_assignee_or_position_and_stores_nothing(
    officer: TestClient, alerts: Alerts, module_tracker: Any
) -> None:
    path = f"/alerts/{alerts.en}"
    for data in (
        {"assignee": "mallory"},
        {"verdict.vesting": "relevant", "verdict.indexation": "maybe"},
        {"verdict.indexation": "wrong_position", "correct.indexation": "not_a_position"},
    ):
        response = officer.post(
            f"{path}/triage",
            data={"csrf_token": _csrf(officer, path), "acknowledged": "1", **data},
            headers={"Accept": "application/json"},
        )
        assert response.status_code == 422, data
        assert response.json()["field"] in ("assignee", "verdict", "correct_position")
    assert not [t for t in _rows(module_tracker, AlertHandling) if t.alert_id == alerts.en]


# -- the inbox: filters in the URL, triage from the row --------------------------------------


def test_inbox_filters_are_kept_in_the_url(officer: TestClient, alerts: Alerts) -> None:
    def shown(**query: str) -> set[int]:
        html = officer.get("/alerts", params=query).text
        return {int(i) for i in re.findall(r'<li class="inbox-item[^"]*" id="alert-(\d+)"', html)}

    inbox = officer.get("/alerts").text
    row = inbox.split(f'id="alert-{alerts.km}"', 1)[1].split("</li>", 1)[0]
    assert "worse for the coalition" in row and "Indexation of benefits" in row
    everything = shown()
    assert {alerts.km, alerts.en} <= everything
    assert alerts.km in shown(position="indexation")
    assert alerts.km not in shown(position="vesting")
    assert shown(severity="high") >= {alerts.km, alerts.en}
    assert alerts.km in shown(instrument="៣៨ ស្តីពីសោធន")
    assert shown(instrument=str(alerts.km_instrument)) == {alerts.km}
    assert shown(since="2026-11-11", until="2026-11-11") == {alerts.km}
    assert shown(since="2999-01-01") == set()
    assert shown(position="not-a-position") == everything  # an unknown value filters nothing
    # from the inbox row, in one step: a team, mine, acknowledged; back to the same filters
    query = "position=indexation&severity=high"
    response = officer.post(
        f"/alerts/{alerts.en}/triage",
        data={
            "csrf_token": _csrf(officer, "/alerts"),
            "return_to": f"/alerts?{query}",
            "verdict": "relevant",
            "task_team": "Pensions <task> team",
            "assignee": "officer1",
            "acknowledged": "1",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"/alerts?{query}&saved=")
    back = officer.get(response.headers["location"]).text
    assert "saved." in back and 'name="step"' in back  # with its undo
    assert 'value="indexation" selected' in back  # the filters as they were
    row = back.split(f'id="alert-{alerts.en}"', 1)[1].split("</li>", 1)[0]
    assert '<option value="relevant" selected>' in row  # the row's menu keeps the verdict
    assert shown(team="pensions <task>") == {alerts.en}
    assert shown(mine="1") == {alerts.en}
    assert alerts.en not in shown(show="new")
    assert "Pensions &lt;task&gt; team" in back and "<task>" not in back
    [listed] = [a for a in officer.get("/api/alerts").json() if a["id"] == alerts.en]
    assert listed["triage"]["assignee"] == "officer1"
    assert listed["triage"]["task_team"] == "Pensions <task> team"
