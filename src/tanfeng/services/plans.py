"""Use cases around plans: read them from the store, filter targets, show a target's source sentence."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel
from sqlalchemy.orm import Session

from tanfeng.errors import NotFoundError, UnknownRegionError
from tanfeng.plan import loader
from tanfeng.plan.draft import apply_review
from tanfeng.plan.model import Plan, Target
from tanfeng.reference import regions
from tanfeng.services.read_cache import ReadCache
from tanfeng.store import repository

__all__ = ["PlanInfo", "PlanLoadResult", "ReviewSegment", "ReviewView", "SourceContext", "TargetLink",
           "default_plan_id", "find_target", "get_plan", "get_target", "list_plans", "list_targets", "load_plan_file",
           "plan_text", "repository_region_name", "review_plan", "review_view", "save_plan", "scope_labels",
           "source_context", "target_links", "target_relations"]


class PlanInfo(BaseModel):
    """A plan in a listing."""

    id: str
    title: str
    region: str
    region_name: str | None = None
    status: str = "reviewed"
    document_number: str | None
    actions: int
    measures: int
    targets: int


class SourceContext(BaseModel):
    """A target's sentence with the text around it in the source file."""

    target_id: str
    document: str
    file: str | None
    line: int | None
    start: int | None
    end: int | None
    before: str
    sentence: str
    after: str
    found: bool
    """False when the source file is not available; then only the stored sentence is shown."""


def list_plans(session: Session) -> list[PlanInfo]:
    """Every plan in the store."""
    out: list[PlanInfo] = []
    for plan_id in repository.list_plan_ids(session):
        plan = get_plan(session, plan_id)
        out.append(PlanInfo(id=plan.id, title=plan.title, region=plan.region,
                            region_name=repository_region_name(plan.region), status=plan.status,
                            document_number=plan.document_number, actions=len(plan.actions),
                            measures=len(plan.measures), targets=len(plan.targets)))
    return out


def default_plan_id(session: Session) -> str:
    """The plan the dashboard opens with: the first in the store."""
    ids = repository.list_plan_ids(session)
    if not ids:
        msg = "no plan is loaded"
        raise NotFoundError(msg, hint="run `tanfeng init` to load the reference data and the built-in plan")
    return ids[0]


_PLANS = ReadCache(16)


def get_plan(session: Session, plan_id: str) -> Plan:
    """A whole plan from the store, read and parsed once per stored version (one query when it is known).

    The plan is shared with other readers: do not change it.
    """
    stamp = repository.plan_stamp(session, plan_id)
    if stamp is None:
        return repository.get_plan(session, plan_id)  # NotFoundError naming the stored plans
    return _PLANS.get((plan_id, *stamp), lambda: repository.get_plan(session, plan_id))


def list_targets(session: Session, plan_id: str, *, action: str | None = None, year: int | None = None,
                 scope: str | None = None, indicator: str | None = None) -> list[Target]:
    """A plan's targets, filtered (see :func:`tanfeng.plan.loader.filter_targets`)."""
    plan = get_plan(session, plan_id)
    return loader.filter_targets(plan, action=action, year=year, scope=scope, indicator=indicator)


def find_target(plan: Plan, target_id: str) -> Target:
    """The target with this id, or :class:`NotFoundError`."""
    for t in plan.targets:
        if t.id == target_id:
            return t
    msg = f"plan '{plan.id}' has no target '{target_id}'"
    raise NotFoundError(msg)


def get_target(session: Session, plan_id: str, target_id: str) -> Target:
    """One target of a plan."""
    return find_target(get_plan(session, plan_id), target_id)


def scope_labels(plan: Plan) -> list[tuple[str, str]]:
    """Readable names of the scopes the plan's targets use (region codes become region names)."""
    out: dict[str, str] = {}
    for t in plan.targets:
        if t.scope in out:
            continue
        out[t.scope] = repository_region_name(t.scope) or t.scope
    return list(out.items())


def repository_region_name(code: str) -> str | None:
    """The Chinese name of a region code, if it is one."""
    if not code.isdigit():
        return None
    try:
        return regions.get_region(code).name_zh
    except UnknownRegionError:
        return None


def _builtin_source_text(plan_id: str, file: str) -> str | None:
    """The text of a built-in plan's source file, or None for a plan that is not built in."""
    if plan_id not in loader.list_builtin_plans():
        return None
    path = loader.builtin_plan_path(plan_id).parent / file
    return path.read_text(encoding="utf-8") if path.is_file() else None


def source_context(session: Session, plan_id: str, target_id: str, *, width: int = 160) -> SourceContext:
    """The target's sentence and ``width`` characters either side of it in the plan's source file."""
    plan = get_plan(session, plan_id)
    t = find_target(plan, target_id)
    src = t.source
    text = _builtin_source_text(plan.id, src.file) if src.file else None
    if text is None or src.start is None or src.end is None or text[src.start:src.end] != t.source_text:
        return SourceContext(target_id=t.id, document=src.document, file=src.file, line=src.line, start=src.start,
                             end=src.end, before="", sentence=t.source_text, after="", found=False)
    lo = max(0, text.rfind("\n", 0, max(0, src.start - width)) + 1) if src.start > width else 0
    hi = text.find("\n", min(len(text), src.end + width))
    hi = len(text) if hi == -1 else hi
    return SourceContext(target_id=t.id, document=src.document, file=src.file, line=src.line, start=src.start,
                         end=src.end, before=text[lo:src.start], sentence=text[src.start:src.end],
                         after=text[src.end:hi], found=True)


class PlanLoadResult(BaseModel):
    """What loading a plan file did: the version stored, and whether anything changed."""

    plan_id: str
    title: str
    region: str
    status: str
    version: int
    changed: bool
    targets: int


def save_plan(session: Session, plan: Plan, *, actor: str, source_text: str | None = None) -> PlanLoadResult:
    """Store a checked plan (and its source text): a new version (audited) when its content changed, nothing
    otherwise."""
    res = repository.save_plan(session, plan, actor=actor, source_text=source_text)
    return PlanLoadResult(plan_id=plan.id, title=plan.title, region=plan.region, status=plan.status,
                          version=res.version, changed=res.changed, targets=len(plan.targets))


def load_plan_file(session: Session, path: str | Path, *, actor: str) -> PlanLoadResult:
    """Check a plan file (reviewed, or a draft marked 未审核) against the region catalogue and its source text,
    and store it (see :func:`save_plan`). A second load of the same content adds nothing.

    Raises
    ------
    tanfeng.errors.PlanFileError
        The file is invalid; the error names the file, line and field. Nothing is stored.
    """
    known = {r.code: r.name_zh for r in regions.load_regions()}
    plan = loader.load_plan(path, known_regions=known, legacy_codes=regions.legacy_codes())
    text = None
    if plan.source_file is not None:
        text = (Path(path).resolve().parent / plan.source_file).read_text(encoding="utf-8")
    return save_plan(session, plan, actor=actor, source_text=text)


class TargetLink(BaseModel):
    """A target that restates a higher plan's target: same indicator and year, the higher plan's region above
    (a league's under the region's, a province's under the nation's)."""

    plan_id: str
    plan_title: str = ""
    target_id: str
    parent_plan_id: str
    parent_plan_title: str
    parent_target_id: str
    parent_region: str


def _ancestors(code: str) -> list[str]:
    try:
        return regions.higher_levels(code)
    except UnknownRegionError:
        return []


def target_links(session: Session, plan_id: str) -> list[TargetLink]:
    """The plan's targets that restate a target of a plan for a region above (league → region, province →
    nation): same ``indicator_id``, year and comparator, the target's scope being the plan's own region; the
    nearest higher plan wins."""
    plan = get_plan(session, plan_id)
    above = _ancestors(plan.region)
    if not above:
        return []
    higher = [p for pid in repository.list_plan_ids(session) if pid != plan_id
              for p in [get_plan(session, pid)] if p.region in above]
    out: list[TargetLink] = []
    for t in plan.targets:
        if t.scope != plan.region or t.indicator_id == "unclassified":
            continue
        for h in sorted(higher, key=lambda p: above.index(p.region)):
            match = next((u for u in h.targets if (u.indicator_id, u.year, u.comparator)
                          == (t.indicator_id, t.year, t.comparator) and u.scope == h.region), None)
            if match is not None:
                out.append(TargetLink(plan_id=plan.id, plan_title=plan.title, target_id=t.id, parent_plan_id=h.id,
                                      parent_plan_title=h.title, parent_target_id=match.id, parent_region=h.region))
                break
    return out


def target_relations(session: Session, plan_id: str, target_id: str) -> tuple[TargetLink | None, list[TargetLink]]:
    """The higher plan's target that ``target_id`` restates (or None), and the lower plans' targets that restate
    it (see :func:`target_links`)."""
    up = next((lk for lk in target_links(session, plan_id) if lk.target_id == target_id), None)
    down = [lk for pid in repository.list_plan_ids(session) if pid != plan_id for lk in target_links(session, pid)
            if (lk.parent_plan_id, lk.parent_target_id) == (plan_id, target_id)]
    return up, down


class ReviewSegment(BaseModel):
    """A piece of the source text on the review page: plain text, or a target's sentence (``targets`` set)."""

    text: str
    targets: list[str]


class ReviewView(BaseModel):
    """What the review page shows: the plan, its text cut at the targets' sentences, and the targets."""

    plan: Plan
    version: int
    segments: list[ReviewSegment]
    has_text: bool


def plan_text(session: Session, plan_id: str) -> str | None:
    """The plan's source text: stored with it, or the shipped file of a built-in plan."""
    plan = repository.get_plan(session, plan_id)
    stored = repository.get_plan_source(session, plan_id)
    if stored is not None:
        return stored
    return _builtin_source_text(plan.id, plan.source_file) if plan.source_file else None


def review_view(session: Session, plan_id: str) -> ReviewView:
    """The plan's text with each target's sentence marked, for a person to review."""
    plan = repository.get_plan(session, plan_id)
    text = plan_text(session, plan_id)
    version = next((int(p["version"]) for p in repository.list_plans(session) if p["id"] == plan_id), 1)
    if text is None:
        return ReviewView(plan=plan, version=version, segments=[], has_text=False)
    spans: dict[tuple[int, int], list[str]] = {}
    for t in plan.targets:
        s = t.source
        if s.start is not None and s.end is not None and text[s.start:s.end] == t.source_text:
            spans.setdefault((s.start, s.end), []).append(t.id)
    segments: list[ReviewSegment] = []
    pos = 0
    for (start, end), ids in sorted(spans.items()):
        if start < pos:
            continue  # overlapping spans: the first wins
        if start > pos:
            segments.append(ReviewSegment(text=text[pos:start], targets=[]))
        segments.append(ReviewSegment(text=text[start:end], targets=ids))
        pos = end
    if pos < len(text):
        segments.append(ReviewSegment(text=text[pos:], targets=[]))
    return ReviewView(plan=plan, version=version, segments=segments, has_text=True)


def review_plan(session: Session, plan_id: str, review: dict[str, object], *, actor: str) -> PlanLoadResult:
    """Apply a person's review (accept, correct, reject, add) and store the reviewed version (audited).

    Raises
    ------
    tanfeng.errors.PlanFileError
        The review names an unknown target or a field the schema refuses; nothing is stored.
    """
    plan = repository.get_plan(session, plan_id)
    reviewed = apply_review(plan, review, text=plan_text(session, plan_id), where=f"review of {plan_id}")
    return save_plan(session, reviewed, actor=actor)
