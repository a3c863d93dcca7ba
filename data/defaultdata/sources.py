"""Step 7b: ``KALLOR.md``, the Swedish account of how the default data was made and which published figures are
used (with their source) and which are not, and why."""

from __future__ import annotations

from analysis.core.model import EXAMPLE_SOURCE, Dataset
from analysis.measures.summary import example_mask

from .actions import FOLLOWUP_YEARS
from .catalogue import INDICATOR_BY_ID
from .common import DERIVED_NOTE, FIRST_YEAR, LAST_YEAR, SEED, fmt
from .kpi import kpi_years


def _md(text: object) -> str:
    """Text for one cell of a Markdown table."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _value_text(rec: dict) -> str:
    """A value as written in the reference list, with a decimal comma."""
    return rec["value"].replace(".", ",")


def sources_markdown(dataset: Dataset, records: list[dict]) -> str:
    """KALLOR.md: how the default data was made, in Swedish."""
    obs = dataset.observations
    n_real = int((~example_mask(obs)).sum())
    n_derived = int((example_mask(obs) & (obs["note"] == DERIVED_NOTE)).sum())
    n_example = int(len(obs)) - n_real
    names = dict(zip(dataset.indicators["id"], dataset.indicators["name"]))
    used = sorted((r for r in records if r["used"]), key=lambda r: (r["indicator_id"], r["area"], r["year"], r["sex"]))
    unused = [r for r in records if not r["used"]]
    lines = [
        "# Källor till standarddatan",
        "",
        "Den här filen skapas av `data/make_default_data.py` tillsammans med `data/standarddata.xlsx`. "
        "Ändra inte filen för hand – kör skriptet igen (`python data/make_default_data.py`).",
        "",
        "## Så togs standarddatan fram",
        "",
        f"Standarddatan innehåller {len(dataset.indicators)} indikatorer för sex områden (Berga, Ryd, Skäggetorp, "
        f"Övriga Linköping, Linköping och Riket) och åren {FIRST_YEAR}–{LAST_YEAR}. Valdeltagandet finns bara för "
        "valåren 2018 och 2022. Bladet Data har "
        f"{fmt(len(obs), 0)} värden: {n_real} är publicerade uppgifter och {fmt(n_example, 0)} är påhittade "
        f"exempelvärden (varav {n_derived} härledda).",
        "",
        f"**Konsumentprisindex.** Indikatorn kpi har SCB:s fastställda årsmedeltal av KPI (1980 = 100) för riket "
        f"{kpi_years()}, oförändrade från `data/kpi_arsmedel.csv` (en kopia av projektets referensfil, med SCB:s "
        "webbadress som källa på varje rad). Med dem jämförs inkomster i fasta priser. Årsmedeltalet för 2024 var "
        "inte publicerat i den kopia som lästes, så det finns inte med: jämförelser som når 2024 görs i löpande priser.",
        "",
        "**Publicerade uppgifter.** Listan `data/real_figures.csv` (en kopia av projektets referenslista) tar upp "
        "siffror som Linköpings kommun och andra har publicerat. En uppgift används när den gäller något av de sex "
        "områdena med samma avgränsning, mäter samma sak som en indikator i katalogen (samma nämnare och "
        "åldersgrupp), avser ett år mellan "
        f"{FIRST_YEAR} och {LAST_YEAR} och inte är ungefärligt formulerad. Den får då webbadressen som källa och "
        "en kort kommentar om var den kommer ifrån. Finns två uppgifter för samma område, indikator, år och kön "
        "används i första hand kommunens statistiksidor (Linköping i siffror), sedan kommunens övriga sidor "
        "(linkoping.se), sedan andra källor, och därefter värdet med flest decimaler. Värden "
        "med fler decimaler än indikatorn visar avrundas, och kommentaren anger det publicerade värdet. Några "
        "uppgifter kommer från andra källor än kommunen (Valmyndigheten, Newsworthy, Wikipedia, lokaltidning, "
        "kopior av kommunens sidor); det framgår av kommentaren.",
        "",
        f"**Exempelvärden.** Alla andra värden är påhittade och har källan *{EXAMPLE_SOURCE}*. De är framtagna "
        f"med en slumpgenerator med fast frö ({SEED}), så att samma fil skapas varje gång. För varje indikator "
        "och område finns en nivå för 2015, en årlig trend och ett litet slumpbrus, och för vissa indikatorer en "
        "gemensam förändring under pandemiåren. Nivåerna är valda så att de liknar Linköping: fokusområdena har "
        "tydligt sämre värden än övriga Linköping, vissa skillnader minskar långsamt och några ökar. Värden för "
        "kvinnor och män ligger kring totalen med realistiska skillnader (till exempel högre ohälsotal och lägre "
        "förvärvsfrekvens för kvinnor och högre meritvärde för flickor). För antal gäller kvinnor + män = totalt.",
        "",
        "**Anpassning till publicerade uppgifter.** Där en serie har publicerade värden flyttas de påhittade "
        "värdena med skillnaden mot det publicerade värdet, linjärt utjämnad mellan de publicerade åren, så att "
        "serien går genom de publicerade värdena utan hopp.",
        "",
        f"**Härledda värden** (kommentar *{DERIVED_NOTE}*). Linköping består av de tre fokusområdena och "
        "övriga Linköping. Folkmängden i Linköping är summan av delarna; för andelar och tal är Linköping ett "
        "befolkningsvägt medelvärde av delarna (en förenkling när nämnaren är hushåll eller vuxna). Där Linköping "
        "har publicerade värden räknas i stället Övriga Linköping fram ur Linköping och fokusområdena. Andelen "
        "20–64 år är 100 minus andelarna 0–19 år och 65 år och äldre.",
        "",
        f"**Åtgärder, uppföljningar, mål och områdestexter** är påhittade exempel (källa *{EXAMPLE_SOURCE}*). "
        f"Uppföljningarna {FOLLOWUP_YEARS[0]}–{FOLLOWUP_YEARS[-1]} (bladet Uppföljning) följer av åtgärdernas datum "
        "och nuvarande status, så att den senaste uppföljningen stämmer med bladet Åtgärder. Områdestexterna "
        "börjar med ”Exempeltext:” och ska ersättas med nulägesbildernas texter.",
        "",
        f"## Publicerade uppgifter som används ({len(used)})",
        "",
        "| Område | Indikator | År | Kön | Värde | Kommentar | Källa |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in used:
        decimals = INDICATOR_BY_ID[r["indicator_id"]].decimals
        lines.append(
            f"| {_md(r['area'])} | {_md(names[r['indicator_id']])} | {r['year']} | {r['sex']} | "
            f"{fmt(r['used_value'], decimals)} | {_md(r['note'])} | {_md(r['source_url'])} |"
        )
    lines += [
        "",
        f"## Publicerade uppgifter som inte används ({len(unused)})",
        "",
        "Uppgifter i referenslistan som gäller de sex områdena (eller som namnger dem men avser en annan "
        "avgränsning) men som inte används, med skälet. Rad = radnummer i `data/real_figures.csv`.",
        "",
        "| Rad | Område | Uppgift i källan | År | Värde | Enhet | Kön | Skäl | Källa |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in unused:
        lines.append(
            f"| {r['line']} | {_md(r['area'])} | {_md(r['indicator'])} | {_md(r['year']) or '–'} | "
            f"{_value_text(r)} | {_md(r['unit'])} | {r['sex']} | {_md(r['reason'])} | "
            f"{_md(r['source_url'])} |"
        )
    lines.append("")
    return "\n".join(lines)
