"""The municipality next to its comparison municipalities: values of the latest shared year and its place."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.core.model import HIGHER, LOWER, NEUTRAL, make_dataset
from analysis.viewmodels.peers import peer_comparison, place_among
from tests.test_compare import obs

NB = "\u00a0"


@pytest.mark.parametrize(
    "value, others, direction, place",
    [
        (80.0, [78.0, 82.0, 75.0], HIGHER, 2),
        (80.0, [78.0, 82.0, 75.0], LOWER, 3),
        (80.0, [80.0, 82.0], HIGHER, 2),  # a tie shares the place
        (80.0, [], HIGHER, 1),
        (80.0, [78.0, 82.0], NEUTRAL, None),
    ],
)
def test_place_among(value, others, direction, place):
    assert place_among(value, others, direction) == place


def peers_dataset(observations: list[tuple]) -> object:
    """Linköping and two peers (Kommun in that order), a district, and three indicators."""
    return make_dataset(
        areas=pd.DataFrame(
            [
                {"name": "Berga", "type": "Fokusområde"},
                {"name": "Linköping", "type": "Kommun"},
                {"name": "Norrköping", "type": "Kommun"},
                {"name": "Örebro", "type": "Kommun"},
            ]
        ),
        indicators=pd.DataFrame(
            [
                {"id": "fv", "name": "Förvärvsfrekvens", "unit": "procent", "direction": HIGHER, "decimals": 1},
                {"id": "al", "name": "Arbetslöshet", "unit": "procent", "direction": LOWER, "decimals": 1},
                {"id": "uf", "name": "Utrikes födda", "unit": "procent", "direction": NEUTRAL, "decimals": 1},
                {"id": "ej", "name": "Bara Linköping", "unit": "procent", "direction": HIGHER, "decimals": 1},
            ]
        ),
        observations=obs(observations),
    )


def test_linkoping_against_its_peers_in_the_latest_shared_year():
    data = peers_dataset(
        [
            ("Linköping", "fv", 2023, 78.5),
            ("Linköping", "fv", 2024, 79.0),
            ("Norrköping", "fv", 2023, 75.0),
            ("Norrköping", "fv", 2024, 80.2),
            ("Örebro", "fv", 2023, 77.0),  # Örebro has no 2024 value: '–' in 2024
            ("Linköping", "al", 2024, 5.0),
            ("Norrköping", "al", 2024, 6.5, "Totalt", "Exempelvärde (fiktivt)"),
            ("Örebro", "al", 2024, 4.5),
            ("Linköping", "uf", 2023, 18.8),
            ("Örebro", "uf", 2023, 20.1),
            ("Linköping", "ej", 2024, 50.0),
            ("Berga", "fv", 2024, 60.0),  # a district is no peer
        ]
    )
    peers = peer_comparison(data)
    assert (peers.municipality, peers.peers, peers.indicators) == (
        "Linköping",
        ("Norrköping", "Örebro"),
        ("fv", "al", "uf"),
    )
    assert peers.table.to_dict("records") == [
        {
            "Indikator": "Förvärvsfrekvens",
            "År": "2024",
            "Linköping": f"79,0{NB}%",
            "Norrköping": f"80,2{NB}%",
            "Örebro": "–",
            "Placering": "2 av 2",
            "Exempel": "",
        },
        {
            "Indikator": "Arbetslöshet",
            "År": "2024",
            "Linköping": f"5,0{NB}%",
            "Norrköping": f"6,5{NB}% *",
            "Örebro": f"4,5{NB}%",
            "Placering": "2 av 3",  # lower is better: only Örebro is better
            "Exempel": "Ja",
        },
        {
            "Indikator": "Utrikes födda",
            "År": "2023",
            "Linköping": f"18,8{NB}%",
            "Norrköping": "–",
            "Örebro": f"20,1{NB}%",
            "Placering": "–",  # descriptive: no place
            "Exempel": "",
        },
    ]
    assert peers.any_example


def test_no_peers_no_comparison():
    assert peer_comparison(peers_dataset([("Linköping", "fv", 2024, 79.0), ("Berga", "fv", 2024, 60.0)])) is None
    one = make_dataset(areas=pd.DataFrame([{"name": "Linköping", "type": "Kommun"}]))
    assert peer_comparison(one) is None
