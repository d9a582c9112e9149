"""Help shown beside forms and figures: the 20 questions that put the aios in the lead (seed 003,
"Didactisch Dilemma"), the Pendleton and 4G feedback models (DOMAIN.md), and how figures about
groups count the aios the viewer does not see one by one."""


def groups_note(threshold: int, sees_no_one: bool = False) -> str:
    """The disclosure rule (data_access.disclosure) in Dutch, for figures about aios: for the
    stagecommissie, who sees no aios one by one, without the cohort and begeleider choices it has not."""
    groups = (f"per stageplaats en jaar, in hele groepen van {threshold}: de rest telt mee zodra er "
              f"{threshold} bij zijn")
    if sees_no_one:
        return f"U ziet geen aios per persoon: cijfers over aios tellen hen {groups}."
    return (f"Aios die u niet per persoon ziet, tellen {groups}. Een keuze per cohort of begeleider toont alleen de "
            "aios die u per persoon ziet.")


TWENTY_QUESTIONS = [
    "Waar wil je dit voortgangsgesprek voor gebruiken?",
    "Wat zijn voor jou belangrijke punten om te bespreken?",
    "Waar wil je mee beginnen?",
    "Waar wil je feedback op?",
    "Wat heb je bereikt afgelopen periode?",
    "Waar loop je tegenaan?",
    "Hoe zie je jezelf over een jaar?",
    "Wat voor een dokter wil je worden?",
    "Wat vind je belangrijk?",
    "Waar wil je je in ontwikkelen?",
    "Wat ga je uit de weg?",
    "Hoe daag je jezelf uit?",
    "Wat heb je nodig?",
    "Wanneer ben je tevreden?",
    "Hoe draag je bij aan de kwaliteit van leren in je groep?",
    "Welke doelen kun je in deze opleidingspraktijk niet behalen?",
    "Hoe ga je hieraan werken?",
    "Welke kwaliteiten breng jij in in je praktijk en wat merken anderen daarvan?",
    "Welk keuze-onderwijs kan jou helpen om een betere dokter te worden?",
    "Heb je een voldoende helder beeld van jezelf om dit te bedenken?",
]

FEEDBACK_MODELS = """**Pendleton**: eerst de aios: wat ging goed? Dan jij: wat ging goed? De aios: wat kan beter?
Jij: wat kan beter? Samen: wat is het plan?

**4G**: *Gebeurtenis/Gedrag* (wat zag je precies?), *Gevoel* (wat deed het met je?), *Gevolg* (wat
was het effect?), *Gewenst* (wat zou je de volgende keer willen zien?)."""
