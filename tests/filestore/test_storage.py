"""The file store in PostgreSQL (#18 item 1): files in 1 MB chunks, streamed both ways, reached
by every machine; a member import uploaded on one machine is checked on another."""

from __future__ import annotations

import hashlib
import io
import os

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from filestore.models import StoredChunk, StoredFile
from filestore.storage import CHUNK_SIZE, DatabaseStorage

pytestmark = pytest.mark.django_db


def test_the_default_store_is_the_database():
    assert isinstance(
        default_storage._wrapped if hasattr(default_storage, "_wrapped") else default_storage,
        DatabaseStorage,
    )  # noqa: E501


class CountingFile(File):
    """A 5.5 MB file produced piece by piece: the store never asks for it whole."""

    def __init__(self, size: int):
        super().__init__(io.BytesIO(), name="groot.upload")
        self._size = size
        self.largest_read = 0

    @property
    def size(self):
        return self._size

    def chunks(self, chunk_size=None):
        produced = 0
        piece = 64 * 1024
        while produced < self._size:
            length = min(piece, self._size - produced)
            self.largest_read = max(self.largest_read, length)
            yield bytes((produced + i) % 251 for i in range(length))
            produced += length


def test_a_large_file_is_kept_in_chunks_and_read_back_exactly():
    size = 5 * CHUNK_SIZE + CHUNK_SIZE // 2
    source = CountingFile(size)
    expected = hashlib.sha256(b"".join(CountingFile(size).chunks())).hexdigest()
    name = default_storage.save("member-imports/groot.upload", source)
    stored = StoredFile.objects.get(name=name)
    assert stored.size == size
    assert StoredChunk.objects.filter(file=stored).count() == 6
    with default_storage.open(name) as handle:
        digest = hashlib.sha256()
        while block := handle.read(300_000):
            digest.update(block)
    assert digest.hexdigest() == expected
    assert default_storage.size(name) == size and default_storage.exists(name)


def test_seek_reads_from_the_right_chunk():
    data = bytes(range(256)) * (CHUNK_SIZE // 128)  # 2 MB
    name = default_storage.save("x/seek.bin", ContentFile(data))
    with default_storage.open(name) as handle:
        handle.seek(CHUNK_SIZE + 10)
        assert handle.read(5) == data[CHUNK_SIZE + 10 : CHUNK_SIZE + 15]
        handle.seek(3)
        assert handle.read(2) == data[3:5]


def test_names_never_collide_or_escape():
    first = default_storage.save("member-imports/a.upload", ContentFile(b"1"))
    second = default_storage.save("member-imports/a.upload", ContentFile(b"2"))
    assert first != second
    with default_storage.open(first) as one, default_storage.open(second) as two:
        assert (one.read(), two.read()) == (b"1", b"2")
    with pytest.raises(SuspiciousFileOperation):
        default_storage.save("../etc/passwd", ContentFile(b"x"))
    assert default_storage.listdir("member-imports") == (
        [],
        sorted([os.path.basename(first), os.path.basename(second)]),
    )
    with pytest.raises(ValueError, match="alleen te lezen"):
        default_storage.open(first, "wb")
    with pytest.raises(NotImplementedError):
        default_storage.url(first)


def test_deleting_removes_the_chunks():
    name = default_storage.save("x/weg.bin", ContentFile(b"a" * (CHUNK_SIZE + 1)))
    default_storage.delete(name)
    assert not default_storage.exists(name)
    assert not StoredChunk.objects.exists()


def test_an_upload_made_on_one_machine_is_checked_on_another(cast, settings, tmp_path):
    """The web machine stores the upload; the worker, with its own local folder, makes its own
    working copy from the store and checks it; the end of the import removes it everywhere."""
    from members.importing import validate_import
    from members.importing.staging import delete_upload
    from members.models import ImportStatus, MemberImport
    from members.services import import_upload

    settings.MEDIA_ROOT = tmp_path / "web"
    upload = SimpleUploadedFile(
        "leden.csv", b"lidnummer;achternaam;geboortedatum\r\n4000001;Jansen;1-2-1980\r\n"
    )
    member_import = import_upload(user=cast.admin, uploaded=upload, mode="strict")
    assert member_import.file_path == "" and member_import.stored_name
    assert not (tmp_path / "web").exists() or not any((tmp_path / "web").rglob("*.upload"))
    # The worker's machine: another folder.
    settings.MEDIA_ROOT = tmp_path / "worker"
    member_import = MemberImport.objects.get(pk=member_import.pk)
    validate_import(member_import)
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.PREVIEWED
    assert member_import.rows_valid == 1
    assert member_import.file_path.startswith(str(tmp_path / "worker"))
    delete_upload(member_import)
    assert not default_storage.exists(f"member-imports/{os.path.basename(upload.name)}")
    assert not StoredFile.objects.exists()
    assert not any((tmp_path / "worker").rglob("*.upload"))
