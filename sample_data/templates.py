"""Stageplan templates in the demo data: one per opleiding, linked to the stageplannen made from
it. The first opleiding's template got a second version with begeleidingsgesprekken every two
weeks, on the middle start date of the stages running today; the stages that began after it
come from version 2, the older ones keep the weekly version 1 (a changed template applies to
new stages only). So the demo always has running stages of both rhythms.
Stageplannen keep the targets the generator gave them: the template says where they came
from, not what they hold."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, insert, select, update

from data_access.models import (
    Aios,
    Stage,
    Stageplan,
    StageplanTemplate,
    TemplateEpaTarget,
    TemplateOpdracht,
)
from sample_data import vocab

# (version, weeks between begeleidingsgesprekken): every opleiding gets version 1; the first
# also version 2, every two weeks.
VERSIONS = [(1, 1), (2, 2)]


def add_stageplan_templates(engine: Engine, opleiding_ids: list[int], epas: dict[int, list[int]], author_id: int,
                            today: dt.date, first_year: int) -> None:
    with engine.begin() as conn:
        for idx, oid in enumerate(opleiding_ids):
            code = vocab.OPLEIDINGEN[idx][0]
            changed = _middle_start(conn, oid, today)
            for version, weeks in VERSIONS[:2 if idx == 0 else 1]:
                created = dt.datetime(first_year, 6, 1) if version == 1 else dt.datetime.combine(changed, dt.time(10))
                template_id = conn.execute(insert(StageplanTemplate).returning(StageplanTemplate.id), {
                    "opleiding_id": oid, "name": f"Stageplan {code}", "version": version, "kpb_target": 6,
                    "gesprek_interval_weeks": weeks, "verslag_days_before": 7, "created_at": created,
                    "created_by": author_id}).scalar_one()
                conn.execute(insert(TemplateEpaTarget), [
                    {"template_id": template_id, "epa_id": e, "target_level": 3} for e in epas[oid][:2]])
                conn.execute(insert(TemplateOpdracht), [
                    {"template_id": template_id, "position": i, "title": title, "due_days": days}
                    for i, (title, days) in enumerate(zip(vocab.PRAKTIJKOPDRACHTEN[:2], (42, 77)), 1)])
                stages = select(Stage.id).join(Aios, Aios.id == Stage.aios_id).where(Aios.opleiding_id == oid)
                if idx == 0:  # version 1 for the stages begun before version 2, version 2 for the later ones
                    stages = stages.where(Stage.start_date <= changed if version == 1 else Stage.start_date > changed)
                conn.execute(update(Stageplan).where(Stageplan.stage_id.in_(stages))
                             .values(template_id=template_id, gesprek_interval_weeks=weeks))


def _middle_start(conn, opleiding_id: int, today: dt.date) -> dt.date:
    """The middle start date of the opleiding's stages running today (a month ago if none)."""
    starts = conn.execute(select(Stage.start_date).join(Aios, Aios.id == Stage.aios_id)
                          .where(Aios.opleiding_id == opleiding_id, Stage.start_date <= today, Stage.end_date >= today)
                          .order_by(Stage.start_date)).scalars().all()
    if not starts:
        return today - dt.timedelta(days=30)
    middle = starts[len(starts) // 2]
    return middle if isinstance(middle, dt.date) else dt.date.fromisoformat(str(middle)[:10])
