"""Step 6a: the plan's two versions, the example actions in them and their yearly follow-ups 2021–2025.

The plan versions are real (names, dates and decision maker from the board paper in ../shared/seed); the actions,
their changes between the versions, the follow-ups and the reported progress are fictitious examples.
"""

from __future__ import annotations

import pandas as pd

from analysis.core.model import ACTION_STATUSES, ACTION_THEMES, EXAMPLE_SOURCE

from .catalogue import INDICATOR_BY_ID
from .common import BERGA, RYD, SKAGGETORP

KLF = "Kommunledningsförvaltningen"
UF = "Utbildningsförvaltningen"
SOC = "Socialförvaltningen"
KOF = "Kultur- och fritidsförvaltningen"
AVF = "Arbetsmarknads- och välfärdsförvaltningen"
SBF = "Samhällsbyggnadsförvaltningen"
STANGASTADEN = "Stångåstaden (bostadsbolag)"
ALL3 = "Berga;Ryd;Skäggetorp"

PLAN_2020, PLAN_2022 = "Åtgärdsplan 2020", "Åtgärdsplan 2022"
PLAN_SOURCE = (
    "Linköpings kommun, tjänsteskrivelse Åtgärdsplan mot segregation, information om åtgärdsplan 2022 samt "
    "uppföljning av tidigare åtgärdsplan, 2022-01-19"
)
# name, adopted, decided by, first year, last year, comment
PLANS: list[tuple[str, str, str, int, int, str]] = [
    (
        PLAN_2020,
        "2020-12-02",
        "kommundirektören",
        2021,
        2021,
        "Den första åtgärdsplanen mot segregation; uppföljningen av 2021 är Bilaga 5 till ärendet 2022-01-19.",
    ),
    (
        PLAN_2022,
        "2022-01-19",
        "kommundirektören",
        2022,
        2022,
        "En uppdaterad version utifrån uppföljningen av 2021, fastställd för 2022. Senare planer finns inte i "
        "standarddatan, så åtgärderna följs upp mot den här planen även efter 2022.",
    ),
]

# id, title, theme, responsible, areas, start, end, status, comment, indicators
ACTIONS: list[tuple[str, ...]] = [
    (
        "A01",
        "Trygghetsvandringar med boende, polis och fastighetsägare",
        "trygghet",
        KLF,
        ALL3,
        "2021-03-01",
        "2026-12-31",
        "Pågår",
        "Vandringar genomförs vår och höst; synpunkterna följs upp med fastighetsägarna.",
        "otrygghet_kvall",
    ),
    (
        "A02",
        "Bättre belysning längs gång- och cykelvägar",
        "trygghet",
        SBF,
        "Skäggetorp;Ryd",
        "2021-05-01",
        "2023-10-31",
        "Genomförd",
        "Ny belysning på de sträckor som pekades ut vid trygghetsvandringarna.",
        "otrygghet_kvall",
    ),
    (
        "A03",
        "Nattvandring med föräldrar och föreningar",
        "trygghet",
        SOC,
        "Skäggetorp;Berga",
        "2021-09-01",
        "2025-06-30",
        "Pågår",
        "Svårt att rekrytera vuxna till helgkvällar; fortsätter i mindre omfattning.",
        "otrygghet_kvall",
    ),
    (
        "A04",
        "Fältassistenter på kvällar och helger",
        "trygghet",
        SOC,
        ALL3,
        "2021-01-15",
        "2026-12-31",
        "Pågår",
        "Fältgruppen har utökats med kvällstid i Ryd.",
        "otrygghet_kvall;anmalda_brott",
    ),
    (
        "A05",
        "Medborgarlöfte tillsammans med polisen",
        "trygghet",
        KLF,
        SKAGGETORP,
        "2022-01-01",
        "2024-12-31",
        "Genomförd",
        "Löftet har följts upp årligen med polisen och ersatts av ett nytt.",
        "anmalda_brott;otrygghet_kvall",
    ),
    (
        "A06",
        "Samverkan skola, socialtjänst, polis och fritid (SSPF)",
        "trygghet",
        SOC,
        ALL3,
        "2021-02-01",
        "2026-12-31",
        "Pågår",
        "Fler unga har fångats upp tidigt genom gemensamma möten.",
        "anmalda_brott;unga_uvas",
    ),
    (
        "A07",
        "Platssamverkan med fastighetsägare i Ryds centrum",
        "trygghet",
        STANGASTADEN,
        RYD,
        "2023-01-01",
        "2026-06-30",
        "Pågår",
        "Avtalet mellan fastighetsägarna väntar på förlängning.",
        "otrygghet_kvall;anmalda_brott",
    ),
    (
        "A08",
        "Trygghetsskapande åtgärder i den fysiska miljön",
        "trygghet",
        SBF,
        BERGA,
        "2024-03-01",
        "2025-12-31",
        "Försenad",
        "Upphandlingen av markarbeten har dragit ut på tiden.",
        "otrygghet_kvall",
    ),
    (
        "A09",
        "Mötesplatser för föräldrar på biblioteket",
        "gemenskap",
        KOF,
        SKAGGETORP,
        "2021-02-01",
        "2026-12-31",
        "Pågår",
        "Träffarna är välbesökta; fler språk efterfrågas.",
        "forskola;utrikes_fodda",
    ),
    (
        "A10",
        "Språkcafé och samhällsorientering för vuxna",
        "gemenskap",
        KOF,
        ALL3,
        "2021-09-01",
        "2024-06-30",
        "Genomförd",
        "Verksamheten drivs vidare av föreningar med kommunalt stöd.",
        "forvarvsfrekvens",
    ),
    (
        "A11",
        "Demokratiambassadörer inför valet 2022",
        "gemenskap",
        KLF,
        ALL3,
        "2022-02-01",
        "2022-09-30",
        "Genomförd",
        "Ambassadörer informerade om hur man röstar på flera språk.",
        "valdeltagande_kommunval;valdeltagande_riksdagsval",
    ),
    (
        "A12",
        "Stöd till föreningsdrivna mötesplatser",
        "gemenskap",
        KOF,
        "Berga;Skäggetorp",
        "2022-01-01",
        "2026-12-31",
        "Pågår",
        "Två nya föreningar har fått lokalstöd.",
        "otrygghet_kvall",
    ),
    (
        "A13",
        "Hyresgästdialoger och boinflytande",
        "gemenskap",
        STANGASTADEN,
        "Berga;Skäggetorp",
        "2021-04-01",
        "2023-12-31",
        "Genomförd",
        "Dialogerna har lett till nya odlingslotter och en lekplats.",
        "trangbodda_hushall",
    ),
    (
        "A14",
        "Hälsokommunikatörer i stadsdelen",
        "gemenskap",
        SOC,
        "Skäggetorp;Berga",
        "2022-09-01",
        "2025-12-31",
        "Pågår",
        "Projektmedlen är slut; beslut om fortsatt finansiering saknas.",
        "ohalsotal",
    ),
    (
        "A15",
        "Stadsdelsfest i samarbete med föreningslivet",
        "gemenskap",
        KOF,
        BERGA,
        "2021-05-01",
        "2021-08-31",
        "Avbruten",
        "Ställdes in på grund av pandemirestriktionerna.",
        "otrygghet_kvall",
    ),
    (
        "A16",
        "Demokratiambassadörer inför valet 2026",
        "gemenskap",
        KLF,
        ALL3,
        "2026-02-01",
        "2026-09-30",
        "Genomförd",
        "Upplägget från 2022 upprepades med fler ambassadörer.",
        "valdeltagande_kommunval;valdeltagande_riksdagsval",
    ),
    (
        "A17",
        "Sommarlovsentreprenörer i Skäggetorp",
        "arbete",
        AVF,
        SKAGGETORP,
        "2021-06-01",
        "2025-08-31",
        "Genomförd",
        "Ett fyrtiotal ungdomar har deltagit varje sommar.",
        "unga_uvas",
    ),
    (
        "A18",
        "Feriearbeten för ungdomar i fokusområdena",
        "arbete",
        AVF,
        ALL3,
        "2021-06-01",
        "2026-08-31",
        "Genomförd",
        "Sommarens platser är tillsatta; fler privata arbetsgivare behövs.",
        "unga_uvas;forvarvsfrekvens",
    ),
    (
        "A19",
        "Lokalt jobbtorg i stadsdelen",
        "arbete",
        AVF,
        "Skäggetorp;Berga",
        "2022-01-01",
        "2026-12-31",
        "Pågår",
        "Öppet två dagar i veckan tillsammans med Arbetsförmedlingen.",
        "arbetsloshet;forvarvsfrekvens",
    ),
    (
        "A20",
        "Språk och praktik för utrikes födda kvinnor",
        "arbete",
        AVF,
        ALL3,
        "2021-09-01",
        "2024-12-31",
        "Pågår",
        "Slutrapporten är försenad; deltagarna följs upp under våren.",
        "forvarvsfrekvens;arbetsloshet;ekonomiskt_bistand",
    ),
    (
        "A21",
        "Sociala krav vid upphandling av renoveringar",
        "arbete",
        STANGASTADEN,
        "Skäggetorp;Ryd",
        "2022-03-01",
        "2026-12-31",
        "Pågår",
        "Krav på lokala praktikplatser finns i två pågående upphandlingar.",
        "arbetsloshet",
    ),
    (
        "A22",
        "Uppsökande arbete för unga som varken arbetar eller studerar",
        "arbete",
        UF,
        ALL3,
        "2021-01-01",
        "2026-12-31",
        "Pågår",
        "Kontakt har tagits med de flesta unga inom det kommunala aktivitetsansvaret.",
        "unga_uvas",
    ),
    (
        "A23",
        "Näringslivsnätverk för praktikplatser",
        "arbete",
        KLF,
        ALL3,
        "2023-01-01",
        "2025-06-30",
        "Försenad",
        "Nätverket har startat men färre företag än planerat deltar.",
        "forvarvsfrekvens;arbetsloshet",
    ),
    (
        "A24",
        "Yrkesutbildning med språkstöd inom vuxenutbildningen",
        "arbete",
        UF,
        ALL3,
        "2021-08-15",
        "2026-06-30",
        "Genomförd",
        "Utbildningarna inom vård och omsorg fortsätter i ordinarie regi.",
        "forgymnasial_utbildning;forvarvsfrekvens",
    ),
    (
        "A25",
        "Mentorprogram för nyanlända akademiker",
        "arbete",
        AVF,
        RYD,
        "2022-09-01",
        "2025-12-31",
        "Vilande",
        "Pausat i väntan på ny samarbetspart.",
        "forvarvsfrekvens",
    ),
    (
        "A26",
        "Språkstöd i förskolan",
        "utbildning",
        UF,
        ALL3,
        "2021-01-01",
        "2026-12-31",
        "Pågår",
        "Språkutvecklare stöttar alla förskolor i områdena.",
        "forskola;behorighet_yrkesprogram",
    ),
    (
        "A27",
        "Uppsökande verksamhet för fler barn i förskolan",
        "utbildning",
        UF,
        "Skäggetorp;Berga",
        "2021-03-01",
        "2023-12-31",
        "Genomförd",
        "Arbetssättet ingår nu i den ordinarie verksamheten.",
        "forskola",
    ),
    (
        "A28",
        "Läxhjälp på biblioteken",
        "utbildning",
        KOF,
        ALL3,
        "2021-01-15",
        "2026-12-31",
        "Pågår",
        "Volontärer från universitetet medverkar i Ryd.",
        "meritvarde;behorighet_yrkesprogram",
    ),
    (
        "A29",
        "Utökad lovskola för årskurs 8 och 9",
        "utbildning",
        UF,
        ALL3,
        "2021-06-01",
        "2024-08-31",
        "Genomförd",
        "Lovskolan ingår nu i skolornas ordinarie planering.",
        "behorighet_yrkesprogram;meritvarde",
    ),
    (
        "A30",
        "Studiehandledning på modersmål",
        "utbildning",
        UF,
        "Skäggetorp;Berga",
        "2022-08-15",
        "2026-06-30",
        "Genomförd",
        "Ingår nu i ordinarie verksamhet; brist på handledare i vissa språk.",
        "meritvarde;behorighet_yrkesprogram",
    ),
    (
        "A31",
        "Föräldrautbildning om skolsystemet",
        "utbildning",
        UF,
        SKAGGETORP,
        "2026-09-01",
        "2026-12-31",
        "Ej påbörjad",
        "Starten är flyttad till nästa läsår.",
        "behorighet_yrkesprogram",
    ),
    (
        "A32",
        "Tidiga insatser vid hög frånvaro i skolan",
        "utbildning",
        SOC,
        ALL3,
        "2023-08-15",
        "2025-12-31",
        "Pågår",
        "Rutinen är framtagen; uppföljningen av frånvaron återstår.",
        "behorighet_yrkesprogram;unga_uvas",
    ),
    (
        "A33",
        "Spontanidrottsplats i Berga",
        "fritid",
        SBF,
        BERGA,
        "2022-04-01",
        "2023-09-30",
        "Genomförd",
        "Platsen invigdes och används flitigt på kvällarna.",
        "otrygghet_kvall",
    ),
    (
        "A34",
        "Fritidsbank med lån av sport- och fritidsutrustning",
        "fritid",
        KOF,
        SKAGGETORP,
        "2021-10-01",
        "2026-12-31",
        "Pågår",
        "Utlåningen ökar varje år.",
        "lag_ekonomisk_standard_barn",
    ),
    (
        "A35",
        "Avgiftsfria lovaktiviteter för barn och unga",
        "fritid",
        KOF,
        ALL3,
        "2021-06-01",
        "2026-12-31",
        "Pågår",
        "Statsbidraget för lovaktiviteter har minskat.",
        "lag_ekonomisk_standard_barn",
    ),
    (
        "A36",
        "Förlängda öppettider på fritidsgården i Ryd",
        "fritid",
        KOF,
        RYD,
        "2023-01-01",
        "2024-12-31",
        "Avbruten",
        "Avbröts när lokalen behövdes för annan verksamhet.",
        "otrygghet_kvall;anmalda_brott",
    ),
    (
        "A37",
        "Kulturskolans kurser i stadsdelen",
        "fritid",
        KOF,
        "Berga;Ryd",
        "2022-08-15",
        "2026-06-30",
        "Genomförd",
        "Kurserna i dans och musik fortsätter med ordinarie finansiering.",
        "meritvarde",
    ),
    (
        "A38",
        "Föreningslyft – fler ledare i idrottsföreningarna",
        "fritid",
        KOF,
        ALL3,
        "2024-01-01",
        "2026-12-31",
        "Vilande",
        "Pausat under omorganisationen av föreningsstödet.",
        "otrygghet_kvall",
    ),
    (
        "A39",
        "Simskola för barn och vuxna",
        "fritid",
        KOF,
        "Skäggetorp;Berga",
        "2021-05-01",
        "2026-12-31",
        "Pågår",
        "Särskilda grupper för kvinnor har startat.",
        "ohalsotal",
    ),
    (
        "A40",
        "Aktivitetspark vid Ryds centrum",
        "fritid",
        SBF,
        RYD,
        "2026-10-01",
        "2026-12-31",
        "Ej påbörjad",
        "Bygglovet är beviljat; byggstart väntar på upphandling.",
        "otrygghet_kvall",
    ),
    (
        "A42",
        "Informationsträffar om bostadskö och boende",
        "gemenskap",
        STANGASTADEN,
        "Berga;Skäggetorp",
        "2021-02-01",
        "2021-11-30",
        "Genomförd",
        "Genomförda 2021; ingår därefter i bostadsbolagets ordinarie arbete och utgår ur planen.",
        "trangbodda_hushall",
    ),
    (
        "A41",
        "Utvärdering av åtgärdsplanen inför nästa plan",
        "gemenskap",
        KLF,
        ALL3,
        "2026-12-01",
        "2026-12-31",
        "Ej påbörjad",
        "Uppdraget är beställt av kommundirektören.",
        "forvarvsfrekvens",
    ),
]


# Actions of the first plan that the plan for 2022 no longer has (cancelled or finished in 2021).
ONLY_IN_2020 = frozenset({"A15", "A42"})
# How an action carried over into the plan for 2022 read in the plan of 2020 (what the update changed).
AS_IN_2020: dict[str, dict[str, str]] = {
    "A03": {"end": "2023-06-30"},
    "A10": {"responsible": AVF, "end": "2022-06-30"},
    "A20": {"areas": SKAGGETORP},
    "A22": {"responsible": SOC},
}


def plans_frame() -> pd.DataFrame:
    """The Planer table: the plan's two versions."""
    cols = ("name", "adopted", "decided_by", "first_year", "last_year", "comment")
    return pd.DataFrame([dict(zip(cols, p), source=PLAN_SOURCE) for p in PLANS])


def actions_frame() -> pd.DataFrame:
    """The Åtgärder table: one row per action and plan version (actions started by 2021 were in the first plan)."""
    cols = ("id", "title", "theme", "responsible", "areas", "start", "end", "status", "comment", "indicators")
    rows = []
    for a in ACTIONS:
        row = dict(zip(cols, a), source=EXAMPLE_SOURCE)
        if int(row["start"][:4]) <= 2021:
            rows.append({**row, **AS_IN_2020.get(row["id"], {}), "plan": PLAN_2020})
        if row["id"] not in ONLY_IN_2020:
            rows.append({**row, "plan": PLAN_2022})
    return pd.DataFrame(rows)


FOLLOWUP_YEARS: tuple[int, ...] = tuple(range(2021, 2026))
# The follow-up year from which a paused (Vilande) action was reported as paused.
PAUSED_FROM: dict[str, int] = {"A25": 2024, "A38": 2025}
# Actions not yet started that were already in the plan at a follow-up, with the comment then.
PLANNED: dict[tuple[str, int], str] = {
    ("A31", 2025): "Planeras till hösten 2026.",
    ("A40", 2025): "Projekteringen pågår; byggstart planeras hösten 2026.",
}


def _followup_status(status: str, end_year: int, action: str, year: int) -> str:
    """The status an action had at the follow-up of a year, given its current status and end year.

    Finished and cancelled actions were ongoing until their end year; paused ones until PAUSED_FROM; actions
    marked Försenad were reported late in their end year. Ongoing actions stay Pågår: the dashboard derives
    Försenad from the end date itself.
    """
    if status in ("Genomförd", "Avbruten", "Försenad"):
        return status if year >= end_year else "Pågår"
    if status == "Vilande":
        return status if year >= PAUSED_FROM[action] else "Pågår"
    return "Pågår"


def _followup_comment(status: str, first: bool, last: bool, changed: bool, action_comment: str) -> str:
    """The comment of one example follow-up: the action's own comment at the latest one or when it changed."""
    if last or (changed and status != "Pågår"):
        return action_comment
    if status == "Vilande":
        return "Fortfarande vilande."
    return "Arbetet har startat." if first else "Arbetet fortsätter enligt plan."


# Actions whose reported progress lags their schedule (share of the time-proportional progress they report).
BEHIND: dict[str, float] = {"A03": 0.6, "A14": 0.65, "A19": 0.7, "A21": 0.75, "A35": 0.7}


def _progress(action: tuple[str, ...], year: int, status: str, previous: float | None) -> float:
    """The example progress (Andel klar, %) reported at a follow-up: the time passed by 31 December, in steps of 5.

    Finished actions report 100, actions not started 0, paused or cancelled ones what they had; actions in BEHIND
    report less than their schedule.
    """
    if status == "Genomförd":
        return 100.0
    if status == "Ej påbörjad":
        return 0.0
    if status in ("Vilande", "Avbruten") and previous is not None:
        return previous
    start, end = pd.Timestamp(action[5]), pd.Timestamp(action[6])
    passed = min(1.0, max(0.0, (pd.Timestamp(year, 12, 31) - start) / (end - start)))
    return float(min(95, 5 * round(20 * passed * BEHIND.get(action[0], 1.0))))


def followups_frame() -> pd.DataFrame:
    """Example follow-ups 2021–2025 of every action, consistent with its dates and current status.

    An action is followed up from its start year; a finished or cancelled one for the last time the year it
    closed (later follow-ups no longer list it, as in the board's yearly reports).
    """
    rows = []
    for a in ACTIONS:
        action, start, end, status, comment = a[0], int(a[5][:4]), int(a[6][:4]), a[7], a[8]
        years = [y for y in FOLLOWUP_YEARS if y >= start or (action, y) in PLANNED]
        if status in ("Genomförd", "Avbruten"):
            years = [y for y in years if y <= end]
        previous, progress = None, None
        for i, year in enumerate(years):
            if (action, year) in PLANNED:
                reported, text = "Ej påbörjad", PLANNED[(action, year)]
            else:
                reported = _followup_status(status, end, action, year)
                text = _followup_comment(reported, i == 0, i == len(years) - 1, reported != previous, comment)
            progress = _progress(a, year, reported, progress)
            rows.append(
                {
                    "action": action,
                    "year": year,
                    "status": reported,
                    "comment": text,
                    "source": EXAMPLE_SOURCE,
                    "progress": progress,
                }
            )
            previous = reported
    return pd.DataFrame(rows)


def check_actions() -> None:
    """Fail early if an action has a theme or status outside the model's vocabularies or an unknown indicator."""
    assert set(AS_IN_2020) | ONLY_IN_2020 <= {a[0] for a in ACTIONS if int(a[5][:4]) <= 2021}
    for a in ACTIONS:
        assert a[2] in ACTION_THEMES and a[7] in ACTION_STATUSES, a[0]
        assert all(x in INDICATOR_BY_ID for x in a[9].split(";")), a[0]
