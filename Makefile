# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
# Each creates .venv and installs what it needs. torch is the CPU build 2.13.0 and is installed
# first, so that pip's resolver never pulls a CUDA build for the [train] extra.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TORCH := torch==2.13.0
# The MNIST folder: $DIGITOCR_DATA, else the shared copy beside the repo.
DIGITOCR_DATA ?= $(abspath ../shared/data/mnist)
export DIGITOCR_DATA

.PHONY: demo test lint venv clean bench-deps bench-pages bench-tune browser-deps test-fonts serve bench-serve

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet $(TORCH)
	$(BIN)/pip install --quiet -e '.[train,dev,serve]'
	touch $@

demo: venv
	$(BIN)/digitocr classify src/digitocr/assets/examples/digits_by_label/7/*.png
	$(BIN)/digitocr evaluate --images src/digitocr/assets/examples/digits_by_label --out demo-out
	$(BIN)/digitocr read src/digitocr/assets/examples/page.png --annotate demo-out/page_annotated.png
	@echo "annotated page: demo-out/page_annotated.png"

# The page benchmark's printed type (Liberation, DejaVu) and Tesseract 5 to compare with: Debian packages.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
bench-deps:
	@if [ -f /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ] && \
	    [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && command -v tesseract >/dev/null; then \
	    echo "fonts and tesseract are installed"; \
	else $(SUDO) apt-get update && $(SUDO) apt-get install -y fonts-dejavu-core fonts-liberation tesseract-ocr; fi

# The web page's browser test drives Debian's chromium with its chromedriver (never a downloaded browser).
browser-deps:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then \
	    echo "chromium and chromedriver are installed"; \
	else $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; fi

# The web page and HTTP API on http://127.0.0.1:8000/ (Ctrl-C stops).
serve: venv
	$(BIN)/digitocr serve

# 20 clients posting the example page to /v1/read for 30 s (starts its own server on a free port).
bench-serve: venv
	$(BIN)/python benchmarks/serve_load.py --json runs/serve_load.json

# Make the labelled pages (MNIST test digits), score digitocr and Tesseract on them, time the reader.
bench-pages: venv bench-deps
	$(BIN)/python benchmarks/pages.py make --out runs/pages
	$(BIN)/python benchmarks/pages.py score --pages runs/pages --json runs/pages/score.json
	$(BIN)/python benchmarks/pages.py speed --json runs/pages/speed.json

# The pages the reader is tuned on: the classifier's validation digits, never MNIST's test digits; scored.
bench-tune: venv
	for seed in 1 2; do \
	    [ -f runs/pages-val$$seed/page_120.json ] || \
	        $(BIN)/python benchmarks/pages.py make --out runs/pages-val$$seed --digits val --seed $$seed --count 120; \
	    $(BIN)/python benchmarks/pages.py score --pages runs/pages-val$$seed --engine digitocr \
	        --json runs/pages-val$$seed/score.json; \
	done

lint: venv
	$(BIN)/ruff check .

# The reading tests draw print in DejaVu Sans Bold.
test-fonts:
	@if [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ]; then echo "DejaVu fonts are installed"; \
	else $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y fonts-dejavu-core; fi

test: venv lint browser-deps test-fonts
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) demo-out test-artifacts .pytest_cache .ruff_cache
