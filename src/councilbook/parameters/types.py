"""The value types every parameters file shares: ids, texts, dates, web addresses, and the strict base model."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError


def _code_to_str(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


MunicipalityCode = Annotated[str, BeforeValidator(_code_to_str), Field(pattern=r"^\d{1,4}$")]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=60)]
Text = Annotated[str, Field(min_length=1)]

# The largest figure or target (in size) councilbook takes: far above any count, amount in kroner or
# share it reports on, and far below where sums, forecasts and rounding to decimals lose precision.
# A larger number is a typing or export error.
MAX_FIGURE = 1e15

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    """A date is written YYYY-MM-DD: pydantic would also take a number (seconds since 1970, so
    ``signed: 0`` is 1 January 1970) or a date with a time; refuse them."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        return value.strip()  # pydantic checks that the day exists
    raise PydanticCustomError(
        "date_not_iso", "{value} er ikke en dato; en dato skrives ÅÅÅÅ-MM-DD, fx 2013-03-20", {"value": repr(value)}
    )


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]

_WEB_ADDRESS = re.compile(r"^https?://[^\s<>\"'`\\]+$")


def _web_address(value: Any) -> Any:
    """An http(s) address; ``www.example.dk`` is read as ``https://www.example.dk``."""
    text = value.strip() if isinstance(value, str) else ""
    if text.lower().startswith("www."):
        text = "https://" + text
    if _WEB_ADDRESS.match(text) and len(text) <= 300:
        return text
    raise PydanticCustomError(
        "web_address",
        "skal være en webadresse som https://www.eksempel.dk (der begynder med https://, http:// eller www.)",
    )


WebAddress = Annotated[str, BeforeValidator(_web_address)]


# Characters no text may hold: control characters (a terminal would act on ESC sequences) other than
# line breaks and tabs, and the Unicode controls that reorder or hide text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _control_character(value: Any) -> re.Match[str] | None:
    """The first control character in a text, or in the texts of a list or a mapping of texts."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.search(value)
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for item in items:
        if isinstance(item, (str, list)):
            found = _control_character(item)
            if found:
                return found
    return None


class StrictModel(BaseModel):
    # allow_inf_nan: YAML's .inf and .nan (and a number too large for a float) are never a number here.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _text_is_text(cls, data: Any) -> Any:
        """Every text is text: no control characters (:data:`CONTROL_CHARACTERS`); each nested model checks its own."""
        if isinstance(data, dict):
            for key, value in data.items():
                found = _control_character(value)
                if found:
                    raise PydanticCustomError(
                        "control_character",
                        "teksten indeholder styretegnet U+{code}; fjern det (de fleste editorer viser det ikke: "
                        "skriv teksten omkring det igen)",
                        {"key": str(key), "code": f"{ord(found.group()):04X}"},
                    )
        return data
