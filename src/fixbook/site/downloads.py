"""The OSV records on the site: one file per ranged case, an index, and one archive of all.

Built with :func:`fixbook.history.osv.build_records` from the same cases and
results as the pages. The archive is reproducible: sorted names and a fixed
timestamp inside it.
"""

from __future__ import annotations

import io
import json
import zipfile

from fixbook.history.osv import build_records, index_of
from fixbook.site.catalog import Catalog

FOLDER = "osv"
INDEX = f"{FOLDER}/index.json"
ARCHIVE = f"{FOLDER}/fixbook-osv.zip"
_STAMP = (1980, 1, 1, 0, 0, 0)


def osv_files(catalog: Catalog) -> tuple[dict[str, str | bytes], list[str]]:
    """The files under ``osv/`` by docs-relative path, and one error per case left out."""
    cases = [entry.case for library in catalog.libraries for entry in library.cases]
    records, errors = build_records(cases, list(catalog.environments))
    files: dict[str, str | bytes] = {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for record in records:
            text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
            files[f"{FOLDER}/{record['id']}.json"] = text
            info = zipfile.ZipInfo(f"{record['id']}.json", date_time=_STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
    files[INDEX] = json.dumps(index_of(records), indent=2, ensure_ascii=False) + "\n"
    files[ARCHIVE] = buffer.getvalue()
    return files, errors
