"""Who may do what: one declared table, action → role → on which records.

Every command and page asks `may(viewer, action)`; the record it acts on is then looked up with
the role's scope in SQL (data_access.scope and each command's own condition), as the table's
cell says in words. The README's table "Who may do what" is this table (`readme_table`), and a
test holds the two equal, so a rule cannot differ between the README, a page and a command.
A role without a cell in a row may not do that action, on any record.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from data_access.models import Role

AIOS, BEGELEIDER, OPLEIDER, COMMISSIE, BEHEERDER = (
    Role.AIOS, Role.STAGEBEGELEIDER, Role.INSTITUUTSOPLEIDER, Role.STAGECOMMISSIE, Role.BEHEERDER)
COLUMNS = (AIOS, BEGELEIDER, OPLEIDER, COMMISSIE, BEHEERDER)  # the README's column order


@dataclass(frozen=True)
class Rule:
    """One row: what the action is (as the README names it) and, per role that may, on which
    records (in words; the scope a command applies)."""

    label: str
    scope: dict[Role, str]

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(self.scope)


class Action(enum.Enum):
    TEMPLATE_SAVE = Rule("Stageplansjabloon opslaan (a change is a new version, for new stages only)",
                         {OPLEIDER: "opleidingen of their cohorts", BEHEERDER: "every opleiding"})
    STAGE_EDIT = Rule("Stage toevoegen / wijzigen (stageplan from the current template; the importer's checks)",
                      {OPLEIDER: "aios of their cohorts", BEHEERDER: "every aios"})
    LEERDOEL_WRITE = Rule("Leerdoel schrijven / wijzigen (after approval a change is a new version)",
                          {AIOS: "own stage, unless offered"})
    PLAN_OFFER = Rule("Stageplan ter goedkeuring aanbieden", {AIOS: "own stage"})
    PLAN_APPROVE = Rule("Stageplan goedkeuren / terugsturen (with a remark; also at the startgesprek)",
                        {BEGELEIDER: "own stages", OPLEIDER: "own aios"})
    LEERDOEL_STATUS = Rule("Leerdoelstatus", {
        AIOS: "proposes bezig / behaald / bijgesteld",
        BEGELEIDER: "sets any status, also in the evaluatie- and eindgesprek",
        OPLEIDER: "same as begeleider"})
    LEERDOEL_CONFIRM = Rule("Leerdoelstatus zetten, een voorstel bevestigen (what the aios proposes counts only then)",
                            {BEGELEIDER: "own stages", OPLEIDER: "own aios"})
    OPDRACHT_STATUS = Rule("Praktijkopdracht status", {
        AIOS: "gepland / bezig / afgerond", BEGELEIDER: "all, incl. beoordeeld", OPLEIDER: "all, incl. beoordeeld"})
    GESPREK_LOG = Rule("Gesprek vastleggen", {
        AIOS: "concept (the begeleider vaststelt)", BEGELEIDER: "own stages", OPLEIDER: "own aios"})
    GESPREK_CONFIRM = Rule("Gesprek vaststellen (a verslag the aios wrote as a concept)",
                           {BEGELEIDER: "own stages", OPLEIDER: "own aios"})
    KPB = Rule("KPB", {AIOS: "asks (concept, no level)", BEGELEIDER: "own stages, with the level",
                       OPLEIDER: "own aios"})
    KPB_CONFIRM = Rule("KPB bevestigen of terugsturen (a concept the aios asked: the observer gives the level)",
                       {BEGELEIDER: "own stages", OPLEIDER: "own aios"})
    FEEDBACK_LOG = Rule("Feedbackmoment", {AIOS: "own stages (feedback received)", BEGELEIDER: "own stages",
                                           OPLEIDER: "own aios"})
    FEEDBACK_ASK = Rule("Feedback of een KPB vragen", {AIOS: "own running stage, to its begeleider"})
    FEEDBACK_ANSWER = Rule("Feedbackvraag beantwoorden / afwijzen (with a reason)",
                           {BEGELEIDER: "requests asked of them"})
    VERSLAG_WRITE = Rule("Stageverslag schrijven of uploaden (PDF/.docx by content; each save a version), inleveren",
                         {AIOS: "own stages"})
    VERSLAG_READ = Rule("Stageverslag lezen / downloaden (audited)",
                        {AIOS: "own", BEGELEIDER: "own stages", OPLEIDER: "own aios", BEHEERDER: "all"})
    VERSLAG_MARK_READ = Rule("Stageverslag markeren als gelezen", {BEGELEIDER: "own stages", OPLEIDER: "own aios"})
    SITE_RATE = Rule("Stageplaats beoordelen (anonymous, released in batches)", {AIOS: "own ended stages"})
    RATER_POSITION = Rule("Eigen positie onder de beoordelaars (the others under a number)",
                          {BEGELEIDER: "own scores"})
    RESPONSE_RATES = Rule("Respons per stageplaats of cohort", {
        OPLEIDER: "own cohorts", COMMISSIE: "own programme", BEHEERDER: "all"})
    DOSSIER_NOTE = Rule("Dossiernotitie, bespreken in voortgangsoverleg",
                        {OPLEIDER: "own aios", BEHEERDER: "all"})
    MEETING = Rule("Vergadering voorbereiden, houden (a besluit or besproken zonder besluit; a besluit corrected "
                   "until the meeting closes, the site's status change shown before it is saved), sluiten (after a "
                   "list of the items without an outcome)", {COMMISSIE: "own programme", BEHEERDER: "all"})
    BEHEER = Rule("Gebruikers, koppelingen, import, export, auditlog", {BEHEERDER: "✓"})

    @property
    def roles(self) -> frozenset[Role]:
        return self.value.roles


# Cells the README writes for a role the table leaves out, where "–" alone would mislead.
NOTES = {
    (Action.VERSLAG_READ, COMMISSIE): "never",
    (Action.DOSSIER_NOTE, AIOS): "– (an aios reads their notes only through the AVG-inzage)",
}


def may(role_or_viewer, action: Action) -> bool:
    """Whether the role (or the viewer's role) may do the action on some record; which records,
    the command decides with the role's scope."""
    role = getattr(role_or_viewer, "role", role_or_viewer)
    return role in action.roles


def readme_table() -> str:
    """The README's table "Who may do what", from the declared table."""
    lines = ["| action | " + " | ".join(r.value for r in COLUMNS) + " |", "|---" * (len(COLUMNS) + 1) + "|"]
    for action in Action:
        cells = [action.value.scope.get(role) or NOTES.get((action, role), "–") for role in COLUMNS]
        lines.append(f"| {action.value.label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
