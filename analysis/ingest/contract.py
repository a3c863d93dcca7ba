"""The Excel contract: sheet names and column headers, in Swedish with English alternatives.

The reader, the template, the export and the default-data generator all use these
declarations, so the format is written down exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.core.model import ACTION_STATUSES
from analysis.ingest.names import normalise

# The longest text a cell may hold: short texts (ids, sources, names of people), names, and free prose.
MAX_SHORT_TEXT = 1_000
MAX_NAME_TEXT = 200
MAX_LONG_TEXT = 20_000

# The statuses as a help text lists them ("Ej påbörjad, Pågår, … eller Vilande"), from the model's one list.
_STATUS_CHOICES = f"{', '.join(ACTION_STATUSES[:-1])} eller {ACTION_STATUSES[-1]}"


@dataclass(frozen=True)
class Column:
    """One column of a sheet: the model field, its Swedish header, accepted alternatives, its longest text."""

    field: str
    header: str
    alternatives: tuple[str, ...] = ()
    required: bool = False
    help: str = ""
    max_len: int = MAX_SHORT_TEXT


@dataclass(frozen=True)
class UniqueKey:
    """Fields no two rows of a sheet may share, the Swedish name of a repeat, and the fields compared loosely."""

    fields: tuple[str, ...]
    label: str
    folded: tuple[str, ...] = ()  # compared ignoring case and diacritics (free text, not resolved names)

    def of(self, record: dict[str, object]) -> tuple[object, ...]:
        """The key of one read record, folded fields normalised."""
        return tuple(normalise(record[f]) if f in self.folded else record[f] for f in self.fields)


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the workbook contract: its table, names, columns and the keys its rows must not repeat."""

    table: str
    name: str
    alternatives: tuple[str, ...]
    columns: tuple[Column, ...]
    help: str
    unique: tuple[UniqueKey, ...] = ()
    _by_field: dict[str, Column] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        """Index the columns by field once: `column` is asked for on every row read."""
        self._by_field.update((c.field, c) for c in self.columns)

    def column(self, field: str) -> Column:
        """The column declaration of a field."""
        return self._by_field[field]

    @property
    def headers(self) -> list[str]:
        """The Swedish headers in template order."""
        return [c.header for c in self.columns]


# The Data sheet's Grupp column is no column of the model: it is read together with Kön into the observations' group
# (their `sex` column, analysis/core/groups.py), and written back split into the two.
GROUP_FIELD = "group"

DATA_SHEET = SheetSpec(
    table="observations",
    name="Data",
    alternatives=("Värden", "Values", "Observations"),
    columns=(
        Column("area", "Område", ("Area", "Region", "Stadsdel", "Kommun"), True, "Områdets namn, kod eller alias."),
        Column("indicator", "Indikator", ("Indicator", "Nyckeltal", "Mått"), True, "Indikatorns id eller namn."),
        Column("year", "År", ("Year", "Ar"), True, "Årtal, t.ex. 2023."),
        Column("value", "Värde", ("Value", "Varde"), True, "Tal med decimalkomma eller decimalpunkt."),
        Column("sex", "Kön", ("Sex", "Gender", "Kon"), False, "Totalt, Kvinnor eller Män (tomt = Totalt)."),
        Column(
            GROUP_FIELD,
            "Grupp",
            ("Group", "Bakgrund", "Födelseregion", "Ålder", "Åldersgrupp"),
            False,
            "Inrikes födda, Utrikes födda, Svensk bakgrund, Utländsk bakgrund eller en åldersgrupp som 20–64 "
            "eller 65+ år (tomt = Totalt). Två grupper med komma: Utrikes födda, 20–64 år.",
        ),
        Column("source", "Källa", ("Source", "Kalla"), False, "Var värdet kommer ifrån (gärna en webbadress)."),
        Column("note", "Kommentar", ("Comment", "Note", "Anmärkning", "Fotnot"), False, "Fri kommentar."),
    ),
    help="Ett värde per rad (långt format), eller ett år per kolumn (brett format).",
)

INDICATOR_SHEET = SheetSpec(
    table="indicators",
    name="Indikatorer",
    alternatives=("Indicators", "Indikatorkatalog"),
    columns=(
        Column("id", "Id", ("Kod", "Code"), True, "Kort unikt id utan mellanslag, t.ex. forvarvsfrekvens.", 80),
        Column("name", "Namn", ("Name", "Indikator"), True, "Indikatorns namn som det visas.", MAX_NAME_TEXT),
        Column(
            "theme",
            "Tema",
            ("Theme",),
            True,
            "arbete, ekonomi, utbildning, boende, befolkning, demokrati, hälsa eller trygghet.",
        ),
        Column(
            "unit", "Enhet", ("Unit",), True, "procent, antal, kronor, dagar, per 1 000 invånare, poäng eller index."
        ),
        Column("direction", "Riktning", ("Direction",), True, "Högre är bättre, Lägre är bättre eller Neutral."),
        Column(
            "definition",
            "Definition",
            ("Definition",),
            False,
            "Vad som mäts och med vilken nämnare.",
            MAX_LONG_TEXT,
        ),
        Column("source", "Källa", ("Source",), False, "Statistikkälla."),
        Column(
            "decimals", "Decimaler", ("Decimals",), False, "Antal decimaler som visas (tomt = 1 för procent, annars 0)."
        ),
        Column(
            "key_figure", "Nyckeltal", ("Key figure",), False, "Ja om indikatorn hör till nulägesbildens nyckeltal."
        ),
        Column(
            "comparability",
            "Jämförbarhet",
            ("Comparability",),
            False,
            "Att tänka på vid jämförelser.",
            MAX_LONG_TEXT,
        ),
        Column(
            "definite",
            "Bestämd form",
            ("Definite", "I mening"),
            False,
            "Namnet som det skrivs i en mening, t.ex. förvärvsfrekvensen eller andelen trångbodda hushåll.",
            MAX_NAME_TEXT,
        ),
        Column(
            "gap_measure",
            "Skillnad mäts i",
            ("Gap measure", "Skillnad i"),
            False,
            "procentenheter, enhet (t.ex. dagar eller poäng) eller procent av jämförelseområdets värde "
            "(tomt = procentenheter för procent, enhet för dagar och poäng, annars procent).",
        ),
        Column(
            "threshold",
            "Oförändrat-gräns",
            ("Threshold", "Gräns för oförändrat"),
            False,
            "Minsta förändring som inte räknas som oförändrad: procentenheter för procent, annars procent av "
            "nivån (tomt = 1 procentenhet respektive 3 procent).",
        ),
        Column(
            "sex_words",
            "Kön i meningar",
            ("Sex words",),
            False,
            "kvinnor och män eller flickor och pojkar (tomt = kvinnor och män).",
        ),
        Column(
            "lag_years",
            "Publiceringsfördröjning (år)",
            ("Fördröjning", "Publiceringsfördröjning", "Publication lag"),
            False,
            "Hur många år efter statistikåret ett värde normalt publiceras: 0 samma år, 1 året efter "
            "(tomt = okänt, då varnas aldrig för gamla värden).",
        ),
        Column(
            "breaks",
            "Serieavbrott",
            ("Tidsseriebrott", "Series breaks", "Breaks"),
            False,
            "Kända avbrott i serien: året då det nya sättet att mäta börjar, kolon och vad som ändrades, t.ex. "
            "2019: RAMS ersattes av BAS. Flera åtskilda med semikolon (tomt = inga kända avbrott).",
        ),
        Column(
            "categories",
            "Kategorier",
            ("Categories", "Kategori"),
            False,
            "Bara för enheten kategori: koderna och deras benämningar, t.ex. 1: Områden med stora "
            "socioekonomiska utmaningar; 2: Områden med socioekonomiska utmaningar.",
            MAX_LONG_TEXT,
        ),
    ),
    help="Indikatorkatalogen. Nya indikatorer kan definieras här och användas på bladet Data.",
    unique=(
        UniqueKey(("id",), "Indikatorns id", folded=("id",)),
        UniqueKey(("name",), "Indikatorns namn", folded=("name",)),
    ),
)

AREA_SHEET = SheetSpec(
    table="areas",
    name="Områden",
    alternatives=("Omraden", "Areas"),
    columns=(
        Column("name", "Område", ("Namn", "Area", "Name"), True, "Områdets namn.", MAX_NAME_TEXT),
        Column("type", "Typ", ("Type",), True, "Fokusområde, Jämförelse, Kommun, Riket eller Övrigt."),
        Column("code", "Kod", ("Code",), False, "Regionkod, t.ex. 0580.", 50),
        Column("aliases", "Alias", ("Aliases",), False, "Andra stavningar, åtskilda med semikolon (;)."),
    ),
    help="Områden och deras typ. Fokusområden jämförs med området av typen Jämförelse.",
    unique=(UniqueKey(("name",), "Området", folded=("name",)),),
)

PLAN_SHEET = SheetSpec(
    table="plans",
    name="Planer",
    alternatives=("Plans", "Planversioner", "Åtgärdsplaner", "Plan versions"),
    columns=(
        Column(
            "name",
            "Plan",
            ("Namn", "Name", "Planversion", "Plan version"),
            True,
            "Planversionens namn, t.ex. Åtgärdsplan 2022 (utan semikolon). Samma namn används i kolumnen Plan på "
            "bladet Åtgärder.",
            MAX_NAME_TEXT,
        ),
        Column(
            "adopted",
            "Antagen",
            ("Antagen datum", "Fastställd", "Beslutsdatum", "Adopted"),
            True,
            "Datum då planen antogs (ÅÅÅÅ-MM-DD), t.ex. 2022-01-19.",
        ),
        Column(
            "decided_by",
            "Beslutad av",
            ("Beslutsfattare", "Beslutande", "Decided by"),
            False,
            "Vem som antog planen, t.ex. kommunstyrelsen.",
        ),
        Column(
            "first_year",
            "Gäller från",
            ("Från", "Första år", "Valid from", "First year"),
            True,
            "Första året planen gäller, t.ex. 2022.",
        ),
        Column(
            "last_year",
            "Gäller till",
            ("Till", "Sista år", "Valid to", "Last year"),
            False,
            "Sista året planen gäller (tomt = tills nästa plan börjar gälla). Två planer får inte gälla samma år.",
        ),
        Column("comment", "Kommentar", ("Comment",), False, "Fri kommentar om planversionen.", MAX_LONG_TEXT),
        Column("source", "Källa", ("Source",), False, "Var beslutet finns, t.ex. diarienummer eller webbadress."),
    ),
    help="Åtgärdsplanens versioner: när de antogs, av vem och vilka år de gäller. Frivilligt: utan bladet finns en "
    "enda plan.",
    unique=(UniqueKey(("name",), "Planen", folded=("name",)),),
)

ACTION_SHEET = SheetSpec(
    table="actions",
    name="Åtgärder",
    alternatives=("Atgarder", "Actions"),
    columns=(
        Column("id", "Id", ("Nr", "Code"), True, "Åtgärdens id, t.ex. A01."),
        Column(
            "plan",
            "Plan",
            ("Planer", "Planversion", "Planversioner", "Plan version", "Plans"),
            False,
            "Planversionerna (från bladet Planer) som åtgärden hör till, åtskilda med semikolon (;), t.ex. "
            "Åtgärdsplan 2020; Åtgärdsplan 2022. Tomt = de planer åtgärden redan finns i (en ny åtgärd: alla planer). Har åtgärden ändrats mellan två versioner: "
            "en rad per version.",
        ),
        Column("title", "Åtgärd", ("Titel", "Action", "Title"), True, "Vad som ska göras.", MAX_LONG_TEXT),
        Column("theme", "Tema", ("Theme",), False, "trygghet, gemenskap, arbete, utbildning eller fritid."),
        Column(
            "responsible",
            "Ansvarig",
            ("Ansvarig förvaltning", "Responsible"),
            False,
            "Ansvarig förvaltning eller enhet.",
        ),
        Column("areas", "Områden", ("Område", "Areas"), False, "Berörda områden, åtskilda med semikolon (;)."),
        Column("start", "Start", ("Startdatum", "Start date"), False, "Startdatum (ÅÅÅÅ-MM-DD)."),
        Column("end", "Slut", ("Slutdatum", "End", "End date"), False, "Slutdatum (ÅÅÅÅ-MM-DD)."),
        Column("status", "Status", ("Status",), False, f"{_STATUS_CHOICES}."),
        Column("comment", "Kommentar", ("Comment",), False, "Kommentar vid senaste uppföljning.", MAX_LONG_TEXT),
        Column(
            "indicators",
            "Indikatorer",
            ("Indicators",),
            False,
            "Id eller namn på indikatorer som åtgärden ska påverka, åtskilda med ;.",
        ),
        Column("source", "Källa", ("Source",), False, "Var uppgiften kommer ifrån."),
    ),
    help="Åtgärdsplanens åtgärder: en rad per åtgärd, eller en rad per åtgärd och planversion när åtgärden ändrats "
    "mellan versionerna.",
    # The same id may stand once per plan version; plan names are resolved (canonical), ids compared loosely.
    unique=(UniqueKey(("id", "plan"), "Åtgärdens id", folded=("id",)),),
)

FOLLOWUP_SHEET = SheetSpec(
    table="action_followups",
    name="Uppföljning",
    alternatives=("Uppfoljning", "Uppföljningar", "Follow-up", "Follow-ups", "Followup", "Followups"),
    columns=(
        Column(
            "action",
            "Åtgärd",
            ("Action", "Åtgärds-id", "Id"),
            True,
            "Åtgärdens id (som på bladet Åtgärder), t.ex. A01.",
        ),
        Column("year", "År", ("Year", "Ar", "Uppföljningsår"), True, "Året uppföljningen gäller, t.ex. 2023."),
        Column("status", "Status", ("Status",), True, f"Status vid uppföljningen: {_STATUS_CHOICES}."),
        Column(
            "progress",
            "Andel klar",
            ("Andel klar (%)", "Andel genomförd", "Framsteg", "Progress"),
            False,
            "Hur stor del av åtgärden som var genomförd vid uppföljningen, i procent 0–100 (t.ex. 45, 45 % eller "
            "45,5). Tomt = inte rapporterat. Används för att varna när en åtgärd riskerar att försenas.",
        ),
        Column("comment", "Kommentar", ("Comment",), False, "Kommentar vid uppföljningen.", MAX_LONG_TEXT),
        Column("source", "Källa", ("Source",), False, "Var uppgiften kommer ifrån, t.ex. uppföljningsrapporten."),
    ),
    help="Åtgärdernas status och kommentar vid varje årlig uppföljning (en rad per åtgärd och år).",
    unique=(UniqueKey(("action", "year"), "Samma åtgärd och år"),),
)

TARGET_SHEET = SheetSpec(
    table="targets",
    name="Mål",
    alternatives=("Mal", "Targets"),
    columns=(
        Column("area", "Område", ("Area",), True, "Området målet gäller."),
        Column("indicator", "Indikator", ("Indicator",), True, "Indikatorns id eller namn."),
        Column("base_year", "Basår", ("Basar", "Base year"), False, "Året målet utgår från."),
        Column("target_year", "Målår", ("Malar", "Target year"), True, "Året målet ska nås."),
        Column("target_value", "Målvärde", ("Malvarde", "Target value", "Target"), True, "Värdet som ska nås."),
        Column("source", "Källa", ("Source",), False, "Var målet är beslutat."),
    ),
    help="Mål för indikatorer per område.",
    unique=(UniqueKey(("area", "indicator", "target_year"), "Samma mål (område, indikator, målår)"),),
)

TEXT_SHEET = SheetSpec(
    table="area_texts",
    name="Områdestexter",
    alternatives=("Omradestexter", "Area texts", "Texter"),
    columns=(
        Column("area", "Område", ("Area",), True, "Området texten gäller."),
        Column(
            "heading",
            "Rubrik",
            ("Heading",),
            True,
            "Områdesbeskrivning, Aktörer, Utmaningar, Styrkor eller Skyddsfaktorer.",
            MAX_NAME_TEXT,
        ),
        Column("text", "Text", ("Text",), True, "Texten. Radbrytningar behålls.", MAX_LONG_TEXT),
        Column("source", "Källa", ("Source",), False, "Var texten kommer ifrån."),
    ),
    help="Texter till nulägesbilden.",
    unique=(UniqueKey(("area", "heading"), "Samma område och rubrik", folded=("heading",)),),
)

FETCH_SHEET = SheetSpec(
    table="fetches",
    name="Hämtningar",
    alternatives=("Hamtningar", "Fetches", "Källor för hämtning"),
    columns=(
        Column("indicator", "Indikator", ("Indicator",), True, "Indikatorns id eller namn."),
        Column("api", "API", (), True, "PxWeb v2, PxWeb v1 eller Kolada."),
        Column(
            "base_url",
            "Adress",
            ("URL", "Bas-URL"),
            True,
            "API:ts adress, t.ex. https://statistikdatabasen.scb.se/api/v2 (v1: med språk och databas, …/api/v1/sv/ssd).",
        ),
        Column(
            "table",
            "Tabell",
            ("Table", "Tabell-id", "KPI"),
            True,
            "Tabellens id, t.ex. TAB6471 (v1: sökvägen under databasen, t.ex. BE/BE0101/BE0101A/BefolkningNy; Kolada: nyckeltalets id).",
        ),
        Column(
            "selection", "Urval", ("Selection",), False, "Variabel=kod1,kod2 åtskilda med semikolon; * för alla koder."
        ),
        Column(
            "time_variable",
            "Tidsvariabel",
            (),
            False,
            "Tidsvariabelns namn i tabellen (standard Tid; för Kolada period).",
        ),
        Column("time", "Tid", ("Time",), False, "alla, från ÅÅÅÅ eller senaste N."),
        Column(
            "area_variable",
            "Områdesvariabel",
            (),
            True,
            "Variabeln med regionkoderna, t.ex. Region. Koderna kopplas till Kod på bladet Områden.",
        ),
        Column(
            "sex_variable", "Könsvariabel", (), False, "Variabeln med kön, t.ex. Kon (tom om tabellen inte har kön)."
        ),
        Column("sex_codes", "Könskoder", (), False, "Vad koderna betyder, t.ex. 1=Män; 2=Kvinnor; TotSa=Totalt."),
        Column("group_variable", "Gruppvariabel", (), False, "En variabel med grupper, t.ex. Födelseregion."),
        Column("group_codes", "Gruppkoder", (), False, "Vad koderna betyder, t.ex. 1=Inrikes födda; 2=Utrikes födda."),
        Column("factor", "Faktor", (), False, "Multiplicera värdena, t.ex. 100 för andelar 0–1 som procent."),
        Column("period_rule", "Period", (), False, "För månads- och kvartalsvärden: Sista perioden eller Medelvärde."),
        Column("verified", "Verifierad", (), False, "Ja när hämtningen har provats mot det riktiga API:t."),
        Column("comment", "Kommentar", ("Comment",), False, "Fri text."),
    ),
    help="Varifrån indikatorernas officiella siffror hämtas (python -m analysis fetch och Hämta senaste på sidan Data).",
    unique=(UniqueKey(("indicator", "table"), "Samma indikator och tabell"),),
)

SHEETS: tuple[SheetSpec, ...] = (
    DATA_SHEET,
    INDICATOR_SHEET,
    AREA_SHEET,
    PLAN_SHEET,
    ACTION_SHEET,
    FOLLOWUP_SHEET,
    TARGET_SHEET,
    TEXT_SHEET,
    FETCH_SHEET,
)

INSTRUCTIONS_SHEET = "Instruktioner"
LISTS_SHEET = "Listor"


def sheet_for_name(name: str) -> SheetSpec | None:
    """The sheet declaration a workbook sheet name refers to (ignoring case and diacritics)."""
    key = normalise(name)
    for spec in SHEETS:
        if key in {normalise(spec.name), *(normalise(a) for a in spec.alternatives)}:
            return spec
    return None


def field_for_header(spec: SheetSpec, header: object) -> str | None:
    """The model field a header cell names in a sheet, or None for an unknown header."""
    key = normalise(header)
    if not key:
        return None
    for col in spec.columns:
        if key in {normalise(col.header), normalise(col.field), *(normalise(a) for a in col.alternatives)}:
            return col.field
    return None
