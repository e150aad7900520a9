"""Memory of the import worker on an XLSX decompression bomb (issue 12, item 5). Not a test.

    python bench/xlsx_bomb_memory.py [--mib 1024] [--where shared|inline] [--lie]
        [--importing FILE] [--admin [FILE]]

Builds a small .xlsx file whose one string unpacks to MIB mebibytes (tests/members/xlsx_bombs.py),
and runs the portal's background check on it the way the Celery worker does
(`members.tasks.validate_member_import`), in this fresh process. Prints the process's memory
before, its peak (VmHWM) and after, and the import's status and message. `--importing DIR`
runs another version of the members/importing package (e.g. unpacked with
`git archive <commit> members/importing | tar -x -C /tmp/old`, then `/tmp/old/members/importing`)
to measure the code before a change (a version from before the package, the single file
members/importing.py of commit 7cd0908 or earlier, runs with that commit's whole tree only); `--admin` reads the file as the admin's import does (the
web worker's path). Uses the database of DATABASE_URL.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fnvregio.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")


def memory() -> dict[str, float]:
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, default=1024)
    parser.add_argument(
        "--where",
        choices=["shared", "inline", "many"],
        default="shared",
        help="one long shared string, one long inline string, or many short shared strings",
    )
    parser.add_argument("--importing", help="another members/importing package (a folder) to run")
    parser.add_argument(
        "--admin",
        nargs="?",
        const="members/admin_import.py",
        help="read the file the way the admin does (MemberFileFormat.create_dataset), "
        "optionally with another members/admin_import.py",
    )
    parser.add_argument(
        "--lie", action="store_true", help="the central directory claims the part is 1 KB"
    )
    args = parser.parse_args()

    import django

    django.setup()
    for name, file in (("importing", args.importing), ("admin_import", args.admin)):
        if file:
            if os.path.isdir(file):  # a package: its modules come from the same folder
                spec = importlib.util.spec_from_file_location(
                    f"members.{name}",
                    os.path.join(file, "__init__.py"),
                    submodule_search_locations=[file],
                )
            else:
                spec = importlib.util.spec_from_file_location(f"members.{name}", file)
            module = importlib.util.module_from_spec(spec)
            sys.modules[f"members.{name}"] = module
            spec.loader.exec_module(module)

    from members.models import MemberImport
    from members.tasks import validate_member_import
    from tests.members.xlsx_bombs import (
        inline_string_bomb,
        lie_about_size,
        many_shared_strings,
        shared_string_bomb,
    )

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bom.xlsx"
        build = {
            "shared": shared_string_bomb,
            "inline": inline_string_bomb,
            "many": many_shared_strings,
        }[args.where]
        build(path, args.mib * 1024 * 1024)
        if args.lie:
            part = "xl/worksheets/sheet1.xml" if args.where == "inline" else "xl/sharedStrings.xml"
            lie_about_size(path, part, 1024)
        size = path.stat().st_size
        import gc

        gc.collect()
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak (building the file)
        before = memory()
        member_import = MemberImport.objects.create(
            file_name="bom.xlsx", file_path=str(path), source="command"
        )
        started = time.monotonic()
        try:
            if args.admin:
                from members.admin_import import MemberFileFormat

                dataset = MemberFileFormat().create_dataset(path.read_bytes())
                status = f"admin preview of {len(dataset)} rows"
            else:
                status = validate_member_import(member_import.pk)
        except Exception as error:  # noqa: BLE001 (a measurement: report whatever happens)
            status = f"exception {type(error).__name__}: {str(error)[:200]}"
        seconds = time.monotonic() - started
        after = memory()
        member_import.refresh_from_db()
        print(
            f"file: {size / 1024:.0f} KB holding {args.where} string(s) of {args.mib} MiB"
            + (" (the central directory says 1 KB)" if args.lie else "")
        )
        print(f"status: {status}; message: {member_import.message}")
        print(
            f"RESULT rss_before_mb={before['VmRSS']:.0f} peak_mb={after['VmHWM']:.0f} "
            f"rss_after_mb={after['VmRSS']:.0f} seconds={seconds:.1f}"
        )
        MemberImport.objects.filter(pk=member_import.pk).delete()


if __name__ == "__main__":
    main()
