"""What every registry record shares: a stable reference, provenance and confidentiality."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from .vocab import Confidentiality

#: A record's reference: stable, human-readable, unique per record type in a workspace.
#: Import files and API clients use it to point at other records ("partner": "consulate-japan-la").
REF_PATTERN = r"^[a-z0-9][a-z0-9._:/-]{0,159}$"
#: How a reader sees a reference to a record they may not see: "confidential:1", "confidential:2"
#: (numbered within one answer), never its ref or name.
HIDDEN_REF_PREFIX = "confidential:"


def is_hidden_ref(ref: str | None) -> bool:
    return bool(ref) and ref.startswith(HIDDEN_REF_PREFIX)


Ref = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=REF_PATTERN)]


def country_code(value: str) -> str:
    """An ISO 3166-1 alpha-2 code, upper-cased ('vn' -> 'VN'); the one check every record uses."""
    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise ValueError(f"'{value}' is not an ISO 3166-1 alpha-2 code (two letters, e.g. 'JP')")
    return code


#: A country code field: validated and upper-cased by :func:`country_code`.
CountryCode = Annotated[str, AfterValidator(country_code)]

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20000)]


def slugify(text: str, limit: int = 80) -> str:
    """'Consul General of Japan, Los Angeles' -> 'consul-general-of-japan-los-angeles'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "record"


def _nul_path(value, path: str) -> str | None:
    """The path of the first string containing a NUL character, or None."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = (
                _nul_path(key, path)
                if isinstance(key, str) and "\x00" in key
                else _nul_path(item, f"{path}.{key}" if path else str(key))
            )
            if found is not None:
                return found
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = _nul_path(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None


class Record(BaseModel):
    """Base of every registry record type.

    ``ref`` is the natural key used by imports (re-importing the same file updates in
    place) and by references between records. When omitted, it is derived from the
    record's own fields by :meth:`default_ref`.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=False)

    #: Name of the record type in URLs, files and messages ("engagement").
    kind_name: ClassVar[str] = "record"
    #: Plural used in URLs and file names ("engagements").
    plural: ClassVar[str] = "records"

    ref: Ref | None = Field(
        default=None, description="Stable reference, unique in the workspace; derived from the name when omitted."
    )
    confidentiality: Confidentiality = Field(
        default=Confidentiality.internal,
        description="public: may appear on the transparency page; internal: any workspace member; confidential: staff and above only.",
    )
    source: str | None = Field(
        default=None, max_length=2000, description="Where the information came from (URL, document, readout)."
    )
    notes: LongText | None = None

    @model_validator(mode="before")
    @classmethod
    def _no_nul_characters(cls, data):
        """NUL characters cannot be stored (PostgreSQL refuses them) and never belong in text."""
        where = _nul_path(data, "")
        if where is not None:
            raise ValueError(f"'{where or 'input'}' contains a NUL character (\\x00); remove it")
        return data

    def default_ref(self) -> str:  # pragma: no cover - every record type defines it
        raise TypeError(f"{type(self).__name__} must define default_ref")

    def with_ref(self):
        """A copy whose ``ref`` is set (derived if missing)."""
        if self.ref:
            return self
        return self.model_copy(update={"ref": self.default_ref()})

    def references(self) -> dict[str, list[str]]:
        """Refs of other records this one points to, by record type plural."""
        return {}
