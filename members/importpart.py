"""The second process of a large import's check: `python -m members.importpart ID START END LINE ENC PARENT`.

Started by members/importing/parallel.py for the second half of a large CSV file; checks that part into
the import's staging table and prints its counts as one JSON line. Not for use by hand.
"""

from __future__ import annotations

import json
import os
import sys

import django


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fnvregio.settings")
    django.setup()
    # Imported after django.setup(): the import package loads models.
    from members.importing.parallel import check_part
    from members.importing.reading import Part

    import_id, start, end, first_line = (int(value) for value in argv[1:5])
    parent = int(argv[6]) if len(argv) > 6 else None
    result = check_part(import_id, Part(start, end, first_line), argv[5], parent)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
