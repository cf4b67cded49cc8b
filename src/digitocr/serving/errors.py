"""Every error as {"detail": "one line"}, with the status that says whose it is.

The reader raises DataError(name, reason) for any file it cannot read. A type it does not read at all
is 415; a file of a known type that is broken, empty, encrypted, has no pages, or is over the page or
pixel limits is 422 (the pixel limit is about what the file holds, not how big the upload is: a 50 kB
PNG can claim 10 gigapixels). 413 is only for the size of the request body (uploads.py).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from digitocr.errors import DataError
from digitocr.reading.load import NOT_READABLE

log = logging.getLogger("digitocr.serving")


def status_for(exc: DataError) -> int:
    unsupported = exc.reason == NOT_READABLE or exc.reason.startswith("a HEIC/HEIF photo")
    return 415 if unsupported else 422


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DataError)
    async def data_error(request: Request, exc: DataError) -> JSONResponse:
        return JSONResponse({"detail": one_line(exc.reason)}, status_code=status_for(exc))

    @app.exception_handler(RequestValidationError)
    async def bad_options(request: Request, exc: RequestValidationError) -> JSONResponse:
        """FastAPI's list of problems, as one line: 'dpi: Input should be greater than 0'."""
        problems = []
        for error in exc.errors():
            where = ".".join(str(part) for part in error.get("loc", ())[1:])
            problems.append(f"{where}: {error.get('msg', 'invalid')}" if where else error.get("msg", "invalid"))
        return JSONResponse({"detail": one_line("; ".join(problems) or "invalid request")}, status_code=422)

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception) -> JSONResponse:
        """A fault of ours: one line to the client, the traceback to the server's log."""
        log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
        message = (str(exc).strip().splitlines() or [""])[0]
        return JSONResponse({"detail": one_line(f"internal error, a bug in digitocr: {type(exc).__name__}"
                                                f"{': ' + message if message else ''} (the server log has more)")},
                            status_code=500)
