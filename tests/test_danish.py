"""Danish number and date formats and the sentences made from the parameters."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from councilbook.core import formats
from councilbook.parameters.load import load_parameters
from councilbook.text import danish

ROOT = Path(__file__).resolve().parents[1]


def test_numbers_and_dates() -> None:
    assert formats.format_number(1234567.4) == "1.234.567"
    assert formats.format_number(12.45, 1) == "12,4" or formats.format_number(12.45, 1) == "12,5"
    assert formats.format_number(math.nan) == "–"
    assert formats.format_percent(12.5) == "12,5\u00a0%"
    assert formats.format_percent(-3.04, signed=True) == "-3,0\u00a0%"
    assert formats.format_percent(4.2, signed=True) == "+4,2\u00a0%"
    assert formats.format_date(date(2013, 3, 13)) == "13. marts 2013"
    assert formats.format_month(pd.Period("2013-12", freq="M")) == "december 2013"


def test_count_noun() -> None:
    assert formats.count_noun(1, "kontraktmøde", "kontraktmøder") == "1 kontraktmøde"
    assert formats.count_noun(0, "kontraktmøde", "kontraktmøder") == "0 kontraktmøder"
    assert formats.count_noun(2, "strategiseminar", "strategiseminarer") == "2 strategiseminarer"


def test_spans() -> None:
    from councilbook.core.periods import parse_period

    assert formats.format_span(parse_period("2012")) == "2012"
    assert formats.format_span(parse_period("2012M12")) == "december 2012"
    assert formats.format_span(parse_period("2013Q1")) == "januar-marts 2013"


@pytest.fixture(scope="module")
def sample():
    return load_parameters(ROOT / "parameters")


def test_target_sentences_every_form(sample) -> None:
    c2013, c2012 = sample.contracts[2013], sample.contracts[2012]
    m = sample.measures
    sentences = {g.id: danish.describe_target(g, m[g.measure], 2013) for g in c2013.goals}
    assert sentences["langtidsledighed"] == "Antallet af langtidsledige skal højst være 9.000 i december 2013."
    assert sentences["foertidspension"] == (
        "Antallet af nye førtidspensioner skal falde med mindst 10,0\u00a0% i 2013 i forhold til 2012."
    )
    assert sentences["unge-uddannelse"] == (
        "Andelen af unge uden uddannelse på offentlig forsørgelse, der er i gang med en uddannelse, "
        "skal mindst være 16,0\u00a0% i 2013."
    )
    assert sentences["virksomhedssamarbejde"] == (
        "Andelen af virksomheder, der samarbejder med jobcentret, skal øges mest muligt i 2013 i forhold til 2012."
    )
    fp = c2012.goals[1]
    assert danish.describe_target(fp, m[fp.measure], 2012) == (
        "Antallet af nye førtidspensioner skal begrænses mest muligt i 2012 i forhold til 2011."
    )


def test_change_words(sample) -> None:
    from councilbook.core import figures as fig

    fall = fig.change(fig.level(9620, False), fig.level(10400, False))
    assert fig.describe_change(fall, "lower") == (
        "et fald på 7,5\u00a0% i forhold til samme periode året før (en forbedring)"
    )
    share_fall = fig.change(fig.level(15.2, True), fig.level(15.7, True))  # a share, higher is better
    assert fig.describe_change(share_fall, "higher") == (
        "et fald på 0,5 procentpoint i forhold til samme periode året før (en forværring)"
    )
    assert fig.direction(fig.change(fig.level(102, False), fig.level(100, False)), "lower") == "↑ dårligere"
    assert fig.direction(fall, "lower") == "↓ bedre"
    # Shown figures that differ never read "uændret" nor "±0,0": the difference gets the decimals it needs.
    tiny = fig.change(fig.level(9024, False), fig.level(9020, False))
    assert (tiny.text, fig.direction(tiny, "lower")) == ("+0,04\u00a0%", "↑ dårligere")
    same = fig.change(fig.level(15.96, True), fig.level(16.04, True))
    assert (same.text, fig.direction(same, "higher")) == ("±0,0 pct.-point", "→ uændret")
