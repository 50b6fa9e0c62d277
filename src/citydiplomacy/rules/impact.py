"""Impact of a policy shift: the same records checked under the active rules and under the
staged ones, and what changes — verdicts, new obligations and when they fall due, agreements
that must end and by when. Nothing is written; activation is a separate step."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from .engine import APPLIES, NOT_IN_FORCE, OUR_SIDE, OUTSIDE, VERDICTS, Evaluation
from .facts import RECORD_DATE
from .table import from_day_number


@dataclass
class ImpactRow:
    record_type: str
    record_ref: str
    record_title: str
    record_date: date | None
    planned: bool | None  # on or after the check date
    rule_id: str
    rule_title: str
    before: str
    after: str
    duty_bearer: str
    obligation_kind: str
    new_obligation: bool
    obligation_removed: bool
    due_on: date | None
    must_end_by: date | None

    def as_dict(self) -> dict:
        out = dict(self.__dict__)
        for key in ("record_date", "due_on", "must_end_by"):
            out[key] = out[key].isoformat() if out[key] else None
        return out


@dataclass
class ImpactReport:
    check_date: date
    rows: list[ImpactRow] = field(default_factory=list)
    records_checked: int = 0

    @property
    def new_obligations(self) -> list[ImpactRow]:
        return [r for r in self.rows if r.new_obligation]

    @property
    def removed_obligations(self) -> list[ImpactRow]:
        return [r for r in self.rows if r.obligation_removed]

    @property
    def agreements_to_end(self) -> list[ImpactRow]:
        return [r for r in self.rows if r.new_obligation and r.obligation_kind == "must_terminate"]

    def summary(self) -> dict:
        return {
            "check_date": self.check_date.isoformat(),
            "records_checked": self.records_checked,
            "verdicts_changed": len(self.rows),
            "records_changed": len({(r.record_type, r.record_ref) for r in self.rows}),
            "planned_records_changed": len({(r.record_type, r.record_ref) for r in self.rows if r.planned}),
            "new_obligations": len(self.new_obligations),
            "obligations_removed": len(self.removed_obligations),
            "agreements_to_end": len(self.agreements_to_end),
        }

    def as_dict(self) -> dict:
        return {"summary": self.summary(), "rows": [r.as_dict() for r in self.rows]}


def _norm(codes: np.ndarray) -> np.ndarray:
    return np.where(codes == OUTSIDE, NOT_IN_FORCE, codes)


def compare(before: Evaluation, after: Evaluation, report: ImpactReport) -> ImpactReport:
    """Add the differences between two evaluations of the same table to ``report``."""
    table = after.table
    report.records_checked += table.n
    dates = table.columns[RECORD_DATE[table.record]]
    check_day = (report.check_date - date(1970, 1, 1)).days
    for rule_id in sorted(set(before.results) | set(after.results)):
        old = before.results.get(rule_id)
        new = after.results.get(rule_id)
        old_codes = _norm(old.codes) if old else np.full(table.n, NOT_IN_FORCE, dtype=np.int8)
        new_codes = _norm(new.codes) if new else np.full(table.n, NOT_IN_FORCE, dtype=np.int8)
        changed = np.nonzero(old_codes != new_codes)[0]
        source = new or old
        for row in changed:
            version = int(source.version[row]) if source.version[row] >= 0 else 0
            rule = source.versions[version].rule
            ours = rule.duty_bearer in OUR_SIDE and not rule.expected
            now_applies, was_applying = new_codes[row] == APPLIES, old_codes[row] == APPLIES
            due = from_day_number(int(new.due[row])) if new is not None and now_applies and new.due_known[row] else None
            record_date = from_day_number(int(dates.data[row])) if dates.known[row] else None
            report.rows.append(
                ImpactRow(
                    record_type=table.record,
                    record_ref=table.refs[row],
                    record_title=table.titles[row],
                    record_date=record_date,
                    planned=None if record_date is None else int(dates.data[row]) >= check_day,
                    rule_id=rule_id,
                    rule_title=rule.title,
                    before=VERDICTS[int(old_codes[row])],
                    after=VERDICTS[int(new_codes[row])],
                    duty_bearer=rule.duty_bearer,
                    obligation_kind=rule.obligation.kind,
                    new_obligation=bool(ours and now_applies and not was_applying),
                    obligation_removed=bool(ours and was_applying and not now_applies),
                    due_on=due,
                    must_end_by=due if rule.obligation.kind == "must_terminate" and now_applies else None,
                )
            )
    return report
