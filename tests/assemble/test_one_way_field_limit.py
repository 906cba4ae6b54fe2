"""A sensitive field's letter may limit one licensee only ("Beta's licence never reaches
surgical robotics"): `carve_outs.sensitive_fields[].limits_licensee`. The term sheet and the
letter say whose licence it limits and that the other's is not limited; between competitors
the side-letter guardrails read it as a one-licensee limit; a key naming no party, or a limit
on a field the letter licenses, is refused."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from clausesmith.cli.main import cli

runner = CliRunner()


def one_way(acme_data: dict[str, Any], **extra: Any) -> dict[str, Any]:
    acme_data["carve_outs"]["sensitive_fields"] = [
        {"key": "surgical", "name": "surgical robotics", "owner": "acme",
         "side_letter": "surgical", "limits_licensee": "beta", **extra}
    ]  # fmt: skip
    return acme_data


def test_the_letter_and_the_term_sheet_name_the_one_licensee_limited(
    acme_data: dict[str, Any], write_deal: Callable[..., Path], tmp_path: Path
) -> None:
    deal = write_deal(one_way(acme_data))
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", str(deal), "-o", str(out)])
    assert result.exit_code == 0, result.output
    letter = (out / "acme-beta-2026" / "side-letter-surgical.md").read_text(encoding="utf-8")
    assert (
        "Beta's licence under the Agreement will not extend to the Sensitive Field: Beta will "
        "not be licensed under Acme's Licensed Patents for products in it, even where those "
        "products would otherwise fall within the Licensed Field. This letter does not limit "
        "Acme's licence under Beta's Licensed Patents."
    ) in letter.replace("\u2019", "'")
    assert "neither party will be licensed" not in letter
    sheet = (out / "acme-beta-2026" / "term-sheet.md").read_text(encoding="utf-8")
    assert (
        "is excluded from Beta's licence under the Agreement, even where a product in it would "
        "otherwise fall within the Licensed Field (the licence to Acme is not limited by it)"
    ) in sheet.replace("\u2019", "'")


def test_between_competitors_a_one_licensee_limit_is_a_guardrail_finding(
    acme_data: dict[str, Any], write_deal: Callable[..., Path]
) -> None:
    assert acme_data["relationship"]["competitors"] is True
    result = runner.invoke(
        cli, ["explain", "--format", "json", str(write_deal(one_way(acme_data)))]
    )
    assert result.exit_code == 0, result.output
    (finding,) = [
        f for f in json.loads(result.output)["findings"] if f["rule"] == "CL-15-FIELD-PER-LICENSEE"
    ]
    assert finding["severity"] == "warn"
    assert (
        "a sensitive field's limits_licensee keeps it from one licensee only"
        in (finding["message"])
    )


def test_a_limit_naming_no_party_or_on_an_included_field_is_refused(
    acme_data: dict[str, Any], write_deal: Callable[..., Path]
) -> None:
    deal = write_deal(one_way(acme_data, limits_licensee="kestrel"))
    result = runner.invoke(cli, ["validate", str(deal)])
    assert result.exit_code == 1
    assert "carve_outs.sensitive_fields[0].limits_licensee: 'kestrel' names no party" in (
        result.output
    )
    deal = write_deal(one_way(acme_data, licence="included"))
    result = runner.invoke(cli, ["validate", str(deal)])
    assert result.exit_code == 1
    assert "limits_licensee: a field with licence: included limits no licensee" in result.output
