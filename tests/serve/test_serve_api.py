"""`clausesmith serve`'s API and page, through Starlette's test client: the token, the host
and origin checks, the checks of a deal as the form sends it, saving with the comments kept,
and three deals drafted from a blank form that render as the same deals written by hand."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from starlette.testclient import TestClient

from clausesmith.cli.main import cli
from clausesmith.deal.json_schema import deal_json_schema
from clausesmith.pipeline import Inputs, render_deal
from clausesmith.resources import Sources
from clausesmith.serve.app import MAX_BODY_BYTES, cookie_name, create_app
from clausesmith.serve.dealfile import DealFile
from helpers.deals import ACME

TOKEN = "test-token"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
INPUTS = Inputs(Sources.resolve())
DEALS = Path(__file__).parent / "deals"


def as_json(value: Any) -> Any:
    """A deal as the form sends it: dates as ISO text."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def client_for(deal: Path | None) -> TestClient:
    client = TestClient(create_app(DealFile(deal), INPUTS, TOKEN, PORT), base_url=BASE)
    client.cookies.set(cookie_name(PORT), TOKEN)
    return client


@pytest.fixture
def deal_copy(tmp_path: Path) -> Path:
    path = tmp_path / "acme-beta.yaml"
    shutil.copy(ACME, path)
    return path


@pytest.fixture
def client(deal_copy: Path) -> Iterator[TestClient]:
    with client_for(deal_copy) as c:
        yield c


def reference() -> dict[str, Any]:
    data: dict[str, Any] = as_json(yaml.safe_load(ACME.read_text(encoding="utf-8")))
    return data


# ---- safety ------------------------------------------------------------------------------


def test_the_printed_token_is_exchanged_for_a_cookie_and_nothing_answers_without_it(
    deal_copy: Path,
) -> None:
    bare = TestClient(create_app(DealFile(deal_copy), INPUTS, TOKEN, PORT), base_url=BASE)
    assert bare.get("/").status_code == 401
    assert bare.post("/api/check", json={"deal": {}}).status_code == 401
    assert bare.get("/?token=wrong").status_code == 401
    exchanged = bare.get(f"/?token={TOKEN}", follow_redirects=False)
    assert exchanged.status_code == 200 and 'id="deal"' in exchanged.text
    cookie = exchanged.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert bare.get("/").status_code == 200  # the cookie now carries it
    bearer = TestClient(create_app(DealFile(deal_copy), INPUTS, TOKEN, PORT), base_url=BASE)
    answer = bearer.get("/api/openapi.json", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200


def test_another_host_or_origin_is_refused(deal_copy: Path, client: TestClient) -> None:
    rebound = TestClient(
        create_app(DealFile(deal_copy), INPUTS, TOKEN, PORT), base_url=f"http://evil.test:{PORT}"
    )
    rebound.cookies.set(cookie_name(PORT), TOKEN)
    assert rebound.get("/").status_code == 400  # DNS rebinding: the Host is not ours
    foreign = client.post("/api/check", json={"deal": {}}, headers={"Origin": "http://evil.test"})
    assert (foreign.status_code, foreign.json()) == (
        403,
        {"error": "requests from other sites are refused"},
    )
    own = client.post("/api/check", json={"deal": {}}, headers={"Origin": BASE})
    assert own.status_code == 200


def test_a_body_over_the_limit_is_refused(client: TestClient) -> None:
    big = b'{"deal": "' + b"x" * MAX_BODY_BYTES + b'"}'
    answer = client.post("/api/check", content=big, headers={"Content-Type": "application/json"})
    assert answer.status_code == 413


def test_only_the_page_s_own_script_and_style_are_served(client: TestClient) -> None:
    assert client.get("/static/form.js").status_code == 200
    assert client.get("/static/form.css").status_code == 200
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/%2e%2e%2fapp.py").status_code == 404


# ---- the checks ----------------------------------------------------------------------------


def test_five_percent_is_answered_at_its_key_with_what_to_type(client: TestClient) -> None:
    deal = reference()
    deal["royalties"]["rate_pct"] = "5%"
    answer = client.post("/api/check", json={"deal": deal}).json()
    assert answer["problems"] == [
        {"key": "royalties.rate_pct", "message": "expected a number, got '5%' (drop the %: 5)"}
    ]
    assert answer["preview"] == ""
    deal["royalties"]["rate_pct"] = 2.5
    answer = client.post("/api/check", json={"deal": deal}).json()
    assert answer["problems"] == []
    assert "a balancing royalty of 2.5% of Net Sales" in answer["preview"]
    assert "<table>" in answer["preview"]  # the heads of terms, as a table
    assert [f["rule"] for f in answer["findings"]] == ["CL-06-UK-ASSESSMENT"]


def test_an_exclusive_grant_back_is_a_block_and_has_no_preview(client: TestClient) -> None:
    deal = reference()
    deal["grant_back"]["exclusivity"] = "exclusive"
    answer = client.post("/api/check", json={"deal": deal}).json()
    [block] = [f for f in answer["findings"] if f["severity"] == "block"]
    assert block["rule"] == "CL-01-EXCLUSIVE-GRANT-BACK"
    assert "No preview: a guardrail blocks this deal" in answer["preview"]
    documents = client.post("/api/documents", json={"deal": deal})
    assert documents.status_code == 422


def test_the_documents_come_as_a_zip_of_what_render_writes(client: TestClient) -> None:
    answer = client.post("/api/documents", json={"deal": reference()})
    assert answer.status_code == 200
    assert answer.headers["content-disposition"] == 'attachment; filename="acme-beta-2026.zip"'
    names = zipfile.ZipFile(io.BytesIO(answer.content)).namelist()
    assert sorted(names) == [
        "clausesmith.lock.json",
        "side-letter-surgical.docx",
        "side-letter-surgical.md",
        "term-sheet.docx",
        "term-sheet.md",
    ]


# ---- saving ------------------------------------------------------------------------------


def test_saving_changes_the_value_and_keeps_every_comment(
    client: TestClient, deal_copy: Path
) -> None:
    deal = reference()
    deal["royalties"]["rate_pct"] = 2.5
    answer = client.post("/api/save", json={"deal": deal})
    assert answer.status_code == 200, answer.text
    assert answer.json()["saved"] == str(deal_copy)
    before = ACME.read_text(encoding="utf-8").splitlines()
    after = deal_copy.read_text(encoding="utf-8").splitlines()
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert changed == [
        (
            "  rate_pct: 2.0                         # running only",
            "  rate_pct: 2.5                         # running only",
        )
    ]
    result = CliRunner().invoke(cli, ["validate", str(deal_copy)])
    assert result.exit_code == 0, result.output


def test_a_file_changed_on_disk_since_it_was_opened_is_not_overwritten(
    client: TestClient, deal_copy: Path
) -> None:
    edited = deal_copy.read_text(encoding="utf-8").replace("years: 7", "years: 8")
    deal_copy.write_text(edited, encoding="utf-8")
    answer = client.post("/api/save", json={"deal": reference()})
    assert answer.status_code == 409
    assert answer.json()["error"].startswith(f"{deal_copy}: changed on disk since it was opened")
    assert deal_copy.read_text(encoding="utf-8") == edited


def test_a_new_deal_is_saved_only_inside_the_folder_and_never_over_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken.yaml").write_text("x: 1\n", encoding="utf-8")
    with client_for(None) as client:
        page = client.get("/").text
        assert "clausesmith: a new deal" in page and "save-as" in page
        deal = as_json(yaml.safe_load((DEALS / "lidar-running.yaml").read_text("utf-8")))
        for path, error in (
            (None, "this deal has no file yet: give the file name to save it as"),
            ("../outside.yaml", "../outside.yaml: save inside"),
            ("taken.yaml", "taken.yaml: already exists; choose a new name"),
            ("deal.txt", "deal.txt: a deal file's name ends in .yaml"),
        ):
            answer = client.post("/api/save", json={"deal": deal, "path": path})
            assert answer.status_code == 400
            assert answer.json()["error"].startswith(error)
        assert not (tmp_path.parent / "outside.yaml").exists()
        saved = client.post("/api/save", json={"deal": deal, "path": "lidar.yaml"})
        assert saved.status_code == 200
        assert saved.json()["saved"] == str(tmp_path / "lidar.yaml")


@pytest.mark.parametrize(
    "hand_written", ["lidar-running.yaml", "lidar-lump-sum.yaml", "sensor-collaboration.yaml"]
)
def test_a_deal_drafted_in_the_blank_form_renders_as_the_same_deal_written_by_hand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hand_written: str
) -> None:
    monkeypatch.chdir(tmp_path)
    by_hand = DEALS / hand_written
    deal = as_json(yaml.safe_load(by_hand.read_text(encoding="utf-8")))
    with client_for(None) as client:  # starts from the minimal deal, with its comments
        checked = client.post("/api/check", json={"deal": deal}).json()
        assert checked["problems"] == []
        assert not [f for f in checked["findings"] if f["severity"] == "block"]
        assert client.post("/api/save", json={"deal": deal, "path": "d.yaml"}).status_code == 200
    saved = render_deal(tmp_path / "d.yaml", INPUTS, out_dir=tmp_path / "a").files
    written = render_deal(by_hand, INPUTS, out_dir=tmp_path / "b").files
    lock = "clausesmith.lock.json"
    assert sorted(saved) == sorted(written)
    assert {n: b for n, b in saved.items() if n != lock} == {
        n: b for n, b in written.items() if n != lock
    }
    # The saved file keeps the minimal deal's comment and writes dates as dates.
    text = (tmp_path / "d.yaml").read_text(encoding="utf-8")
    assert text.startswith("# The smallest deal specification clausesmith accepts")
    assert "date: 20" in text and "date: '20" not in text


# ---- the page ------------------------------------------------------------------------------


def test_the_form_has_every_section_a_label_for_every_control_and_rows_to_add(
    client: TestClient,
) -> None:
    page = client.get("/").text
    for section in deal_json_schema()["properties"]:
        assert f"data-key='{section}'" in page, section

    ids = set(re.findall(r" id='(f\d+)'", page))
    labelled = set(re.findall(r"<label[^>]* for='(f\d+)'", page))
    controls = set(re.findall(r"<(?:input|select|textarea)[^>]* id='(f\d+)'", page))
    assert controls and controls <= labelled <= ids
    for rows in ("parties", "families", "side_letters", "overrides", "acknowledgements"):
        assert f"data-node='array' data-key='{rows}'" in page, rows
    assert "Add a row to parties" in page
    assert "(left out: 2.0, the playbook" not in page  # the reference states its own rate
    assert "<datalist id='countries'>" in page and "value='JP'" in page


def test_the_api_is_described(client: TestClient) -> None:
    description = client.get("/api/openapi.json").json()
    assert description["openapi"].startswith("3.")
    assert set(description["paths"]) == {"/api/check", "/api/save", "/api/documents"}


def test_serve_names_a_deal_file_that_is_not_there(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", str(tmp_path / "missing.yaml"), "--no-browser"])
    assert result.exit_code == 2
    assert "no such deal file (leave DEAL out to start a new deal)" in result.output
