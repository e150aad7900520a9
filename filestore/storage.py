"""A Django storage that keeps files in PostgreSQL, so that every machine of the portal reaches
every file without a shared disk (docs/OPERATIONS.md, "No shared disk").

Files are written and read in chunks of CHUNK_SIZE bytes (one row each): an upload of 200 MB
is never whole in memory, on the way in or out. Reading is sequential or by `seek()` (a
chunk is fetched when the position reaches it). Files are private: there is no URL.

With FNV_FILE_STORAGE=s3 the settings choose django-storages' S3 backend instead; the code
only ever uses `django.core.files.storage.default_storage`.
"""

from __future__ import annotations

import io

from django.core.files import File
from django.core.files.storage import Storage
from django.db import transaction
from django.utils.deconstruct import deconstructible

CHUNK_SIZE = 1024 * 1024


class ChunkReader(io.RawIOBase):
    """A read-only file over a stored file's chunks."""

    def __init__(self, stored):
        self._file_id = stored.pk
        self._size = stored.size
        self._position = 0
        self._chunk_index = -1
        self._chunk = b""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def readinto(self, buffer) -> int:
        if self._position >= self._size:
            return 0
        index, offset = divmod(self._position, CHUNK_SIZE)
        if index != self._chunk_index:
            from filestore.models import StoredChunk

            self._chunk = bytes(
                StoredChunk.objects.values_list("data", flat=True).get(
                    file_id=self._file_id, index=index
                )
            )
            self._chunk_index = index
        piece = self._chunk[offset : offset + len(buffer)]
        buffer[: len(piece)] = piece
        self._position += len(piece)
        return len(piece)


@deconstructible
class DatabaseStorage(Storage):
    def _open(self, name: str, mode: str = "rb") -> File:
        from filestore.models import StoredFile

        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("Opgeslagen bestanden zijn alleen te lezen; sla een nieuw bestand op.")
        stored = StoredFile.objects.get(name=name)
        reader = io.BufferedReader(ChunkReader(stored), buffer_size=CHUNK_SIZE)
        return File(reader, name=name)

    def _save(self, name: str, content) -> str:
        from filestore.models import StoredChunk, StoredFile

        with transaction.atomic():
            stored = StoredFile.objects.create(name=name)
            size = 0
            index = 0
            buffer = b""
            for piece in content.chunks(CHUNK_SIZE):
                buffer += piece
                while len(buffer) >= CHUNK_SIZE:
                    StoredChunk.objects.create(file=stored, index=index, data=buffer[:CHUNK_SIZE])
                    size += CHUNK_SIZE
                    index += 1
                    buffer = buffer[CHUNK_SIZE:]
            if buffer:
                StoredChunk.objects.create(file=stored, index=index, data=buffer)
                size += len(buffer)
            stored.size = size
            stored.save(update_fields=["size"])
        return name

    def delete(self, name: str) -> None:
        from filestore.models import StoredFile

        StoredFile.objects.filter(name=name).delete()

    def exists(self, name: str) -> bool:
        from filestore.models import StoredFile

        return StoredFile.objects.filter(name=name).exists()

    def size(self, name: str) -> int:
        from filestore.models import StoredFile

        return StoredFile.objects.values_list("size", flat=True).get(name=name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        from filestore.models import StoredFile

        prefix = path.rstrip("/") + "/" if path else ""
        names = StoredFile.objects.filter(name__startswith=prefix).values_list("name", flat=True)
        directories, files = set(), []
        for name in names:
            rest = name[len(prefix) :]
            if "/" in rest:
                directories.add(rest.split("/", 1)[0])
            else:
                files.append(rest)
        return sorted(directories), sorted(files)

    def get_created_time(self, name: str):
        from filestore.models import StoredFile

        return StoredFile.objects.values_list("created_at", flat=True).get(name=name)

    get_modified_time = get_created_time

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Files of the portal are private and have no URL.")
