"""One module per kind of import file: its columns, example row, notes for the template, its
planner (the rules) and its writer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from data_access.importer.kinds import aios, begeleiders, beoordelingen, rubricscores, stageplaatsen, stages


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    columns: list[str]  # Dutch, as in the template; required ones marked with '*'
    example: list[str]
    notes: dict[str, str]
    plan: Callable
    write: Callable

    @property
    def required(self) -> list[str]:
        return [c.rstrip("*") for c in self.columns if c.endswith("*")]


KINDS: dict[str, Kind] = {k.name: k for k in [
    Kind("aios", "Aios", aios.COLUMNS, aios.EXAMPLE, aios.NOTES, aios.plan_aios, aios.write_aios),
    Kind("stageplaatsen", "Stageplaatsen", stageplaatsen.COLUMNS, stageplaatsen.EXAMPLE, stageplaatsen.NOTES,
         stageplaatsen.plan_stageplaatsen, stageplaatsen.write_stageplaatsen),
    Kind("begeleiders", "Begeleiders", begeleiders.COLUMNS, begeleiders.EXAMPLE, begeleiders.NOTES,
         begeleiders.plan_begeleiders, begeleiders.write_begeleiders),
    Kind("stages", "Stages", stages.COLUMNS, stages.EXAMPLE, stages.NOTES, stages.plan_stages, stages.write_stages),
    Kind("beoordelingen", "Beoordelingen van stageplaatsen", beoordelingen.COLUMNS, beoordelingen.EXAMPLE,
         beoordelingen.NOTES, beoordelingen.plan_ratings, beoordelingen.write_ratings),
    Kind("rubricscores", "Rubricscores (historisch)", rubricscores.COLUMNS, rubricscores.EXAMPLE, rubricscores.NOTES,
         rubricscores.plan_rubricscores, rubricscores.write_rubricscores),
]}
