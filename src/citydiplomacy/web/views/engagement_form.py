"""The engagement form: log a meeting, call or visit in under a minute.

Partners, people and places are typed with suggestions (the inputs hold refs, the
browser's script offers names); a counterpart missing from the registry can be added
inline; participants, partners and follow-ups are repeatable rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from ...domain import Engagement, PermissionDenied, Problem
from ...domain.dates import timezone_names
from ...domain.vocab import (
    SDG_GOALS,
    TOPICS,
    Channel,
    Confidentiality,
    EngagementKind,
    EngagementStatus,
    Initiator,
    PartnerKind,
    Side,
    VenueKind,
)
from ...services import registry
from ...services.registry import Actor
from .common import record_path
from .forms import (
    FieldGroup,
    FormField,
    FormValues,
    FormView,
    Option,
    QuickAdd,
    attach_problems,
    options,
    row_count,
)

__all__ = [
    "LIST_FIELDS",
    "confidentiality_options",
    "engagement_data",
    "engagement_form",
    "engagement_refs",
    "engagement_values",
    "new_engagement_values",
]

#: Checkbox groups: posted as several values under one name.
LIST_FIELDS = ("topics", "sdgs")


def suggest_url(ws: str, plural: str) -> str:
    return f"/w/{ws}/autocomplete/{plural}"


def local_input(moment: datetime | None, tz_name: str) -> str:
    """A datetime as a datetime-local input shows it: local time in the engagement's zone."""
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(tz_name)).strftime("%Y-%m-%dT%H:%M")


def new_engagement_values(timezone: str) -> FormValues:
    return FormValues(
        {
            "kind": EngagementKind.meeting.value,
            "channel": Channel.in_person.value,
            "status": EngagementStatus.planned.value,
            "timezone": timezone,
            "official_capacity": "on",
            "initiated_by": Initiator.unknown.value,
            "confidentiality": Confidentiality.internal.value,
        }
    )


def engagement_values(e: Engagement) -> FormValues:
    data: dict[str, Any] = {
        "title": e.title,
        "kind": e.kind.value,
        "channel": e.channel.value,
        "status": e.status.value,
        "start": local_input(e.start, e.timezone),
        "end": local_input(e.end, e.timezone),
        "timezone": e.timezone,
        "venue_place": e.venue_place,
        "venue_kind": e.venue_kind.value if e.venue_kind else "",
        "venue_name": e.venue_name,
        "official_capacity": "on" if e.official_capacity else "",
        "initiated_by": e.initiated_by.value,
        "summary": e.summary,
        "outcomes": e.outcomes,
        "confidentiality": e.confidentiality.value,
        "source": e.source,
        "notes": e.notes,
    }
    for i, ref in enumerate(e.partners):
        data[f"partners-{i}"] = ref
    for i, p in enumerate(e.participants):
        data |= {
            f"participants-{i}-person": p.person,
            f"participants-{i}-side": p.side.value,
            f"participants-{i}-role": p.role,
            f"participants-{i}-post": p.post,
        }
    for i, f in enumerate(e.follow_ups):
        data |= {
            f"follow_ups-{i}-description": f.description,
            f"follow_ups-{i}-owner": f.owner,
            f"follow_ups-{i}-due_on": f.due_on.isoformat() if f.due_on else "",
            f"follow_ups-{i}-done": "on" if f.done else "",
            f"follow_ups-{i}-done_on": f.done_on.isoformat() if f.done_on else "",
        }
    return FormValues(
        {k: v for k, v in data.items() if v is not None}, {"topics": list(e.topics), "sdgs": [str(n) for n in e.sdgs]}
    )


def _rows(values: FormValues, prefix: str, keys: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(form row, values) of every row of a repeatable group that has something in it."""
    out = []
    for index in range(row_count(values, prefix, minimum=0, spare=0)):
        row = {key: values.get(f"{prefix}-{index}-{key}") for key in keys}
        if any(row.values()):
            out.append((index, row))
    return out


def engagement_data(values: FormValues) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """The record (as the API takes it) from the form, and which form row each list item came from."""
    data: dict[str, Any] = {}
    for name in ("title", "kind", "channel", "status", "start", "timezone", "initiated_by", "confidentiality"):
        if values.get(name):
            data[name] = values.get(name)
    for name in ("end", "venue_place", "venue_kind", "venue_name", "summary", "outcomes", "source", "notes"):
        data[name] = values.optional(name)
    data["official_capacity"] = values.checked("official_capacity")
    partner_rows = [(i, values.get(f"partners-{i}")) for i in range(row_count(values, "partners", minimum=0, spare=0))]
    partner_rows = [(i, ref) for i, ref in partner_rows if ref]
    data["partners"] = [ref for _, ref in partner_rows]
    participants = _rows(values, "participants", ("person", "side", "role", "post"))
    data["participants"] = [
        {
            "person": row["person"] or None,
            "side": row["side"] or Side.theirs.value,
            "role": row["role"] or None,
            "post": row["post"] or None,
        }
        for _, row in participants
        if row["person"] or row["role"]
    ]
    participants = [(i, row) for i, row in participants if row["person"] or row["role"]]
    follow_ups = _rows(values, "follow_ups", ("description", "owner", "due_on", "done", "done_on"))
    data["follow_ups"] = []
    for _, row in follow_ups:
        done = row["done"] in ("on", "true", "1")
        data["follow_ups"].append(
            {
                "description": row["description"] or None,
                "owner": row["owner"] or None,
                "due_on": row["due_on"] or None,
                "done": done,
                "done_on": (row["done_on"] or None) if done else None,
            }
        )
    data["topics"] = [t for t in values.getlist("topics") if t]
    sdgs = []
    for goal in values.getlist("sdgs"):
        try:
            sdgs.append(int(goal))
        except ValueError:
            sdgs.append(goal)  # the record's validation names it
    data["sdgs"] = sdgs
    index_maps = {
        "partners": [i for i, _ in partner_rows],
        "participants": [i for i, _ in participants],
        "follow_ups": [i for i, _ in follow_ups],
    }
    return data, index_maps


def engagement_refs(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(field, record type, ref) of every reference in the form's data (gazetteer places excepted:
    they are created on save)."""
    wanted = [(f"partners.{i}", "partners", ref) for i, ref in enumerate(data.get("partners", []))]
    wanted += [
        (f"participants.{i}.person", "people", p["person"])
        for i, p in enumerate(data.get("participants", []))
        if p.get("person")
    ]
    return wanted


def _participant_row(ws: str, values: FormValues, i: int) -> list[FormField]:
    p = f"participants-{i}"
    return [
        FormField(
            f"{p}-person",
            "Person",
            value=values.raw(f"{p}-person"),
            suggest=suggest_url(ws, "people"),
            hint="Type a name and pick from the list, or type the person's ref.",
        ),
        FormField(
            f"{p}-side",
            "Side",
            "select",
            value=values.get(f"{p}-side") or Side.theirs.value,
            options=[Option(Side.theirs.value, "Theirs (counterpart)"), Option(Side.ours.value, "Ours")],
        ),
        FormField(f"{p}-role", "Role", value=values.raw(f"{p}-role"), hint="lead, note-taker, interpreter…"),
        FormField(f"{p}-post", "Pinned post", "hidden", value=values.raw(f"{p}-post")),
    ]


def _follow_up_row(values: FormValues, i: int) -> list[FormField]:
    p = f"follow_ups-{i}"
    return [
        FormField(f"{p}-description", "What to do", value=values.raw(f"{p}-description"), wide=True),
        FormField(f"{p}-owner", "Who", value=values.raw(f"{p}-owner")),
        FormField(f"{p}-due_on", "Due", "date", value=values.get(f"{p}-due_on")),
        FormField(f"{p}-done", "Done", "checkbox", value="on" if values.checked(f"{p}-done") else ""),
        FormField(f"{p}-done_on", "Done on", "hidden", value=values.get(f"{p}-done_on")),
    ]


def quick_add_panels(ws: str, target_partners: str = "partners", target_people: str = "participants") -> dict:
    return {
        "partners": QuickAdd(
            "partners",
            "Add a new partner",
            f"/w/{ws}/quick/partners",
            f"/w/{ws}/partners/new",
            target_partners,
            [
                FormField("quick-partners-name", "Name of the new partner"),
                FormField("quick-partners-kind", "Kind of partner", "select", options=options(PartnerKind)),
                FormField("quick-partners-country_code", "Its country code", hint="Two letters, e.g. JP"),
            ],
        ),
        "people": QuickAdd(
            "people",
            "Add a new person",
            f"/w/{ws}/quick/people",
            f"/w/{ws}/people/new",
            target_people,
            [
                FormField("quick-people-name", "Full name of the new person"),
                FormField("quick-people-honorific", "Their honorific", hint="H.E., Dr., Hon."),
                FormField("quick-people-country_code", "Their country code", hint="Two letters, e.g. JP"),
            ],
        ),
    }


def engagement_form(
    engine: Engine,
    ws: str,
    actor: Actor,
    values: FormValues,
    *,
    ref: str | None = None,
    problems: list[Problem] | None = None,
    index_maps: dict[str, list[int]] | None = None,
) -> FormView:
    """The form to log (``ref`` None) or change an engagement, with the user's values and any problems."""
    if not actor.can_write:
        raise PermissionDenied(f"{actor.name} may read but not change records in this workspace.")
    workspace = registry.get_workspace(engine, ws, actor)
    v = values
    zones = [Option(z, z) for z in timezone_names()]
    what = FieldGroup(
        "What and when",
        [
            FormField(
                "title",
                "Title",
                value=v.raw("title"),
                required=True,
                wide=True,
                hint="For example: Call with the Consul General of Japan",
            ),
            FormField("kind", "Kind", "select", value=v.get("kind"), options=options(EngagementKind), required=True),
            FormField("channel", "Channel", "select", value=v.get("channel"), options=options(Channel)),
            FormField("status", "Status", "select", value=v.get("status"), options=options(EngagementStatus)),
            FormField(
                "start",
                "Starts",
                "datetime-local",
                value=v.get("start"),
                required=True,
                hint="Local time in the time zone below.",
            ),
            FormField("end", "Ends", "datetime-local", value=v.get("end"), hint="Optional."),
            FormField(
                "timezone",
                "Time zone",
                "select",
                value=v.get("timezone") or workspace.timezone,
                options=zones,
                hint=f"The zone the times are in (this workspace: {workspace.timezone}).",
            ),
        ],
    )
    where = FieldGroup(
        "Where",
        [
            FormField(
                "venue_place",
                "City or country",
                value=v.raw("venue_place"),
                suggest=suggest_url(ws, "places"),
                hint="Type a place name and pick it; a place from the gazetteer is added to the registry on save.",
            ),
            FormField(
                "venue_kind",
                "Venue kind",
                "select",
                value=v.get("venue_kind"),
                options=options(VenueKind, blank="Not recorded"),
            ),
            FormField("venue_name", "Venue", value=v.raw("venue_name"), hint="Building or room, if useful."),
        ],
    )
    panels = quick_add_panels(ws)
    partners = FieldGroup(
        "Partners",
        repeat="partners",
        item_label="partner",
        rows=[
            [
                FormField(
                    f"partners-{i}",
                    f"Partner {i + 1}",
                    value=v.raw(f"partners-{i}"),
                    suggest=suggest_url(ws, "partners"),
                )
            ]
            for i in range(row_count(v, "partners"))
        ],
        hint="The counterpart organisations: type a name and pick from the list.",
        quick_add=[panels["partners"]],
    )
    people = FieldGroup(
        "Participants",
        repeat="participants",
        item_label="participant",
        rows=[_participant_row(ws, v, i) for i in range(row_count(v, "participants"))],
        hint="Who took part, on their side and ours. Titles are looked up for the day.",
        quick_add=[panels["people"]],
    )
    topics = FieldGroup(
        "Topics and goals",
        [
            FormField("topics", "Topics", "checkboxes", values=v.getlist("topics"), options=options(TOPICS)),
            FormField(
                "sdgs",
                "UN Sustainable Development Goals",
                "checkboxes",
                values=v.getlist("sdgs"),
                options=[Option(str(n), f"{n}. {name}") for n, name in SDG_GOALS.items()],
            ),
        ],
    )
    notes = FieldGroup(
        "Summary and outcomes",
        [
            FormField("summary", "Summary", "textarea", value=v.raw("summary"), wide=True),
            FormField("outcomes", "Outcomes", "textarea", value=v.raw("outcomes"), wide=True),
        ],
    )
    follow_ups = FieldGroup(
        "Follow-ups",
        repeat="follow_ups",
        item_label="follow-up",
        rows=[_follow_up_row(v, i) for i in range(row_count(v, "follow_ups"))],
    )
    record = FieldGroup(
        "Record",
        [
            FormField(
                "initiated_by", "Initiated by", "select", value=v.get("initiated_by"), options=options(Initiator)
            ),
            FormField(
                "official_capacity",
                "In an official capacity",
                "checkbox",
                value="on" if v.checked("official_capacity") else "",
            ),
            FormField(
                "confidentiality",
                "Confidentiality",
                "select",
                value=v.get("confidentiality"),
                options=confidentiality_options(actor),
                hint="Public records may appear on the transparency page; confidential ones only to staff.",
            ),
            FormField("source", "Source", value=v.raw("source"), hint="Readout, calendar, press release…", wide=True),
            FormField("notes", "Notes", "textarea", value=v.raw("notes"), wide=True),
        ],
    )
    groups = [what, where, partners, people, topics, notes, follow_ups, record]
    errors = attach_problems(groups, problems or [], index_maps)
    if ref:
        return FormView(
            workspace,
            "Change the engagement",
            f"/w/{ws}/engagements/{ref}/edit",
            groups,
            "Save changes",
            record_path(ws, "engagements", ref),
            errors,
        )
    return FormView(
        workspace,
        "Log an engagement",
        f"/w/{ws}/engagements/new",
        groups,
        "Save the engagement",
        f"/w/{ws}/engagements",
        errors,
        intro="Only the title, kind and start are required; everything else can wait.",
    )


def confidentiality_options(actor: Actor) -> list[Option]:
    """Only the levels the actor may read: nobody files a record they could not see again."""
    return options(actor.visible)
