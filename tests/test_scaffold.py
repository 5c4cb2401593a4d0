"""`councilbook new`: a meeting or a contract year written as a valid, commented stub, or nothing at all."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from councilbook.cli import app
from councilbook.parameters.load import load_parameters

runner = CliRunner()


def new(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["new", *args])
    return result.exit_code, result.output + result.stderr


def test_new_meeting_appends_a_commented_stub(mini: Path) -> None:
    params = mini / "parameters"
    before = (params / "meetings/2021.yml").read_text(encoding="utf-8")
    code, output = new("meeting", "2021-12-08", "--kind", "theme", "--params", str(params))
    # Refused, and nothing written.
    assert code == 2 and "4. møde (meetings[3].theme): et møde med temadrøftelse skal have et tema (theme)" in output
    assert (params / "meetings/2021.yml").read_text(encoding="utf-8") == before
    code, output = new(
        "meeting", "2021-12-08", "--kind", "theme", "--theme", "Unge: uddannelse", "--params", str(params)
    )
    assert code == 0, output
    assert output.startswith(f"Mødet 8. december 2021 er tilføjet til {params / 'meetings/2021.yml'}")
    text = (params / "meetings/2021.yml").read_text(encoding="utf-8")
    assert text.startswith(before)  # what was there is kept, comments included
    assert '    theme: "Unge: uddannelse"' in text and "    # place: Mødested" in text
    meeting = load_parameters(params).meeting_on(date(2021, 12, 8))
    assert meeting.kind == "theme" and meeting.title == "Rådsmøde med temadrøftelse"
    assert meeting.theme == "Unge: uddannelse"
    assert [item.title for item in meeting.agenda] == ["Status på kontraktens mål"]
    result = runner.invoke(app, ["validate", "--params", str(params), "--data", str(mini / "data")])
    assert result.exit_code == 0, result.output


def test_new_meeting_goes_in_date_order(mini: Path) -> None:
    """A meeting between two others is written between them, so the file reads as the year runs."""
    params = mini / "parameters"
    code, output = new("meeting", "2021-09-01", "--kind", "extraordinary", "--params", str(params))
    assert code == 0, output
    text = (params / "meetings/2021.yml").read_text(encoding="utf-8")
    dates = re.findall(r"^  - date: (\S+)", text, flags=re.M)
    assert dates == ["2021-02-10", "2021-06-16", "2021-09-01", "2021-11-03"]
    assert [m.date.isoformat() for m in load_parameters(params).meetings if m.date.year == 2021] == dates


def test_new_meeting_refuses_a_date_taken_or_a_year_without_contract(mini: Path) -> None:
    params = mini / "parameters"
    before = (params / "meetings/2021.yml").read_text(encoding="utf-8")
    code, output = new("meeting", "2021-06-16", "--params", str(params))
    assert code == 2 and "der er allerede et møde 16. juni 2021" in output
    assert (params / "meetings/2021.yml").read_text(encoding="utf-8") == before
    code, output = new("meeting", "2023-03-15", "--params", str(params))
    assert code == 2 and "der er ingen kontrakt for 2023" in output
    assert not (params / "meetings/2023.yml").exists()  # nothing half-made is left
    code, output = new("meeting", "2021-13-01", "--params", str(params))
    assert code == 2 and "'2021-13-01' er ikke en gyldig dato" in output
    code, output = new("meeting", "2021-12-01", "--kind", "picnic", "--params", str(params))
    assert code == 2 and "'picnic' er ikke en mødetype" in output


def test_new_contract_starts_from_last_years_goals(mini: Path) -> None:
    params = mini / "parameters"
    code, output = new("contract", "2022", "--params", str(params))
    assert code == 0, output
    path = params / "contracts/2022.yml"
    assert output.startswith(f"Skrev {path} ud fra kontrakten for 2021 som udkast")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Result contract 2022 with the Minister for Employment: a DRAFT.")
    loaded = load_parameters(params)
    old, new_contract = loaded.contracts[2021], loaded.contracts[2022]
    assert [g.id for g in new_contract.goals] == [g.id for g in old.goals]
    by_id = {g.id: g for g in new_contract.goals}
    assert by_id["ledighed"].baseline == "2021M12" and by_id["ledighed"].target.month == "2022M12"
    assert by_id["sygedagpenge"].baseline == "2021"
    assert by_id["sygedagpenge"].target == old.goals[1].target  # the target itself is for people to set
    # A draft: no publication date until the secretariat adds it (point 14), the signing date a year on.
    assert new_contract.draft and new_contract.published is None and new_contract.signed is None
    # With the contract in place, the year's meetings can follow.
    assert new("meeting", "2022-03-16", "--kind", "contract", "--params", str(params))[0] == 0
    code, output = new("contract", "2022", "--params", str(params))
    assert code == 2 and "kontrakten findes allerede" in output
    code, output = new("contract", "2030", "--params", str(params))
    assert code == 2 and "der er ingen kontrakt for 2029 at tage udgangspunkt i" in output
