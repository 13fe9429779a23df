"""Annual reports of key units (能源利用状况报告, 温室气体排放报告): what a unit files and its workflow.

A unit files, per year, an energy utilisation status report (``energy``) and a GHG report (``ghg``).
States::

    draft ──submit──► submitted ──review──► under_review ──approve──► approved
      ▲                   │                     │
      └────── edit ◄── returned ◄──return───────┘ (return needs comments; also from submitted)

Only a draft or a returned report can be edited (:data:`EDITABLE`). The functions here check a request
against these rules; storing the new state is the service's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tanfeng.errors import ConflictError, InputError, at

__all__ = ["EDITABLE", "KIND_ZH", "STATE_ZH", "TRANSITIONS", "Quantity", "ReportContent", "ReportKind",
           "WorkflowAction", "check_action", "check_editable", "check_kind", "check_transition", "parse_content",
           "transition_values"]

ReportKind = Literal["energy", "ghg"]
WorkflowAction = Literal["submit", "review", "approve", "return"]

KIND_ZH: dict[str, str] = {"energy": "能源利用状况报告", "ghg": "温室气体排放报告"}
"""Report kind → its Chinese name."""

STATE_ZH: dict[str, str] = {"draft": "草稿", "submitted": "已提交", "under_review": "审核中", "approved": "已通过",
                            "returned": "已退回"}
"""Workflow state → its Chinese name."""

TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": (("draft", "returned"), "submitted"),
    "review": (("submitted",), "under_review"),
    "approve": (("under_review",), "approved"),
    "return": (("submitted", "under_review"), "returned"),
}
"""Action → (the states it may start from, the state it leads to)."""

EDITABLE: tuple[str, ...] = ("draft", "returned")
"""States in which the content of a report may be replaced."""


class Quantity(BaseModel):
    """A quantity of an energy product or of a product made."""

    model_config = ConfigDict(extra="forbid")

    product: str = Field(min_length=1)
    quantity: float = Field(ge=0)
    unit: str = Field(min_length=1)


class ReportContent(BaseModel):
    """What a unit fills in; the figures are computed from it.

    ``fuels``: energy consumed (product id or Chinese name of the catalogue, quantity, unit);
    ``purchased_electricity``/``exported_electricity`` in MWh; ``purchased_heat``/``exported_heat`` in GJ;
    ``outputs``: products made (t), for specific energy use; ``measures``: energy-saving and carbon
    measures taken in the year (text).
    """

    model_config = ConfigDict(extra="forbid")

    fuels: list[Quantity] = []
    purchased_electricity: float = Field(default=0.0, ge=0)
    exported_electricity: float = Field(default=0.0, ge=0)
    purchased_heat: float = Field(default=0.0, ge=0)
    exported_heat: float = Field(default=0.0, ge=0)
    outputs: list[Quantity] = []
    measures: list[str] = []


def parse_content(data: dict[str, Any] | ReportContent) -> ReportContent:
    """The content of a report from its JSON form.

    Raises
    ------
    InputError
        Naming the first bad field (``fuels.0.quantity``).
    """
    if isinstance(data, ReportContent):
        return data
    try:
        return ReportContent.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        msg = f"report content: {field}: {err['msg']}"
        raise InputError(msg, location=at(field=field)) from exc


def check_kind(kind: str) -> None:
    """Refuse a report kind that is not ``energy`` or ``ghg`` (:class:`InputError`)."""
    if kind not in KIND_ZH:
        msg = f"report kind '{kind}' is not one of {list(KIND_ZH)}"
        raise InputError(msg)


def check_editable(report_id: int, state: str) -> None:
    """Refuse an edit of a report in ``state`` unless it is a draft or returned (:class:`ConflictError`)."""
    if state not in EDITABLE:
        msg = f"report {report_id} is {state} ({STATE_ZH[state]}); only a draft or a returned report can be edited"
        raise ConflictError(msg)


def check_action(action: str) -> None:
    """Refuse an action that is not a workflow action (:class:`InputError`)."""
    if action not in TRANSITIONS:
        msg = f"action '{action}' is not one of {list(TRANSITIONS)}"
        raise InputError(msg)


def check_transition(report_id: int, state: str, action: str, comments: str | None) -> str:
    """The state ``action`` leads to from ``state``.

    Raises
    ------
    InputError
        An unknown action, or ``return`` without comments.
    ConflictError
        The state does not allow the action.
    """
    check_action(action)
    sources, target = TRANSITIONS[action]
    if state not in sources:
        msg = (f"report {report_id} is {state} ({STATE_ZH[state]}); '{action}' needs it to be "
               f"{' or '.join(sources)}")
        raise ConflictError(msg)
    if action == "return" and not (comments or "").strip():
        msg = "returning a report needs comments saying what to change"
        raise InputError(msg, location=at(field="comments"))
    return target


def transition_values(action: str, target: str, *, actor: str, now: datetime,
                      comments: str | None) -> dict[str, Any]:
    """The report's fields a transition sets: state, who and when (submitted, reviewed), comments."""
    values: dict[str, Any] = {"state": target, "updated_at": now, "updated_by": actor}
    if action == "submit":
        values |= {"submitted_at": now, "submitted_by": actor}
    if action in ("approve", "return"):
        values |= {"reviewed_at": now, "reviewed_by": actor}
    if comments is not None:
        values["comments"] = comments
    return values
