"""Create and change partners, people (with their posts), agreements (with their parties) and places.

Each record type has three functions: ``*_values`` (a record shown for editing),
``*_data`` (the form posted back, as the API takes the record) and ``*_form`` (the form
view with the user's values and the problems beside each field).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from ...domain import Agreement, Partner, PermissionDenied, Person, Place, Post, Problem
from ...domain.agreements import allowed_transitions
from ...domain.dates import timezone_names
from ...domain.vocab import (
    AgreementKind,
    AgreementStatus,
    Confidentiality,
    PartnerKind,
    PlaceKind,
    Seniority,
)
from ...services import registry
from ...services.registry import Actor
from .common import record_path
from .engagement_form import _rows, confidentiality_options, suggest_url
from .forms import (
    FieldGroup,
    FormField,
    FormValues,
    FormView,
    Option,
    attach_problems,
    options,
    row_count,
)

__all__ = [
    "FORMS",
    "agreement_data",
    "agreement_form",
    "agreement_values",
    "partner_data",
    "partner_form",
    "partner_values",
    "person_data",
    "person_form",
    "person_values",
    "place_data",
    "place_form",
    "place_values",
]


def _require_write(actor: Actor) -> None:
    if not actor.can_write:
        raise PermissionDenied(f"{actor.name} may read but not change records in this workspace.")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _record_fields(v: FormValues, actor: Actor) -> list[FormField]:
    return [
        FormField(
            "confidentiality",
            "Confidentiality",
            "select",
            value=v.get("confidentiality"),
            options=confidentiality_options(actor),
        ),
        FormField("source", "Source", value=v.raw("source"), wide=True, hint="Where the information came from."),
        FormField("notes", "Notes", "textarea", value=v.raw("notes"), wide=True),
    ]


def _ref_field(v: FormValues, ref: str | None) -> list[FormField]:
    if ref:
        return []
    return [
        FormField(
            "ref",
            "Ref (optional)",
            value=v.raw("ref"),
            hint="A short stable name used in links and imports; made from the name if empty.",
        )
    ]


def _common_data(v: FormValues) -> dict[str, Any]:
    data: dict[str, Any] = {"source": v.optional("source"), "notes": v.optional("notes")}
    if v.get("confidentiality"):
        data["confidentiality"] = v.get("confidentiality")
    if v.get("ref"):
        data["ref"] = v.get("ref")
    return data


def _common_values(record) -> dict[str, Any]:
    return {"confidentiality": record.confidentiality.value, "source": record.source, "notes": record.notes}


def _form(
    workspace, plural: str, noun: str, ws: str, ref: str | None, groups, problems, index_maps=None, intro: str = ""
) -> FormView:
    errors = attach_problems(groups, problems or [], index_maps)
    if ref:
        return FormView(
            workspace,
            f"Change the {noun}",
            f"/w/{ws}/{plural}/{ref}/edit",
            groups,
            "Save changes",
            record_path(ws, plural, ref),
            errors,
            intro,
        )
    return FormView(
        workspace,
        f"Add a {noun}",
        f"/w/{ws}/{plural}/new",
        groups,
        f"Save the {noun}",
        f"/w/{ws}/{plural}",
        errors,
        intro,
    )


def _clean(values: dict[str, Any]) -> FormValues:
    return FormValues({k: v for k, v in values.items() if v is not None})


# -- partners ----------------------------------------------------------------------------


def partner_values(p: Partner | None = None) -> FormValues:
    if p is None:
        return FormValues({"kind": PartnerKind.consulate.value, "confidentiality": Confidentiality.internal.value})
    return _clean(
        {
            "name": p.name,
            "kind": p.kind.value,
            "country_code": p.country_code,
            "place": p.place,
            "parent": p.parent,
            "website": p.website,
            "other_names": "\n".join(p.other_names),
            **_common_values(p),
        }
    )


def partner_data(v: FormValues) -> tuple[dict[str, Any], dict]:
    data = {
        "name": v.get("name") or None,
        "kind": v.get("kind") or None,
        "country_code": v.optional("country_code"),
        "place": v.optional("place"),
        "parent": v.optional("parent"),
        "website": v.optional("website"),
        "other_names": _lines(v.raw("other_names")),
        **_common_data(v),
    }
    return {
        k: val for k, val in data.items() if val is not None or k in ("country_code", "place", "parent", "website")
    }, {}


def partner_form(
    engine: Engine,
    ws: str,
    actor: Actor,
    v: FormValues,
    *,
    ref: str | None = None,
    problems: list[Problem] | None = None,
    index_maps=None,
) -> FormView:
    _require_write(actor)
    workspace = registry.get_workspace(engine, ws, actor)
    groups = [
        FieldGroup(
            "Organisation",
            [
                FormField("name", "Name", value=v.raw("name"), required=True, wide=True),
                FormField("kind", "Kind", "select", value=v.get("kind"), options=options(PartnerKind), required=True),
                FormField(
                    "country_code",
                    "Country code",
                    value=v.raw("country_code"),
                    hint="The country it belongs to (a consulate: its sending state); two letters, e.g. JP.",
                ),
                FormField(
                    "place",
                    "Based in",
                    value=v.raw("place"),
                    suggest=suggest_url(ws, "places"),
                    hint="Type a city and pick it.",
                ),
                FormField(
                    "parent",
                    "Part of",
                    value=v.raw("parent"),
                    suggest=suggest_url(ws, "partners"),
                    hint="The parent organisation, e.g. a consulate's foreign ministry.",
                ),
                FormField("website", "Website", "url", value=v.raw("website")),
                FormField("other_names", "Other names", "textarea", value=v.raw("other_names"), hint="One per line."),
                *_ref_field(v, ref),
            ],
        ),
        FieldGroup("Record", _record_fields(v, actor)),
    ]
    return _form(workspace, "partners", "partner", ws, ref, groups, problems, index_maps)


# -- people and their posts -----------------------------------------------------------------

POST_KEYS = ("ref", "title", "partner", "own_government", "seniority", "start_date", "end_date", "remove")


def person_values(person: Person | None = None, posts: list[Post] | None = None) -> FormValues:
    if person is None:
        return FormValues({"confidentiality": Confidentiality.internal.value})
    data: dict[str, Any] = {
        "name": person.name,
        "honorific": person.honorific,
        "country_code": person.country_code,
        "email": person.email,
        "phone": person.phone,
        "other_names": "\n".join(person.other_names),
        **_common_values(person),
    }
    for i, post in enumerate(posts or []):
        data |= {
            f"posts-{i}-ref": post.ref,
            f"posts-{i}-title": post.title,
            f"posts-{i}-partner": post.partner,
            f"posts-{i}-own_government": "on" if post.own_government else "",
            f"posts-{i}-seniority": post.seniority.value,
            f"posts-{i}-start_date": post.start_date.isoformat() if post.start_date else None,
            f"posts-{i}-end_date": post.end_date.isoformat() if post.end_date else None,
        }
    return _clean(data)


def person_data(v: FormValues) -> tuple[dict[str, Any], list[dict[str, Any]], list[str], dict]:
    """(person, posts to save, refs of posts to remove, form rows of the posts)."""
    person = {
        "name": v.get("name") or None,
        "honorific": v.optional("honorific"),
        "country_code": v.optional("country_code"),
        "email": v.optional("email"),
        "phone": v.optional("phone"),
        "other_names": _lines(v.raw("other_names")),
        **_common_data(v),
    }
    if person["name"] is None:
        del person["name"]
    posts, remove, rows = [], [], []
    for index, row in _rows(v, "posts", POST_KEYS):
        if row["remove"] in ("on", "true", "1"):
            if row["ref"]:
                remove.append(row["ref"])
            continue
        if not any(row[k] for k in ("title", "partner", "start_date", "end_date")):
            continue
        post = {
            "title": row["title"] or None,
            "partner": row["partner"] or None,
            "own_government": row["own_government"] in ("on", "true", "1"),
            "seniority": row["seniority"] or "other",
            "start_date": row["start_date"] or None,
            "end_date": row["end_date"] or None,
            "confidentiality": person.get("confidentiality", "internal"),
        }
        if row["ref"]:
            post["ref"] = row["ref"]
        posts.append(post)
        rows.append(index)
    return person, posts, remove, {"posts": rows}


def person_form(
    engine: Engine,
    ws: str,
    actor: Actor,
    v: FormValues,
    *,
    ref: str | None = None,
    problems: list[Problem] | None = None,
    index_maps=None,
) -> FormView:
    _require_write(actor)
    workspace = registry.get_workspace(engine, ws, actor)
    post_rows = []
    for i in range(row_count(v, "posts")):
        p = f"posts-{i}"
        row = [
            FormField(f"{p}-ref", "Post ref", "hidden", value=v.raw(f"{p}-ref")),
            FormField(
                f"{p}-title", "Title", value=v.raw(f"{p}-title"), hint="e.g. Consul General of Japan in Los Angeles"
            ),
            FormField(f"{p}-partner", "At (partner)", value=v.raw(f"{p}-partner"), suggest=suggest_url(ws, "partners")),
            FormField(
                f"{p}-own_government",
                "In our own government",
                "checkbox",
                value="on" if v.checked(f"{p}-own_government") else "",
            ),
            FormField(
                f"{p}-seniority",
                "Seniority",
                "select",
                value=v.get(f"{p}-seniority") or "other",
                options=options(Seniority),
            ),
            FormField(f"{p}-start_date", "From", "date", value=v.get(f"{p}-start_date")),
            FormField(f"{p}-end_date", "Until", "date", value=v.get(f"{p}-end_date"), hint="Empty while in post."),
        ]
        if v.get(f"{p}-ref"):
            row.append(
                FormField(f"{p}-remove", "Remove this post", "checkbox", value="on" if v.checked(f"{p}-remove") else "")
            )
        post_rows.append(row)
    groups = [
        FieldGroup(
            "Person",
            [
                FormField("name", "Full name", value=v.raw("name"), required=True, wide=True),
                FormField("honorific", "Honorific", value=v.raw("honorific"), hint="H.E., Dr., Hon."),
                FormField(
                    "country_code",
                    "Country code",
                    value=v.raw("country_code"),
                    hint="Nationality or the country the person represents; two letters.",
                ),
                FormField("email", "Email", "email", value=v.raw("email")),
                FormField("phone", "Phone", "tel", value=v.raw("phone")),
                FormField("other_names", "Other names", "textarea", value=v.raw("other_names"), hint="One per line."),
                *_ref_field(v, ref),
            ],
        ),
        FieldGroup(
            "Posts",
            repeat="posts",
            item_label="post",
            rows=post_rows,
            hint="Dated positions: titles on engagement pages come from the post held on the day.",
        ),
        FieldGroup("Record", _record_fields(v, actor)),
    ]
    return _form(workspace, "people", "person", ws, ref, groups, problems, index_maps)


# -- agreements ---------------------------------------------------------------------------


def agreement_values(a: Agreement | None = None) -> FormValues:
    if a is None:
        return FormValues(
            {
                "kind": AgreementKind.memorandum_of_understanding.value,
                "status": AgreementStatus.proposed.value,
                "parties-0-us": "on",
                "confidentiality": Confidentiality.internal.value,
            }
        )
    data: dict[str, Any] = {
        "title": a.title,
        "kind": a.kind.value,
        "status": a.status.value,
        "signed_on": a.signed_on.isoformat() if a.signed_on else None,
        "effective_on": a.effective_on.isoformat() if a.effective_on else None,
        "expires_on": a.expires_on.isoformat() if a.expires_on else None,
        "binding": "on" if a.binding else "",
        "summary": a.summary,
        "recognised_by_national_org": {True: "yes", False: "no", None: ""}[a.recognised_by_national_org],
        **_common_values(a),
    }
    for i, party in enumerate(a.parties):
        data |= {
            f"parties-{i}-partner": party.partner,
            f"parties-{i}-place": party.place,
            f"parties-{i}-us": "on" if party.us else "",
        }
    return _clean(data)


def agreement_data(v: FormValues) -> tuple[dict[str, Any], dict]:
    data: dict[str, Any] = {
        "title": v.get("title") or None,
        "kind": v.get("kind") or None,
        "status": v.get("status") or None,
        "signed_on": v.optional("signed_on"),
        "effective_on": v.optional("effective_on"),
        "expires_on": v.optional("expires_on"),
        "binding": v.checked("binding"),
        "summary": v.optional("summary"),
        "recognised_by_national_org": {"yes": True, "no": False}.get(v.get("recognised_by_national_org")),
        **_common_data(v),
    }
    for key in ("title", "kind", "status"):
        if data[key] is None:
            del data[key]
    parties, rows = [], []
    for index, row in _rows(v, "parties", ("partner", "place", "us")):
        parties.append(
            {"partner": row["partner"] or None, "place": row["place"] or None, "us": row["us"] in ("on", "true", "1")}
        )
        rows.append(index)
    data["parties"] = parties
    return data, {"parties": rows}


def agreement_form(
    engine: Engine,
    ws: str,
    actor: Actor,
    v: FormValues,
    *,
    ref: str | None = None,
    problems: list[Problem] | None = None,
    index_maps=None,
    current_status: str | None = None,
) -> FormView:
    """``current_status``: the stored status when editing; only it and its allowed next steps are offered."""
    _require_write(actor)
    workspace = registry.get_workspace(engine, ws, actor)
    statuses = list(AgreementStatus)
    if current_status:
        statuses = [AgreementStatus(current_status), *allowed_transitions(current_status)]
    party_rows = [
        [
            FormField(
                f"parties-{i}-partner",
                "Partner",
                value=v.raw(f"parties-{i}-partner"),
                suggest=suggest_url(ws, "partners"),
            ),
            FormField(
                f"parties-{i}-place",
                "or place (sister city)",
                value=v.raw(f"parties-{i}-place"),
                suggest=suggest_url(ws, "places"),
            ),
            FormField(f"parties-{i}-us", "or us", "checkbox", value="on" if v.checked(f"parties-{i}-us") else ""),
        ]
        for i in range(row_count(v, "parties", minimum=2))
    ]
    groups = [
        FieldGroup(
            "Agreement",
            [
                FormField("title", "Title", value=v.raw("title"), required=True, wide=True),
                FormField("kind", "Kind", "select", value=v.get("kind"), options=options(AgreementKind), required=True),
                FormField(
                    "status",
                    "Status",
                    "select",
                    value=v.get("status"),
                    options=options(statuses),
                    hint="Proposed → in force → dormant or lapsed → terminated; terminated is final.",
                ),
                FormField("signed_on", "Signed", "date", value=v.get("signed_on")),
                FormField("effective_on", "In effect from", "date", value=v.get("effective_on")),
                FormField(
                    "expires_on",
                    "Expires",
                    "date",
                    value=v.get("expires_on"),
                    hint="Lists and the dashboard warn 90 days ahead.",
                ),
                FormField("binding", "Legally binding", "checkbox", value="on" if v.checked("binding") else ""),
                FormField(
                    "recognised_by_national_org",
                    "Recognised by a national sister-city organisation",
                    "select",
                    value=v.get("recognised_by_national_org"),
                    options=[Option("", "Unknown"), Option("yes", "Yes"), Option("no", "No")],
                ),
                FormField("summary", "Summary", "textarea", value=v.raw("summary"), wide=True),
                *_ref_field(v, ref),
            ],
        ),
        FieldGroup(
            "Parties",
            repeat="parties",
            item_label="party",
            rows=party_rows,
            hint="Each party is a partner, a place (for sister cities) or us.",
        ),
        FieldGroup("Record", _record_fields(v, actor)),
    ]
    return _form(workspace, "agreements", "agreement", ws, ref, groups, problems, index_maps)


# -- places ------------------------------------------------------------------------------


def place_values(p: Place | None = None) -> FormValues:
    if p is None:
        return FormValues({"kind": PlaceKind.city.value, "confidentiality": Confidentiality.public.value})
    return _clean(
        {
            "kind": p.kind.value,
            "name": p.name,
            "country_code": p.country_code,
            "subdivision_code": p.subdivision_code,
            "admin1": p.admin1,
            "geonames_id": p.geonames_id,
            "timezone": p.timezone,
            "latitude": p.latitude,
            "longitude": p.longitude,
            "population": p.population,
            "alternate_names": "\n".join(p.alternate_names),
            **_common_values(p),
        }
    )


def place_data(v: FormValues) -> tuple[dict[str, Any], dict]:
    data: dict[str, Any] = {
        "kind": v.get("kind") or None,
        "name": v.get("name") or None,
        "country_code": v.get("country_code") or None,
    }
    data = {k: val for k, val in data.items() if val is not None}
    for key in ("subdivision_code", "admin1", "geonames_id", "timezone", "latitude", "longitude", "population"):
        data[key] = v.optional(key)
    data["alternate_names"] = _lines(v.raw("alternate_names"))
    return data | _common_data(v), {}


def place_form(
    engine: Engine,
    ws: str,
    actor: Actor,
    v: FormValues,
    *,
    ref: str | None = None,
    problems: list[Problem] | None = None,
    index_maps=None,
) -> FormView:
    _require_write(actor)
    workspace = registry.get_workspace(engine, ws, actor)
    groups = [
        FieldGroup(
            "Place",
            [
                FormField("kind", "Kind", "select", value=v.get("kind"), options=options(PlaceKind), required=True),
                FormField("name", "Name", value=v.raw("name"), required=True),
                FormField(
                    "country_code",
                    "Country code",
                    value=v.raw("country_code"),
                    required=True,
                    hint="ISO 3166-1, two letters, e.g. VN.",
                ),
                FormField(
                    "subdivision_code",
                    "Subdivision code",
                    value=v.raw("subdivision_code"),
                    hint="ISO 3166-2, e.g. US-CA.",
                ),
                FormField("admin1", "State or province", value=v.raw("admin1")),
                FormField("geonames_id", "GeoNames id", "number", value=v.get("geonames_id")),
                FormField(
                    "timezone",
                    "Time zone",
                    "select",
                    value=v.get("timezone"),
                    options=[Option("", "Not recorded")] + [Option(z, z) for z in timezone_names()],
                ),
                FormField("latitude", "Latitude", value=v.get("latitude")),
                FormField("longitude", "Longitude", value=v.get("longitude")),
                FormField("population", "Population", "number", value=v.get("population")),
                FormField(
                    "alternate_names", "Other names", "textarea", value=v.raw("alternate_names"), hint="One per line."
                ),
                *_ref_field(v, ref),
            ],
        ),
        FieldGroup("Record", _record_fields(v, actor)),
    ]
    return _form(
        workspace,
        "places",
        "place",
        ws,
        ref,
        groups,
        problems,
        index_maps,
        intro="Cities and countries are usually added from the gazetteer when you pick them in a form.",
    )


#: plural -> (values of a record, data from the form, form builder)
FORMS = {
    "partners": (partner_values, partner_data, partner_form),
    "places": (place_values, place_data, place_form),
    "agreements": (agreement_values, agreement_data, agreement_form),
}
