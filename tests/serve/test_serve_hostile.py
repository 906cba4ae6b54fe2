"""`clausesmith serve` under attack: what a hostile web page, deal file or JSON body can do
to it, and that what it saves is read back by the loader exactly as the form sent it."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from clausesmith.errors import InvalidInput
from clausesmith.inputs.yamlio import parse
from clausesmith.pipeline import Inputs
from clausesmith.resources import Sources, bundled
from clausesmith.serve.app import cookie_name, create_app
from clausesmith.serve.dealfile import DealFile

TOKEN = "test-token"
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
INPUTS = Inputs(Sources.resolve())
MINIMAL = bundled("examples") / "minimal.yaml"


def client_for(deal: Path | None, port: int = PORT) -> TestClient:
    app = create_app(DealFile(deal), INPUTS, TOKEN, port)
    client = TestClient(app, base_url=f"http://127.0.0.1:{port}")
    client.cookies.set(cookie_name(port), TOKEN)
    return client


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    path = tmp_path / "deal.yaml"
    shutil.copy(MINIMAL, path)
    return path


def loaded(path: Path) -> Any:
    return parse(path.read_text(encoding="utf-8"), str(path)).data


# ---- what is saved is what the loader reads ----------------------------------------------

# Text a paralegal may type that YAML 1.1 (the loader) and YAML 1.2 (ruamel) read differently,
# or that YAML reads as something other than the text: each must come back as typed.
AMBIGUOUS = [
    "NO", "no", "on", "Off", "yes", "Y", "n", "1:20", "190:20:30", "0755", "0o17", "0x1F",
    "1e3", "1_000", "=", "<<", "~", "null", ".inf", "2026-03-02", "2026-03-02 10:00:00",
    " leading", "trailing ", "two\nlines", "ends\n", "tab\there", "line\u2028separator",
    "next\x85line", "#hash", "a: b", "- x", "'q'", '"dq"', "\U0001f600", "0b101", "+1", "1.",
    ".5", "@x", "`x", "%x", "!x", "&x", "*x", "|", ">", "[x]", "{x}", "x #y", "1,000",
]  # fmt: skip


def test_text_that_looks_like_a_boolean_a_number_or_a_date_is_saved_as_text(
    minimal: Path,
) -> None:
    with client_for(minimal) as client:
        deal = DealFile(minimal).data()
        deal["patents"]["families"] = [
            {"owner": "north", "ref": text, "title": "t"} for text in AMBIGUOUS
        ]
        deal["territory"]["include"] = ["NO", "GB"]  # Norway, the classic
        deal["parties"][1]["key"] = "on"
        answer = client.post("/api/save", json={"deal": deal})
        assert answer.status_code == 200, answer.text
    back = loaded(minimal)
    assert [f["ref"] for f in back["patents"]["families"]] == AMBIGUOUS
    assert back["territory"]["include"] == ["NO", "GB"]
    assert back["parties"][1]["key"] == "on"


@pytest.mark.parametrize("number", [1e21, 1e-7, 1e16, 2.5, 25_000_000, 10**25, 0.1 + 0.2])
def test_a_number_is_saved_as_the_same_number(minimal: Path, number: float) -> None:
    with client_for(minimal) as client:
        deal = DealFile(minimal).data()
        deal["term"]["years"] = number
        assert client.post("/api/save", json={"deal": deal}).status_code == 200
    saved = loaded(minimal)["term"]["years"]
    assert saved == number and type(saved) is type(number)


def test_the_form_shows_a_value_as_the_loader_reads_it_and_saves_it_so(minimal: Path) -> None:
    """`NO` unquoted in a file is `false` to the loader (YAML 1.1), text to ruamel (1.2): the
    form shows the loader's reading, and a paralegal who types NO gets Norway saved."""
    text = minimal.read_text(encoding="utf-8").replace("include: [WORLD]", "include: [NO]  # x")
    minimal.write_text(text, encoding="utf-8")
    assert DealFile(minimal).data()["territory"]["include"] == [False]
    with client_for(minimal) as client:
        deal = DealFile(minimal).data()
        deal["territory"]["include"] = ["NO"]
        assert client.post("/api/save", json={"deal": deal}).status_code == 200
    assert loaded(minimal)["territory"]["include"] == ["NO"]
    assert "# x" in minimal.read_text(encoding="utf-8")


def test_unchanged_values_keep_their_text_and_comments(minimal: Path) -> None:
    text = minimal.read_text(encoding="utf-8").replace(
        "  years: 5", "  years: 5\n  # the fee\nroyalties: {rate_pct: 2.50, cap: 25_000_000}"
    )
    minimal.write_text(text, encoding="utf-8")
    with client_for(minimal) as client:
        deal = DealFile(minimal).data()
        deal["deal"]["title"] = "Changed"
        assert client.post("/api/save", json={"deal": deal}).status_code == 200
    after = minimal.read_text(encoding="utf-8")
    assert "{rate_pct: 2.50, cap: 25_000_000}" in after
    assert "# the fee" in after and "date: 2026-05-11" in after
    assert loaded(minimal)["deal"]["title"] == "Changed"


# ---- a hostile deal file -----------------------------------------------------------------


def test_a_billion_laughs_file_is_refused_at_once_naming_the_anchor(tmp_path: Path) -> None:
    path = tmp_path / "laughs.yaml"
    rows = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    rows += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(InvalidInput) as refused:
        DealFile(path)
    assert time.monotonic() - started < 5  # a hang check, not a timing
    assert "anchors" in str(refused.value.problems[0].message)


def test_a_self_referencing_alias_and_a_tag_are_refused(tmp_path: Path) -> None:
    for name, text in (("loop.yaml", "a: &a [*a]\n"), ("tag.yaml", "a: !!python/name:os.system\n")):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InvalidInput):
            DealFile(path)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_a_deal_that_is_a_device_is_refused_without_reading_it(tmp_path: Path) -> None:
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    with pytest.raises(InvalidInput) as refused:
        DealFile(link)
    assert "not a regular file" in refused.value.problems[0].message


@pytest.mark.skipif(os.name == "nt", reason="Windows file names cannot hold < or >")
def test_a_deal_file_s_name_never_becomes_markup_on_the_page(tmp_path: Path) -> None:
    path = tmp_path / "<img src=x onerror=alert(1)>.yaml"
    shutil.copy(MINIMAL, path)
    with client_for(path) as client:
        page = client.get("/").text
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


# ---- a hostile page in the same browser, a hostile body ----------------------------------


def test_every_answer_forbids_framing_inline_script_and_caching(minimal: Path) -> None:
    with client_for(minimal) as client:
        for answer in (client.get("/"), client.post("/api/check", json={"deal": {}})):
            policy = answer.headers["content-security-policy"]
            assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
            assert "default-src 'none'" in policy
            assert answer.headers["x-frame-options"] == "DENY"
            assert answer.headers["x-content-type-options"] == "nosniff"
            assert answer.headers["referrer-policy"] == "no-referrer"
            assert answer.headers["cache-control"] == "no-store"


def test_two_servers_on_one_machine_keep_their_own_cookies(minimal: Path) -> None:
    """Cookies are shared by every port of 127.0.0.1: one name per port, so a second
    `serve` does not log the first one's tab out."""
    assert cookie_name(8765) != cookie_name(8766)
    with client_for(minimal, port=8766) as client:
        answer = client.get("/?token=" + TOKEN, follow_redirects=False)
        assert cookie_name(8766) in answer.headers["set-cookie"]


def test_a_post_that_is_not_json_is_refused(minimal: Path) -> None:
    """A cross-site form can post text/plain without a preflight; the API reads JSON only."""
    with client_for(minimal) as client:
        answer = client.post(
            "/api/check", content=b'{"deal": {}}', headers={"content-type": "text/plain"}
        )
        assert answer.status_code == 415


@pytest.mark.parametrize(
    "body",
    [
        b'{"deal": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
        b'{"deal": ' + b'{"a": ' * 200 + b"1" + b"}" * 200 + b"}",
        b'{"deal": {"term": {"years": NaN}}}',
        b'{"deal": {"term": {"years": Infinity}}}',
        b'{"deal": {"term": {"years": 1e999}}}',
    ],
    ids=["deep-list", "deep-map", "nan", "infinity", "overflow"],
)
def test_a_hostile_json_body_is_refused_not_crashed(minimal: Path, body: bytes) -> None:
    with client_for(minimal) as client:
        for route in ("/api/check", "/api/save", "/api/documents"):
            answer = client.post(route, content=body, headers={"content-type": "application/json"})
            assert answer.status_code == 400, (route, answer.text)
            assert "error" in answer.json()


@pytest.mark.parametrize("name", ["x\x00.yaml", "a" * 5000 + ".yaml", 12])
def test_a_hostile_save_path_is_refused_not_crashed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: object
) -> None:
    monkeypatch.chdir(tmp_path)
    with client_for(None) as client:
        deal = DealFile(None).data()
        answer = client.post("/api/save", json={"deal": deal, "path": name})
        assert answer.status_code == 400, answer.text
    assert list(tmp_path.iterdir()) == []


def test_a_string_past_the_body_limit_in_json_escapes_is_refused(minimal: Path) -> None:
    """The limit is on the bytes received; escapes cannot inflate past it."""
    with client_for(minimal) as client:
        body = json.dumps({"deal": {"x": "\u00e9" * 600_000}}, ensure_ascii=True).encode()
        answer = client.post(
            "/api/check", content=body, headers={"content-type": "application/json"}
        )
        assert answer.status_code == 413


@pytest.mark.skipif(os.name == "nt", reason="Windows keeps access in ACLs, not mode bits")
def test_saving_keeps_a_private_deal_file_private(minimal: Path) -> None:
    minimal.chmod(0o600)
    with client_for(minimal) as client:
        deal = DealFile(minimal).data()
        deal["deal"]["title"] = "Confidential"
        assert client.post("/api/save", json={"deal": deal}).status_code == 200
    assert minimal.stat().st_mode & 0o777 == 0o600


def test_the_browser_is_handed_no_token_on_its_command_line(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A browser's command line is visible to every user of the machine (`ps`); the token is
    the only guard against them."""
    import webbrowser

    import uvicorn

    from clausesmith.serve import server

    opened: list[str] = []
    said: list[str] = []
    monkeypatch.setattr(webbrowser, "open", opened.append)
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: None)
    server.serve(minimal, INPUTS, 0, True, said.append)
    printed = next(line.removeprefix("Open ") for line in said if line.startswith("Open "))
    token = printed.split("token=")[1]
    assert len(opened) == 1 and token not in opened[0]
    launch = Path.from_uri(opened[0]) if hasattr(Path, "from_uri") else Path(opened[0][7:])
    assert printed in launch.read_text(encoding="utf-8")
    if os.name != "nt":
        assert launch.stat().st_mode & 0o077 == 0


def test_a_deal_written_on_windows_keeps_its_line_endings(minimal: Path) -> None:
    """A deal with CRLF line endings is saved with CRLF: a save changes the lines it
    changes, not every line of the file in a diff."""
    minimal.write_bytes(minimal.read_bytes().replace(b"\n", b"\r\n"))
    with client_for(minimal) as client:
        deal = DealFile(minimal).data()
        deal["deal"]["title"] = "Windows"
        assert client.post("/api/save", json={"deal": deal}).status_code == 200
    raw = minimal.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")
    assert loaded(minimal)["deal"]["title"] == "Windows"


@pytest.mark.skipif(os.name == "nt", reason="symlinks need a privilege on Windows")
def test_a_deal_opened_through_a_symlink_is_saved_into_the_file_it_names(
    tmp_path: Path, minimal: Path
) -> None:
    """Saving replaced the link with a new file and left the real deal unchanged."""
    link = tmp_path / "link.yaml"
    link.symlink_to(minimal)
    with client_for(link) as client:
        deal = DealFile(link).data()
        deal["deal"]["title"] = "Through the link"
        answer = client.post("/api/save", json={"deal": deal})
        assert answer.status_code == 200
        assert answer.json()["saved"] == str(minimal.resolve())
    assert link.is_symlink()
    assert loaded(minimal)["deal"]["title"] == "Through the link"


def test_deal_text_never_becomes_a_link_or_an_image_in_the_preview_or_the_twin() -> None:
    """A counterparty's name holding Markdown link or image syntax: shown as typed, never
    a clickable link or an image fetched from elsewhere (a tracking pixel)."""
    with client_for(None) as client:
        deal = DealFile(None).data()
        deal["parties"][0]["name"] = (
            "Evil ![x](http://evil.example/t.png) [click](http://x.example/) Corp"
        )
        answer = client.post("/api/check", json={"deal": deal}).json()
        assert answer["problems"] == []
        assert "<img" not in answer["preview"] and "<a " not in answer["preview"]
        assert "![x](http://evil.example/t.png)" in answer["preview"]
        twins = client.post("/api/documents", json={"deal": deal})
    assert twins.status_code == 200
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(twins.content)) as archive:
        sheet = archive.read("term-sheet.md").decode("utf-8")
    assert r"\[click\]" in sheet
