"""Dutch words and sentences the generator draws from. Written for this product, not copied."""

from data_access.models import CanMedsRole as R

OPLEIDINGEN = [
    # code, name, disciplines of its stageplaatsen, uses the leerklimaat instrument
    ("MG", "Arts Maatschappij & Gezondheid", ["GGD", "Arbodienst", "Jeugdgezondheidszorg", "Verzekeringsgeneeskunde", "Infectieziektebestrijding"], True),
    ("HAG", "Huisartsgeneeskunde", ["Huisartsenpraktijk", "Gezondheidscentrum", "Huisartsenpost"], False),
    ("SO", "Ouderengeneeskunde", ["Verpleeghuis", "Revalidatiecentrum", "Hospice"], False),
    ("KG", "Kindergeneeskunde", ["Algemeen ziekenhuis", "UMC", "Jeugdzorginstelling"], False),
]

REGIONS = [
    "Groningen", "Friesland", "Drenthe", "Overijssel", "Gelderland", "Utrecht", "Noord-Holland",
    "Zuid-Holland", "Zeeland", "Noord-Brabant", "Limburg", "Flevoland",
    "Antwerpen", "Oost-Vlaanderen", "West-Vlaanderen", "Vlaams-Brabant", "Limburg (BE)",
]

SITE_NAME_PARTS = ["De Linde", "Het Anker", "De Brug", "Oosterpoort", "De Wissel", "Het Baken",
                   "Rivierenland", "De Horst", "Zonnehof", "De Kempen", "Het Lichtpunt", "Middenweg",
                   "De Vaart", "Waterland", "De Es", "Kennemerland", "Scheldezicht", "De Biezen"]

LEVELS = [(1, "onvoldoende"), (2, "voldoende"), (3, "goed"), (4, "excellent")]

# Two criteria per CanMEDS role; level descriptions follow one pattern per level.
CRITERIA = [
    ("Medische kennis toepassen", R.MEDICAL_EXPERT),
    ("Klinisch redeneren", R.MEDICAL_EXPERT),
    ("Gespreksvoering met cliënten", R.COMMUNICATOR),
    ("Rapporteren en verslaglegging", R.COMMUNICATOR),
    ("Interprofessioneel samenwerken", R.COLLABORATOR),
    ("Overdracht en afstemming", R.COLLABORATOR),
    ("Organiseren van eigen werk", R.LEADER),
    ("Bijdragen aan kwaliteitsverbetering", R.LEADER),
    ("Signaleren van gezondheidsrisico's", R.HEALTH_ADVOCATE),
    ("Preventie en voorlichting", R.HEALTH_ADVOCATE),
    ("Wetenschappelijk onderbouwd handelen", R.SCHOLAR),
    ("Kennis delen en onderwijzen", R.SCHOLAR),
    ("Reflectie op eigen handelen", R.PROFESSIONAL),
    ("Integriteit en grenzen", R.PROFESSIONAL),
]
LEVEL_PATTERNS = {
    1: "Laat bij {c} nog onvoldoende zien wat van deze fase verwacht wordt; heeft directe sturing nodig.",
    2: "Voldoet bij {c} aan de basis; handelt correct in eenvoudige situaties.",
    3: "Handelt bij {c} zelfstandig en doordacht, ook in complexere situaties.",
    4: "Is bij {c} een voorbeeld voor anderen en verbetert de werkwijze.",
}

EPAS = [
    ("EPA1", "Uitvoeren van een individueel consult"),
    ("EPA2", "Opstellen van een beleidsadvies"),
    ("EPA3", "Leiden van een multidisciplinair overleg"),
    ("EPA4", "Uitvoeren van een risicobeoordeling"),
    ("EPA5", "Geven van voorlichting aan een groep"),
    ("EPA6", "Begeleiden van een casus in de keten"),
    ("EPA7", "Rapporteren aan een opdrachtgever"),
    ("EPA8", "Uitvoeren van een bron- en contactonderzoek"),
]

LEERDOEL_TEMPLATES = [
    "Ik wil aan het eind van de stage zelfstandig {x} kunnen, met hooguit indirecte supervisie.",
    "Ik wil mijn vaardigheid in {x} verbeteren door wekelijks één casus te bespreken.",
    "Ik wil minstens drie keer {x} uitvoeren en daar feedback op vragen.",
    "Ik wil inzicht krijgen in hoe {x} binnen deze organisatie is georganiseerd.",
]
LEERDOEL_OBJECTS = [
    "een spreekuur draaien", "een beleidsnotitie schrijven", "een MDO voorzitten",
    "slechtnieuwsgesprekken voeren", "een risicobeoordeling maken", "voorlichting geven",
    "samenwerken met de wijkverpleging", "mijn tijd plannen", "literatuur kritisch lezen",
    "een casus presenteren",
]

PRAKTIJKOPDRACHTEN = [
    "Kwaliteitsproject op de afdeling", "Literatuuronderzoek met presentatie",
    "Analyse van een calamiteit", "Voorlichtingsbijeenkomst organiseren",
    "Procesbeschrijving ketenzorg",
]

VERSLAG_SENTENCES = [
    "We hebben de voortgang op de leerdoelen besproken.",
    "De aios gaf aan meer ruimte te willen voor zelfstandig werken.",
    "Het contact met het team verloopt goed.",
    "De planning van de komende weken is doorgenomen.",
    "We hebben een lastige casus van deze week nabesproken.",
    "De aios vroeg feedback op de manier van rapporteren.",
    "Er is gesproken over de balans tussen werk en studie.",
    "De praktijkopdracht ligt op schema.",
    "De aios heeft de KPB van vorige week nabesproken.",
    "We hebben stilgestaan bij wat goed ging en wat beter kan.",
]
AFSPRAKEN = [
    "Volgende week een KPB plannen.", "Leerdoel 2 bijstellen en concreter maken.",
    "Concept van het stageverslag voor de evaluatie aanleveren.",
    "Meelopen met een collega van het andere team.", "Zelf om feedback vragen na elk overleg.",
]
GAAT_GOED = ["Zelfstandigheid groeit zichtbaar.", "Goede contacten met het team.",
             "Heldere verslaglegging.", "Neemt initiatief om feedback te vragen."]
KAN_BETER = ["Planning van het eigen werk.", "Vaker om feedback vragen.",
             "Bondiger rapporteren.", "Eerder hulp inschakelen bij twijfel."]

FEEDBACK_TOPICS = ["consultvoering", "rapportage", "samenwerking", "presentatie",
                   "timemanagement", "klinisch redeneren", "voorlichting", "overdracht"]

KPB_FEEDBACK = [
    "Goede opbouw van het gesprek; let op het samenvatten aan het eind.",
    "Zelfstandig uitgevoerd; de onderbouwing mag explicieter.",
    "Nog veel sturing nodig bij de afronding.",
    "Heel goed: helder, empathisch en doelgericht.",
]

RATING_COMMENTS = {
    "positief": ["Veel geleerd, fijne begeleiding.", "Ruimte om zelf dingen te doen.",
                 "Het team neemt je echt mee.", "Begeleider had altijd tijd voor vragen."],
    "neutraal": ["Wisselend, afhankelijk van wie er dienst had.", "Goede stage, wel erg druk.",
                 "Leerzaam, maar weinig structuur in de begeleiding."],
    "negatief": ["Weinig tijd voor begeleiding.", "Vooral productie, weinig leren.",
                 "Begeleidingsgesprekken vielen vaak uit.", "Geen feedback gekregen."],
}

# A leerklimaat questionnaire in the style of D-RECT (9 subscales); our own wording.
INSTRUMENT = "Leerklimaat (D-RECT-stijl)"
INSTRUMENT_ITEMS = {
    "Opleidingssfeer": ["Er heerst een open sfeer om vragen te stellen.", "Fouten worden besproken om van te leren.", "Ik voel me welkom in het team.", "Leren krijgt hier de ruimte."],
    "Teamwork": ["Het team werkt goed samen.", "Verpleging en artsen stemmen goed af.", "Ik word betrokken bij overleggen.", "Taken zijn duidelijk verdeeld."],
    "Rol van de opleider": ["De opleider heeft aandacht voor mijn leerdoelen.", "De opleider is bereikbaar.", "De opleider plant regelmatig gesprekken.", "De opleider is een goed rolmodel."],
    "Coaching en beoordeling": ["Ik word geobserveerd bij mijn werk.", "Beoordelingen zijn eerlijk.", "Ik krijg uitleg bij een beoordeling.", "Er wordt gekeken naar mijn ontwikkeling."],
    "Formeel onderwijs": ["Er is tijd voor onderwijs.", "Het onderwijs sluit aan bij de praktijk.", "Ik kan onderwijs volgen zonder dienstconflict.", "Het onderwijs is van goede kwaliteit."],
    "Samenwerking met collega-aios": ["Collega-aios helpen elkaar.", "Er is onderling overleg.", "We leren van elkaars casuïstiek.", "Er is een goede verstandhouding."],
    "Werk op niveau": ["Het werk past bij mijn niveau.", "Ik krijg passende verantwoordelijkheid.", "Ik word niet overvraagd.", "Ik word uitgedaagd."],
    "Bereikbaarheid supervisie": ["Supervisie is bereikbaar wanneer nodig.", "Ik durf supervisie in te schakelen.", "Supervisoren reageren snel."],
    "Overdracht": ["Overdrachten zijn gestructureerd.", "Er is ruimte om te leren bij de overdracht.", "Overdracht gebeurt op tijd.", "Verantwoordelijkheden na de overdracht zijn helder."],
}
