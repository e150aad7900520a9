"""An upload handler that stops reading a request as soon as the import size limit is passed.

Django has no built-in size limit for uploaded files; this one refuses before the whole file
is read (and before it is written to disk).
"""

from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class TooLarge(Exception):
    pass


class LimitedUploadHandler(FileUploadHandler):
    def __init__(self, limit: int, request=None):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > self.limit + 64 * 1024:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return None

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None
