"""Demo commitments for Los Angeles: the Green New Deal's "Five Zeroes" and the 2017 Paris pledge.

Targets follow L.A.'s Green New Deal (Sustainable City pLAn, April 2019) as publicly
reported; baselines are approximate and every measurement is **illustrative** - made
up for the demonstration, labelled as such everywhere it is shown. Refs match the demo
workspace (``demo/data/los_angeles.yaml``); links to records the workspace lacks are
dropped by :func:`commitments`.
"""

from __future__ import annotations

__all__ = ["MEMBERSHIPS", "MEMBERSHIP_SOURCE", "NETWORKS", "OBLIGATIONS_MET", "commitments"]

#: Networks the demo needs; missing ones are created from the reference list.
NETWORKS = ("c40", "u20", "climate-mayors")

#: Our memberships the demo needs, with a start date used only when the workspace has none.
MEMBERSHIPS = {"c40": None, "u20": "2017-12-01"}
MEMBERSHIP_SOURCE = {
    "c40": "Public reporting on C40 Cities (demo record; joining date not recorded)",
    "u20": "Public reporting on the Urban 20 initiative (demo record; start date approximate)",
}

#: C40 obligations the city has already met: its Paris-compatible plan is the 2019 Green New Deal.
OBLIGATIONS_MET = {"climate_action_plan": "2019-04-29"}

ILLUSTRATIVE = "Illustrative value for the citydiplomacy demo - not a real measurement"
BASELINE_NOTE = "Baseline value approximate, for demonstration; check the city's own reporting."


def _series(values: dict[int, float]) -> list[dict]:
    return [
        {"year": year, "value": value, "source": ILLUSTRATIVE, "illustrative": True} for year, value in values.items()
    ]


def commitments(available: dict[str, set[str]] | None = None) -> list[tuple[dict, dict[str, list[dict]]]]:
    """(commitment data, {target key: measurement rows}) pairs.

    ``available`` maps a record type plural to the refs present in the workspace; links
    to other refs are left out so the demo works on a bare workspace too."""

    def present(plural: str, refs: list[str]) -> list[str]:
        if available is None:
            return refs
        return [r for r in refs if r in available.get(plural, set())]

    engagement = present("engagements", ["2019-04-launch-of-la-green-new-deal"])
    green_new_deal = {
        "ref": "2019-la-green-new-deal-five-zeroes",
        "title": "L.A.'s Green New Deal: the Five Zeroes by 2050",
        "kind": "plan",
        "made_on": "2019-04-29",
        "made_by": "Mayor Eric Garcetti",
        "description": (
            "L.A.'s Green New Deal (the 2019 Sustainable City pLAn) commits the city to five zeroes: a zero-carbon "
            "grid, zero-carbon transportation, zero-carbon buildings, zero waste to landfill and zero wasted water, "
            "on the way to carbon neutrality by 2050."
        ),
        "frameworks": [
            "L.A.'s Green New Deal (Sustainable City pLAn 2019)",
            "C40 Deadline 2020 (Paris-compatible plan)",
        ],
        "networks": present("networks", ["c40"]),
        "agreements": present("agreements", ["2019-la-green-new-deal"]),
        "engagement": engagement[0] if engagement else None,
        "practices": ["la-green-new-deal"],
        "sdgs": ["11.6", "13.2"],
        "confidentiality": "public",
        "source": "City of Los Angeles, L.A.'s Green New Deal (April 2019), as publicly reported; measurements illustrative",
        "targets": [
            {
                "key": "zero-carbon-grid",
                "indicator": "Share of electricity from renewable sources (LADWP)",
                "unit": "%",
                "baseline_year": 2017,
                "baseline_value": 29,
                "target_year": 2045,
                "target_value": 100,
                "milestones": [{"year": 2025, "value": 55}, {"year": 2036, "value": 80}],
                "indicator_code": "7.2.1",
                "sdgs": ["7.2", "13.2"],
                "notes": BASELINE_NOTE,
            },
            {
                "key": "zero-carbon-transportation",
                "indicator": "Share of vehicles in the city that are zero-emission",
                "unit": "%",
                "baseline_year": 2017,
                "baseline_value": 1.5,
                "target_year": 2050,
                "target_value": 100,
                "milestones": [{"year": 2025, "value": 25}, {"year": 2035, "value": 80}],
                "sdgs": ["11.2", "3.9", "13.2"],
                "notes": BASELINE_NOTE,
            },
            {
                "key": "zero-carbon-buildings",
                "indicator": "Greenhouse gas emissions from buildings",
                "unit": "MtCO2e",
                "baseline_year": 2017,
                "baseline_value": 12.0,
                "target_year": 2050,
                "target_value": 0,
                "milestones": [{"year": 2030, "value": 8.0, "note": "All new buildings net zero carbon by 2030"}],
                "indicator_code": "13.2.2",
                "sdgs": ["7.3", "11.6"],
                "notes": BASELINE_NOTE,
            },
            {
                "key": "zero-waste",
                "indicator": "Share of waste diverted from landfill",
                "unit": "%",
                "baseline_year": 2017,
                "baseline_value": 76,
                "target_year": 2050,
                "target_value": 100,
                "milestones": [{"year": 2025, "value": 90}, {"year": 2035, "value": 95}],
                "indicator_code": "11.6.1",
                "sdgs": ["12.5"],
                "notes": BASELINE_NOTE,
            },
            {
                "key": "zero-wasted-water",
                "indicator": "Share of wastewater recycled for beneficial reuse",
                "unit": "%",
                "baseline_year": 2017,
                "baseline_value": 27,
                "target_year": 2035,
                "target_value": 100,
                "indicator_code": "6.3.1",
                "sdgs": ["6.4"],
                "notes": BASELINE_NOTE,
            },
        ],
    }
    green_new_deal_series = {
        "zero-carbon-grid": _series({2018: 32, 2019: 34, 2020: 37, 2021: 40, 2022: 43, 2023: 47, 2024: 51, 2025: 55}),
        "zero-carbon-transportation": _series(
            {2018: 2.0, 2019: 2.6, 2020: 3.1, 2021: 4.2, 2022: 5.6, 2023: 7.4, 2024: 9.0, 2025: 10.5}
        ),
        "zero-carbon-buildings": _series(
            {2018: 11.8, 2019: 11.5, 2020: 10.6, 2021: 10.9, 2022: 10.4, 2023: 10.0, 2024: 9.6}
        ),
        "zero-waste": _series({2018: 76.5, 2019: 77.0, 2020: 77.2, 2021: 77.8, 2022: 78.1, 2023: 78.6, 2024: 79.0}),
        # Missing years (2019, 2022) on purpose: the status method copes with gaps.
        "zero-wasted-water": _series({2018: 28, 2020: 31, 2021: 33, 2023: 37, 2024: 40}),
    }
    paris_pledge = {
        "ref": "2017-paris-pledge-climate-mayors",
        "title": "Climate Mayors: adopt, honor and uphold the Paris Agreement goals",
        "kind": "pledge",
        "made_on": "2017-06-01",
        "made_by": "Mayor Eric Garcetti, with more than 300 Climate Mayors",
        "description": (
            "After the US federal government announced its withdrawal from the Paris Agreement on 1 June 2017, the "
            "Climate Mayors pledged to adopt, honor and uphold its goals. The target below follows the US nationally "
            "determined contribution (26-28% below 2005 by 2025) that the pledge upholds."
        ),
        "frameworks": ["Paris Agreement"],
        "networks": present("networks", ["climate-mayors"]),
        "agreements": present("agreements", ["2017-climate-mayors-paris-agreement-pledge"]),
        "sdgs": ["13.2"],
        "confidentiality": "public",
        "source": "Climate Mayors statement of June 2017, as publicly reported; measurements illustrative",
        "targets": [
            {
                "key": "citywide-ghg",
                "indicator": "Citywide greenhouse gas emissions",
                "unit": "MtCO2e",
                "baseline_year": 2005,
                "baseline_value": 33.0,
                "target_year": 2025,
                "target_value": 24.4,
                "indicator_code": "13.2.2",
                "notes": BASELINE_NOTE + " Target: 26% below the 2005 baseline.",
            },
        ],
    }
    paris_series = {
        "citywide-ghg": _series({2010: 30.5, 2015: 28.0, 2018: 26.3, 2020: 23.1, 2021: 24.6, 2022: 24.5, 2023: 24.0}),
    }
    return [(green_new_deal, green_new_deal_series), (paris_pledge, paris_series)]
