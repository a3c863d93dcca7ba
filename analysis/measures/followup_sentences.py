"""The follow-up in sentences: how many actions have each status, what changed, how the targets stand.

Words for counts live here once ('1 försenad', '3 försenade'), so the deck, Bilaga 5 and the page say the same.
Every sentence is pinned by hand-worked cases in tests/test_followup_sentences.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from analysis.measures.action_status import AT_RISK, CANCELLED, DELAYED, DONE, NO_STATUS, NOT_STARTED, ONGOING, PAUSED
from analysis.measures.targets import CANNOT_ASSESS, NOT_ON_TRACK, NOT_REACHED, ON_TRACK, REACHED, WRONG_WAY

# The status words after a number: singular and plural ('1 försenad', '2 försenade').
STATUS_WORDS: dict[str, tuple[str, str]] = {
    NOT_STARTED: ("ej påbörjad", "ej påbörjade"),
    ONGOING: ("pågår", "pågår"),
    AT_RISK: ("riskerar att försenas", "riskerar att försenas"),
    DELAYED: ("försenad", "försenade"),
    DONE: ("genomförd", "genomförda"),
    CANCELLED: ("avbruten", "avbrutna"),
    PAUSED: ("vilande", "vilande"),
    NO_STATUS: ("utan status", "utan status"),
}
# Statuses said with a verb ('19 pågår'); the others take 'är' ('7 är försenade').
VERB_STATUSES = frozenset({ONGOING, AT_RISK, NO_STATUS})
VERBS = {ONGOING: "pågår", AT_RISK: "riskerar att försenas", NO_STATUS: "saknar status"}
# The same verbs first in the sentence, the number inside: 'Av planens 4 åtgärder riskerar 1 att försenas …'.
VERBS_FIRST = {ONGOING: "pågår {n}", AT_RISK: "riskerar {n} att försenas", NO_STATUS: "saknar {n} status"}
# The order a follow-up reports statuses in: done first, then what is running, then what is not.
SENTENCE_ORDER: tuple[str, ...] = (DONE, ONGOING, AT_RISK, DELAYED, NOT_STARTED, PAUSED, CANCELLED, NO_STATUS)
# What happened since the previous follow-up, after 'har' ('3 har tillkommit').
CHANGE_PARTICIPLES: dict[str, tuple[str, str]] = {
    "Ny": ("tillkommit", "tillkommit"),
    DONE: ("genomförts", "genomförts"),
    DELAYED: ("blivit försenad", "blivit försenade"),
    AT_RISK: ("börjat riskera att försenas", "börjat riskera att försenas"),
    CANCELLED: ("avbrutits", "avbrutits"),
    PAUSED: ("blivit vilande", "blivit vilande"),
    "Annan statusändring": ("fått en annan status", "fått en annan status"),
}
# A target (mål, neuter) per attainment word, after the number.
ATTAINMENT_WORDS: dict[str, tuple[str, str]] = {
    REACHED: ("är uppnått", "är uppnådda"),
    ON_TRACK: ("är i fas", "är i fas"),
    NOT_ON_TRACK: ("är inte i fas", "är inte i fas"),
    NOT_REACHED: ("är inte uppnått", "är inte uppnådda"),
    WRONG_WAY: ("pekar åt fel håll", "pekar åt fel håll"),
    CANNOT_ASSESS: ("kan inte bedömas", "kan inte bedömas"),
}


def swedish_list(items: Sequence[str]) -> str:
    """'Berga, Ryd och Skäggetorp'."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} och {items[-1]}"


def counted(n: int, one: str, many: str) -> str:
    """'1 åtgärd', '3 åtgärder'."""
    return f"{n} {one if n == 1 else many}"


def status_phrase(status: str, n: int) -> str:
    """'1 försenad', '3 genomförda' (unknown statuses in lower case)."""
    one, many = STATUS_WORDS.get(status, (status.lower(), status.lower()))
    return counted(n, one, many)


def _status_order(counts: Mapping[str, int]) -> list[str]:
    """The statuses with a count, in SENTENCE_ORDER (unknown ones last)."""
    known = [s for s in SENTENCE_ORDER if counts.get(s, 0)]
    return known + [s for s in counts if s not in SENTENCE_ORDER and counts[s]]


def _predicate(status: str, n: int) -> str:
    """'är försenade' or 'pågår' for n actions."""
    if status in VERB_STATUSES:
        return VERBS[status]
    one, many = STATUS_WORDS.get(status, (status.lower(), status.lower()))
    return f"är {one if n == 1 else many}"


def status_sentence(counts: Mapping[str, int], *, selection: bool = False) -> str:
    """'Av planens 41 åtgärder är 14 genomförda, 13 pågår och 7 är försenade.' (or 'Av de 12 åtgärderna i urvalet …')."""
    total = sum(int(v) for v in counts.values())
    whole = "urvalets" if selection else "planens"
    if total == 0:
        return "Urvalet har inga åtgärder." if selection else "Planen har inga åtgärder."
    statuses = _status_order(counts)
    if len(statuses) == 1:
        only = statuses[0]
        if total == 1:
            return f"{whole.capitalize()} enda åtgärd {_predicate(only, 1)}."
        return f"{whole.capitalize()} alla {total} åtgärder {_predicate(only, total)}."
    parts = []
    for i, status in enumerate(statuses):
        n = int(counts[status])
        if i == 0:
            # After 'Av planens N åtgärder' the verb comes first: 'är 14 genomförda', 'pågår 13'.
            if status in VERB_STATUSES:
                parts.append(VERBS_FIRST[status].format(n=n))
            else:
                parts.append(f"är {status_phrase(status, n)}")
        else:
            parts.append(f"{n} {_predicate(status, n)}")
    return f"Av {whole} {counted(total, 'åtgärd', 'åtgärder')} {swedish_list(parts)}."


def change_sentence(counts: Mapping[str, int], previous_label: str) -> str:
    """'Sedan uppföljningen 2024 har status ändrats för 4 åtgärder: 3 har tillkommit och 1 har genomförts.'"""
    total = sum(int(v) for v in counts.values())
    since = previous_label[0].lower() + previous_label[1:]
    since = since.replace("uppföljning ", "uppföljningen ", 1)
    if total == 0:
        return f"Ingen åtgärd har ändrat status sedan {since}."
    parts = []
    for kind, n in counts.items():
        if n:
            one, many = CHANGE_PARTICIPLES.get(kind, (f"blivit {kind.lower()}", f"blivit {kind.lower()}"))
            parts.append(f"{n} har {one if n == 1 else many}")
    return f"Sedan {since} har status ändrats för {counted(total, 'åtgärd', 'åtgärder')}: {swedish_list(parts)}."


def plan_change_sentence(previous: str, current: str, new: int, changed: int, dropped: int, carried: int) -> str:
    """'Jämfört med Åtgärdsplan 2020 har Åtgärdsplan 2022 20 nya åtgärder, 4 ändrade och 2 som utgått; 16 …'"""
    parts = [
        counted(new, "ny åtgärd", "nya åtgärder"),
        counted(changed, "ändrad", "ändrade"),
        f"{dropped} som utgått",
    ]
    tail = f"{carried} fortsätter oförändrad" if carried == 1 else f"{carried} fortsätter oförändrade"
    return f"Jämfört med {previous} har {current} {swedish_list(parts)}; {tail}."


def attainment_sentence(counts: Mapping[str, int]) -> str:
    """'12 mål följs upp: 3 är uppnådda, 4 är i fas och 5 kan inte bedömas.' ('' without targets)."""
    total = sum(int(v) for v in counts.values())
    if total == 0:
        return ""
    parts = []
    for word, (one, many) in ATTAINMENT_WORDS.items():
        n = int(counts.get(word, 0))
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    return f"{total} mål följs upp: {swedish_list(parts)}."
