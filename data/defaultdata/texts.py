"""Step 6c: the example area texts of the focus areas, one per heading (to be replaced by the real texts)."""

from __future__ import annotations

import pandas as pd

from analysis.core.model import EXAMPLE_SOURCE, TEXT_HEADINGS

from .common import BERGA, FOCUS_AREAS, RYD, SKAGGETORP

_EX = "Exempeltext: "
AREA_TEXTS: dict[str, dict[str, str]] = {
    BERGA: {
        "Områdesbeskrivning": "Berga ligger i södra Linköping och byggdes till största delen under 1960-talet. "
        "Bebyggelsen består främst av flerbostadshus med hyresrätter, där det kommunala bostadsbolaget är en stor "
        "fastighetsägare, och av några kvarter med radhus. Ett mindre centrum med butiker och service finns mitt i "
        "området, och bussarna har täta turer till innerstaden.",
        "Aktörer": "I Berga finns förskolor, en grundskola, en fritidsgård och ett bibliotek. Bostadsbolaget har ett "
        "lokalt kontor och samverkar med kommunen om trygghet och boinflytande. Idrottsföreningar, kulturföreningar "
        "och trossamfund driver verksamhet för barn, unga och vuxna.",
        "Utmaningar": "Andelen förvärvsarbetande är lägre och andelen med ekonomiskt bistånd högre än i övriga "
        "Linköping. Arbetslösheten har ökat under senare år. Många barnfamiljer bor trångt, och en del elever "
        "lämnar grundskolan utan behörighet till gymnasiet.",
        "Styrkor": "Berga har ett engagerat föreningsliv och en stark lokal identitet. Närheten till natur och "
        "grönområden uppskattas av de boende. Många invånare har bott länge i området och har ett brett kontaktnät.",
        "Skyddsfaktorer": "En förskola och skola med goda resultat, en meningsfull fritid och vuxna som finns "
        "närvarande i området är viktiga skyddsfaktorer. Föräldrars anknytning till arbetsmarknaden och stabila "
        "boendeförhållanden minskar risken för att barn växer upp i ekonomisk utsatthet.",
    },
    RYD: {
        "Områdesbeskrivning": "Ryd ligger i västra Linköping nära universitetets campus och byggdes främst under "
        "1970-talet. Nästan alla bostäder är hyreslägenheter i flerbostadshus, och en stor del av dem hyrs ut till "
        "studenter. Ryds centrum har butiker, vårdcentral och bibliotek, och området har goda förbindelser till "
        "campus och innerstaden.",
        "Aktörer": "I Ryd finns förskolor, grundskolor, en fritidsgård och ett bibliotek. Kommunens bostadsbolag och "
        "studentbostadsföretag äger de flesta bostäderna. Universitetet, studentföreningar och idrottsföreningar är "
        "viktiga aktörer i stadsdelen.",
        "Utmaningar": "Många invånare bor i området en kort tid, vilket gör det svårare att bygga långsiktiga "
        "relationer. Otryggheten på kvällstid och antalet anmälda brott har ökat. Andelen barn i hushåll med låg "
        "ekonomisk standard är hög, och många barnfamiljer bor trångt.",
        "Styrkor": "Närheten till universitetet ger tillgång till utbildning, volontärer och en ung befolkning. "
        "Centrum och kollektivtrafiken är lättillgängliga. Området har gott om grönytor och platser för idrott och "
        "lek.",
        "Skyddsfaktorer": "Läxhjälp, fritidsaktiviteter och goda förebilder bland unga vuxna stärker barns och "
        "ungas skolgång. Samverkan mellan fastighetsägare, skola, socialtjänst och polis gör att problem upptäcks "
        "tidigt. Ett levande centrum med många människor i rörelse ökar tryggheten.",
    },
    SKAGGETORP: {
        "Områdesbeskrivning": "Skäggetorp ligger i norra Linköping och byggdes till största delen under "
        "miljonprogrammets år kring 1970. Bebyggelsen består främst av flerbostadshus med hyresrätter, och det "
        "kommunala bostadsbolaget är en stor fastighetsägare. I Skäggetorps centrum finns handel, bibliotek och "
        "service, och området har täta bussförbindelser till innerstaden.",
        "Aktörer": "I Skäggetorp finns förskolor, grundskolor, bibliotek, fritidsgård och en öppen förskola. "
        "Bostadsbolaget, polisen och kommunens förvaltningar samverkar i ett lokalt trygghetsarbete. Många "
        "föreningar och trossamfund driver verksamhet som läxhjälp, idrott och mötesplatser för vuxna.",
        "Utmaningar": "Andelen förvärvsarbetande är betydligt lägre och andelen med ekonomiskt bistånd betydligt "
        "högre än i övriga Linköping. Trångboddheten är hög, särskilt bland barnfamiljer. Många elever lämnar "
        "grundskolan utan behörighet till gymnasiet, och otryggheten på kvällstid är högre än i staden som helhet.",
        "Styrkor": "Befolkningen är ung och många invånare talar flera språk. Föreningslivet är aktivt och centrum "
        "fungerar som en naturlig mötesplats. Närheten till arbetsplatser i norra Linköping och goda kommunikationer "
        "är en tillgång.",
        "Skyddsfaktorer": "Förskola för alla barn, en fungerande skola och en meningsfull fritid är viktiga "
        "skyddsfaktorer för barn och unga. Vuxna som rör sig i området på kvällarna och föräldrar med arbete stärker "
        "tryggheten. Samverkan mellan skola, socialtjänst, polis och fritid fångar upp unga i riskzonen tidigt.",
    },
}


def texts_frame() -> pd.DataFrame:
    """The Områdestexter table: every heading for every focus area, marked as example text."""
    rows = []
    for area in FOCUS_AREAS:
        for heading in TEXT_HEADINGS:
            rows.append(
                {"area": area, "heading": heading, "text": _EX + AREA_TEXTS[area][heading], "source": EXAMPLE_SOURCE}
            )
    return pd.DataFrame(rows)
