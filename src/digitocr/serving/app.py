"""The HTTP API and the web page: `create_app()` -> a FastAPI app.

    GET  /                 the web page (static/, served from here: no CDN, works offline)
    POST /v1/read          a page (image or PDF) -> the JSON tree of DESIGN.md; ?annotate=true adds the pictures
    POST /v1/classify      one digit (an image, or {"pixels": 28 x 28}) -> its ten probabilities and not_a_digit
    GET  /v1/health        is it up
    GET  /v1/model         the model's name, SHA-256, output classes and figures
    GET  /docs, /redoc, /openapi.json   FastAPI's documents (their scripts served from here too)

Pages are read in worker threads (at most `reading_threads` at once, the others wait their turn without
holding the event loop), so a slow page never stalls another request. Errors answer {"detail": "one line"}.
"""

from __future__ import annotations

import base64
import io
import os
from functools import partial
from pathlib import Path

import anyio
import numpy as np
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, Field

import digitocr
from digitocr.classifier import Classifier, load_image
from digitocr.preprocess import image_to_mnist_form
from digitocr.reading import read as read_pages
from digitocr.reading.export import annotate as annotate_page
from digitocr.reading.load import DEFAULT_MAX_PIXELS
from digitocr.serving.errors import install_error_handlers
from digitocr.serving.pixels import parse_pixels
from digitocr.serving.uploads import read_body, read_upload

MB = 2**20
STATIC = Path(__file__).parent / "static"
# The web page may load only what this server serves. (Not on /docs: Swagger UI runs an inline script.)
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; "
                               "base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class Detail(BaseModel):
    detail: str


class Classification(BaseModel):
    digit: int
    confidence: float
    probabilities: list[float]
    not_a_digit: float = Field(description="the probability that it is no digit at all: what the ten "
                               "probabilities leave (1 - their sum) with a model that has that output, else 0")


FILE_BODY = {
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary", "description": "the image or PDF"}}}},
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"},
                                 "description": "or the file itself as the body"},
}
PIXELS_BODY = {"application/json": {"schema": {"type": "object", "required": ["pixels"], "properties": {"pixels": {
    "type": "array", "minItems": 28, "maxItems": 28, "description": "28 rows of 28 values in [0, 1], ink = 1, "
    "in MNIST's form already (the model's input as it is)",
    "items": {"type": "array", "minItems": 28, "maxItems": 28, "items": {"type": "number", "minimum": 0,
                                                                         "maximum": 1}}}}}}}


def errors(*codes: int) -> dict:
    words = {413: "the upload is over the size limit", 415: "not an image or PDF this server can read",
             422: "a broken file, too many pages or pixels, or bad options: `detail` says which"}
    return {code: {"model": Detail, "description": words[code]} for code in codes}


def serving_classifier(model: str | Path | None, at_once: int) -> Classifier:
    """The classifier (and string reader) for pages read `at_once` in parallel: one ONNX Runtime thread a run when
    they are more than one. The pages already keep the cores busy, and a pool of the runtime's own threads on top
    of them only contends (under `benchmarks/serve_load.py`, 4.5 to 5.0 pages a second against 3.7 to 4.4)."""
    return Classifier(model, threads=1 if at_once > 1 else None)


def create_app(*, max_upload_bytes: int = 20 * MB, max_pages: int = 20, max_pixels: int = DEFAULT_MAX_PIXELS,
               model: str | Path | Classifier | None = None, reading_threads: int | None = None) -> FastAPI:
    """The app, with its model loaded now (a missing or broken model fails here, not at the first request).

    `max_upload_bytes`: largest request body (413 above it). `max_pages`, `max_pixels`: the reader's limits
    on one file (422 above them). `reading_threads`: pages read at once (default: one per CPU core).
    """
    at_once = reading_threads or os.cpu_count() or 1
    classifier = model if isinstance(model, Classifier) else serving_classifier(model, at_once)
    _ = classifier.strings  # the string reader too: a bad $DIGITOCR_STRINGS fails at start, not on each page
    card = model_card(classifier)
    readers = anyio.CapacityLimiter(at_once)
    app = FastAPIOffline(title="digitocr", version=digitocr.__version__,
                         description="Read handwritten digits on pages (images and PDFs), or classify one digit. "
                                     "The web page is at `/`.")
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    async def web_page() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers=PAGE_HEADERS)

    @app.get("/v1/health", summary="Is the server up")
    async def health() -> dict:
        return {"status": "ok", "version": digitocr.__version__, "model": classifier.name,
                "limits": {"max_upload_bytes": max_upload_bytes, "max_pages": max_pages, "max_pixels": max_pixels}}

    @app.get("/v1/model", summary="The model: name, SHA-256 of the ONNX file, output classes, model card figures")
    async def model_info() -> dict:
        return card

    @app.post("/v1/read", summary="Read the handwritten numbers on a page", response_class=JSONResponse,
              openapi_extra={"requestBody": {"required": True, "content": FILE_BODY}},
              responses={200: {"description": "the JSON tree of DESIGN.md (file, model, pages > lines > words > "
                                              "chars), plus `annotated` with ?annotate=true"},
                         **errors(413, 415, 422)})
    async def read(request: Request,
                   pages: str | None = Query(None, description="pages of a PDF or TIFF, from 1: 1,3-5 or 2-"),
                   dpi: int = Query(300, gt=0, le=2400, description="resolution to render PDF pages at"),
                   annotate: bool = Query(False, description="add `annotated`: each page as a PNG data URL, with "
                                                             "a box round every number, coloured by confidence")):
        upload = await read_upload(request, max_upload_bytes)
        job = partial(read_document, upload.data, upload.name, classifier=classifier, dpi=dpi, pages=pages,
                      annotate=annotate, max_pages=max_pages, max_pixels=max_pixels)
        return JSONResponse(await anyio.to_thread.run_sync(job, limiter=readers))

    @app.post("/v1/classify", summary="Classify one digit", response_model=Classification,
              openapi_extra={"requestBody": {"required": True, "content": {**FILE_BODY, **PIXELS_BODY}}},
              responses=errors(413, 415, 422))
    async def classify(request: Request) -> dict:
        if request.headers.get("content-type", "").split(";")[0].strip().lower() == "application/json":
            pixels = parse_pixels(await read_body(request, max_upload_bytes))
            probs = await anyio.to_thread.run_sync(classifier.predict, pixels[None])
            return classification(probs[0], classifier)
        upload = await read_upload(request, max_upload_bytes)
        return classification(await anyio.to_thread.run_sync(classify_image, upload.data, classifier), classifier)

    return app


def read_document(data: bytes, name: str, *, classifier: Classifier, dpi: int, pages: str | None,
                  annotate: bool, max_pages: int, max_pixels: int) -> dict:
    """What `digitocr read --format json` gives for this file, named `name`; with `annotate`, also the key
    "annotated": each page drawn as `digitocr read --annotate` draws it, as a PNG data URL."""
    pictures: list[str] = []

    def draw(image, page) -> None:
        pictures.append(png_data_url(annotate_page(image.image, page)))

    doc = read_pages(data, dpi=dpi, pages=pages, classifier=classifier, on_page=draw if annotate else None,
                     max_pages=max_pages, max_pixels=max_pixels)
    doc.file = name
    result = doc.to_dict()
    if annotate:
        result["annotated"] = pictures
    return result


def classify_image(data: bytes, classifier: Classifier) -> np.ndarray:
    """An image file of one digit -> ten probabilities, put into MNIST's form as `digitocr classify` does."""
    form = image_to_mnist_form(load_image(data))
    if not form.any():
        raise HTTPException(422, "no ink found: the image is blank")
    return classifier.predict(form[None])[0]


def classification(probs: np.ndarray, classifier: Classifier) -> dict:
    """Ten probabilities -> the answer of /v1/classify, as digitocr.classify() gives it."""
    digit = int(np.argmax(probs))
    return {"digit": digit, "confidence": float(probs[digit]), "probabilities": [float(p) for p in probs],
            "not_a_digit": classifier.not_a_digit(probs)}


def png_data_url(rgb: np.ndarray) -> str:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "PNG", compress_level=3)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def model_card(classifier: Classifier) -> dict:
    """The figures a user asks about first, from the model's metadata (None where it has none), and its output
    classes: the ten digits, then "not a digit" where the model has that output."""
    meta = classifier.metadata
    test = meta.get("test", {})
    return {"name": classifier.name, "file": classifier.path.name, "sha256": classifier.sha256,
            "classes": classifier.classes, "arch": meta.get("arch"), "parameters": meta.get("parameters"),
            "precision": meta.get("quantization", {}).get("precision"),
            "test_accuracy": meta.get("test_accuracy"), "test_images": test.get("images"),
            "test_errors": test.get("errors"), "val_accuracy": meta.get("val_accuracy"),
            "expected_calibration_error": test.get("ece"), "mean_confidence": test.get("mean_confidence"),
            "shipped": meta.get("shipped"), "command": meta.get("command")}

