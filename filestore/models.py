"""Files kept in PostgreSQL, in chunks: the portal's default file store (filestore/storage.py)."""

from __future__ import annotations

from django.db import models


class StoredFile(models.Model):
    name = models.CharField(max_length=255, unique=True)
    size = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "opgeslagen bestand"
        verbose_name_plural = "opgeslagen bestanden"

    def __str__(self) -> str:
        return self.name


class StoredChunk(models.Model):
    file = models.ForeignKey(StoredFile, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["file", "index"], name="filestore_chunk_once")
        ]

    def __str__(self) -> str:
        return f"{self.file_id}:{self.index}"
