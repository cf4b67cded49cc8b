"""The web page and HTTP API behind `digitocr serve` (needs the serve extra: FastAPI, uvicorn).

    from digitocr.serving import create_app      # an ASGI app: uvicorn.run(create_app())
"""

from digitocr.serving.app import create_app

__all__ = ["create_app"]
