"""The kinds of reminder: who gets them, their defaults, the words and pages of a mail."""

from __future__ import annotations

from dataclasses import dataclass

from data_access.models import ReminderFrequency, ReminderKind, Role

K = ReminderKind
F = ReminderFrequency

# No row in reminder_preference means this: act-now kinds at once, the opleider's digest weekly.
DEFAULTS = {kind: F.DIRECT for kind in K} | {K.SIGNALEN: F.WEKELIJKS}
KINDS_BY_ROLE = {
    Role.STAGEBEGELEIDER: (K.GESPREK_ACHTER, K.VERSLAG_VASTSTELLEN, K.FEEDBACKVRAGEN),
    Role.AIOS: (K.VERSLAG_TERUGGESTUURD, K.STAGEVERSLAG, K.STAGEPLAATS_BEOORDELEN),
    Role.INSTITUUTSOPLEIDER: (K.SIGNALEN,),
}
DESCRIPTIONS = {
    K.GESPREK_ACHTER: "Een aios die u begeleidt heeft te lang geen gesprek gehad",
    K.VERSLAG_VASTSTELLEN: "Verslagen die op uw vaststelling wachten",
    K.VERSLAG_TERUGGESTUURD: "Uw verslag is teruggestuurd",
    K.STAGEVERSLAG: "Uw stageverslag moet binnenkort ingeleverd worden",
    K.STAGEPLAATS_BEOORDELEN: "Een afgeronde stage wacht op uw beoordeling van de stageplaats",
    K.SIGNALEN: "Nieuwe signalen in uw cohorten (weekoverzicht)",
    K.FEEDBACKVRAGEN: "Feedbackvragen van uw aios die op uw antwoord wachten",
}
FREQUENCY_LABELS = {F.DIRECT.value: "Direct", F.WEKELIJKS.value: "Eén keer per week", F.UIT.value: "Uit"}
SUBJECTS = {
    K.GESPREK_ACHTER: "gesprek achter",
    K.VERSLAG_VASTSTELLEN: "verslag vaststellen",
    K.VERSLAG_TERUGGESTUURD: "verslag teruggestuurd",
    K.STAGEVERSLAG: "stageverslag inleveren",
    K.STAGEPLAATS_BEOORDELEN: "stageplaats beoordelen",
    K.SIGNALEN: "nieuwe signalen",
    K.FEEDBACKVRAGEN: "feedbackvragen",
}
PAGES = {
    K.GESPREK_ACHTER: "mijn_aios",
    K.VERSLAG_VASTSTELLEN: "gesprek_vastleggen",
    K.VERSLAG_TERUGGESTUURD: "gesprek_vastleggen",
    K.STAGEVERSLAG: "mijn_stage",
    K.STAGEPLAATS_BEOORDELEN: "stageplaats_beoordelen",
    K.SIGNALEN: "cohorten",
    K.FEEDBACKVRAGEN: "mijn_aios",
}
@dataclass(frozen=True)
class DueItem:
    """One thing one user still has to do (or, for an opleider, one new signal)."""

    user_id: int
    kind: ReminderKind
    thing_key: str
    detail: str = ""  # the due date of a stageverslag; the flag kind of a signal

    def order(self) -> tuple:
        return self.user_id, list(ReminderKind).index(self.kind), self.thing_key
