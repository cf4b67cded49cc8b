// digitocr's web page: read a page (POST /v1/read) and classify a drawn digit (POST /v1/classify).
// Plain JavaScript, no build step, nothing loaded from anywhere but this server.
"use strict";

const $ = (id) => document.getElementById(id);
const limits = { max_upload_bytes: 20 * 1024 * 1024 };

// The reader's confidence bands, as in digitocr.reading.export.confidence_colour.
function band(confidence) {
  return confidence >= 0.9 ? "sure" : confidence >= 0.6 ? "unsure" : "doubtful";
}

function percent(p) {
  return `${(100 * p).toFixed(1)}%`;
}

function megabytes(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 0)} MB`;
}

async function errorText(response) {
  try {
    const body = await response.json();
    if (body && typeof body.detail === "string") return body.detail;
  } catch (e) { /* not JSON */ }
  return `the server answered ${response.status} ${response.statusText}`;
}

// --- the reader -------------------------------------------------------------------------------------------------

const reader = {
  doc: null,
  page: 0,
  fileName: "",

  setState(state) { $("reader").dataset.state = state; },

  showError(message) {
    $("progress").hidden = true;
    const box = $("read-error");
    box.textContent = message;
    box.hidden = false;
    this.setState("error");
  },

  read(file) {
    $("read-error").hidden = true;
    if (file.size > limits.max_upload_bytes) {
      this.showError(`${file.name} is ${megabytes(file.size)}: the limit is ${megabytes(limits.max_upload_bytes)}.`);
      return;
    }
    const params = new URLSearchParams({ annotate: "true" });
    const pages = $("pages-input").value.trim();
    if (pages) params.set("pages", pages);
    const dpi = $("dpi-input").value.trim();
    if (dpi) params.set("dpi", dpi);

    this.fileName = file.name || "upload";
    this.setState("reading");
    const bar = $("progress-bar");
    const text = $("progress-text");
    $("progress").hidden = false;
    bar.max = 1;
    bar.value = 0;
    text.textContent = `Uploading ${this.fileName}…`;

    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/v1/read?${params}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) {
        bar.value = e.loaded / e.total;
        text.textContent = `Uploading ${this.fileName}… ${Math.round((100 * e.loaded) / e.total)}%`;
      }
    };
    xhr.upload.onload = () => {
      bar.removeAttribute("value"); // indeterminate while the server reads
      text.textContent = `Reading ${this.fileName}…`;
    };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      if (xhr.status === 200 && body) {
        this.show(body);
      } else {
        const why = body && typeof body.detail === "string" ? body.detail : `the server answered ${xhr.status}`;
        this.showError(`Could not read ${this.fileName}: ${why}`);
      }
    };
    xhr.onerror = () => this.showError("The server could not be reached. Is `digitocr serve` still running?");
    const form = new FormData();
    form.append("file", file, this.fileName);
    xhr.send(form);
  },

  show(doc) {
    this.doc = doc;
    this.page = 0;
    $("progress").hidden = true;
    $("results").hidden = false;
    const count = doc.pages.reduce((n, p) => n + p.lines.reduce((m, l) => m + l.words.length, 0), 0);
    const pages = doc.pages.length;
    $("file-label").textContent =
      `${doc.file}: ${count} number${count === 1 ? "" : "s"} on ${pages} page${pages === 1 ? "" : "s"}`;
    $("page-nav").hidden = pages < 2;
    this.render();
    this.setState("done");
  },

  render() {
    const doc = this.doc;
    const page = doc.pages[this.page];
    const words = page.lines.flatMap((line) => line.words);
    const n = doc.pages.length;
    $("page-label").textContent = `Page ${page.number} (${this.page + 1} of ${n})`;
    $("prev-page").disabled = this.page === 0;
    $("next-page").disabled = this.page === n - 1;

    const img = $("page-image");
    img.src = doc.annotated ? doc.annotated[this.page] : "";
    img.alt = `Page ${page.number} of ${doc.file}, with a box around each of the ${words.length} numbers read`;
    $("page-caption").textContent = words.length
      ? `${words.length} number${words.length === 1 ? "" : "s"} read on page ${page.number} ` +
        `(${page.width} × ${page.height} pixels${page.dpi ? `, ${page.dpi} dpi` : ""}).`
      : `Nothing handwritten was found on page ${page.number}.`;

    const boxes = $("boxes");
    const rows = $("numbers").tBodies[0];
    boxes.replaceChildren();
    rows.replaceChildren();
    words.forEach((word, i) => {
      const [x0, y0, x1, y1] = word.bbox;
      const box = document.createElement("div");
      box.className = "box";
      box.dataset.index = String(i);
      box.title = `${word.text}: ${percent(word.confidence)} sure`;
      Object.assign(box.style, {
        left: `${(100 * x0) / page.width}%`, top: `${(100 * y0) / page.height}%`,
        width: `${(100 * (x1 - x0)) / page.width}%`, height: `${(100 * (y1 - y0)) / page.height}%`,
      });
      boxes.append(box);

      const row = rows.insertRow();
      row.dataset.index = String(i);
      row.insertCell().textContent = word.text;
      const conf = row.insertCell();
      conf.className = `conf ${band(word.confidence)}`;
      conf.textContent = `${percent(word.confidence)} (${band(word.confidence)})`;
      row.addEventListener("mouseenter", () => box.classList.add("lit"));
      row.addEventListener("mouseleave", () => box.classList.remove("lit"));
    });
    $("text-output").value = page.text;
    $("copy-status").textContent = "";
  },

  turn(step) {
    if (!this.doc) return;
    this.page = Math.min(Math.max(this.page + step, 0), this.doc.pages.length - 1);
    this.render();
  },

  async copy() {
    const area = $("text-output");
    try {
      await navigator.clipboard.writeText(area.value);
    } catch (e) { // no clipboard API outside a secure context: select and copy
      area.select();
      document.execCommand("copy");
    }
    $("copy-status").textContent = "Copied.";
  },

  download() {
    if (!this.doc) return;
    const { annotated, ...tree } = this.doc; // the JSON of `digitocr read --format json`, without the pictures
    const blob = new Blob([JSON.stringify(tree, null, 1)], { type: "application/json" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = `${this.doc.file.replace(/\.[^.]*$/, "") || "page"}.json`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  },
};

function setUpReader() {
  const input = $("file-input");
  input.addEventListener("change", () => {
    if (input.files.length) reader.read(input.files[0]);
    input.value = ""; // the same file again reads again
  });
  const zone = $("drop-zone");
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("dragging"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("dragging");
    if (e.dataTransfer.files.length) reader.read(e.dataTransfer.files[0]);
  });
  // A file dropped beside the zone must not replace this page with the file.
  window.addEventListener("dragover", (e) => e.preventDefault());
  window.addEventListener("drop", (e) => e.preventDefault());
  $("prev-page").addEventListener("click", () => reader.turn(-1));
  $("next-page").addEventListener("click", () => reader.turn(1));
  $("copy-text").addEventListener("click", () => reader.copy());
  $("download-json").addEventListener("click", () => reader.download());
}

// --- the drawing pad ----------------------------------------------------------------------------------------------

const THROTTLE_MS = 150;

const pad = {
  canvas: null,
  ctx: null,
  drawing: false,
  hasInk: false,
  dirty: false,     // drawn since the last request was sent
  inFlight: false,
  timer: null,
  lastSent: 0,
  last: null,
  outcome: null,    // "done" or "error" once an answer is shown
  result: null,     // the answer shown
  generation: 0,    // bumped by clear(), so that an answer about a cleared drawing is dropped

  setUp() {
    this.canvas = $("pad");
    this.ctx = this.canvas.getContext("2d");
    const bars = $("bars");
    for (let d = 0; d <= 9; d++) {
      const li = document.createElement("li");
      li.dataset.digit = String(d);
      li.innerHTML = '<span class="digit"></span><span class="track"><span class="fill"></span></span>' +
                     '<span class="value">–</span>';
      li.querySelector(".digit").textContent = String(d);
      bars.append(li);
    }
    this.clear();
    const c = this.canvas;
    c.addEventListener("pointerdown", (e) => this.down(e));
    c.addEventListener("pointermove", (e) => this.move(e));
    c.addEventListener("pointerup", (e) => this.up(e));
    c.addEventListener("pointercancel", (e) => this.up(e));
    $("clear-pad").addEventListener("click", () => this.clear());
    const file = $("digit-file");
    file.addEventListener("change", () => {
      if (file.files.length) {
        this.clear(); // the answer will be about the file, not a drawing
        this.classify(file.files[0]);
      }
      file.value = "";
    });
  },

  // An eleventh bar, for a model with a "not a digit" output (GET /v1/model lists it in `classes`).
  addNotADigitBar() {
    if ($("bar-not-a-digit")) return;
    const li = document.createElement("li");
    li.id = "bar-not-a-digit";
    li.className = "not-a-digit";
    li.innerHTML = '<span class="name">not a digit</span><span class="track"><span class="fill"></span></span>' +
                   '<span class="value">–</span>';
    li.setAttribute("aria-label", "not a digit");
    $("bars").append(li);
    $("bars").setAttribute("aria-label", "Probability of each digit, and that it is not a digit");
    if (this.result) this.showResult(this.result); // an answer that came first
  },

  // data-state on the section: empty, drawing, classifying (an answer is due), then done or error (the answer
  // shown is about the drawing as it is now).
  settle() {
    const busy = this.inFlight || this.dirty || this.timer !== null;
    const state = this.drawing ? "drawing" : busy ? "classifying" : this.outcome || "empty";
    $("pad-section").dataset.state = state;
  },

  clear() {
    const { ctx, canvas } = this;
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.strokeStyle = "#000";
    ctx.fillStyle = "#000";
    ctx.lineWidth = 20; // about MNIST's stroke: 2 pixels in 28
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    this.generation += 1;
    this.hasInk = false;
    this.dirty = false;
    clearTimeout(this.timer);
    this.timer = null;
    this.showResult(null);
    $("pad-error").hidden = true;
    this.settle();
  },

  point(e) {
    const r = this.canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * this.canvas.width) / r.width, ((e.clientY - r.top) * this.canvas.height) / r.height];
  },

  down(e) {
    e.preventDefault();
    this.canvas.setPointerCapture(e.pointerId);
    this.drawing = true;
    this.last = this.point(e);
    const [x, y] = this.last;
    this.ctx.beginPath();
    this.ctx.arc(x, y, this.ctx.lineWidth / 2, 0, 2 * Math.PI);
    this.ctx.fill();
    this.inked();
  },

  move(e) {
    if (!this.drawing) return;
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    const { ctx } = this;
    ctx.beginPath();
    ctx.moveTo(...this.last);
    for (const ev of events.length ? events : [e]) {
      this.last = this.point(ev);
      ctx.lineTo(...this.last);
    }
    ctx.stroke();
    this.inked();
  },

  up(e) {
    if (!this.drawing) return;
    this.drawing = false;
    if (this.canvas.hasPointerCapture(e.pointerId)) this.canvas.releasePointerCapture(e.pointerId);
    this.schedule(0); // the final picture at once
    this.settle();
  },

  inked() {
    this.hasInk = true;
    this.dirty = true;
    this.schedule(THROTTLE_MS);
    this.settle();
  },

  // At most one request in flight, at most one every THROTTLE_MS; the last drawing is always sent.
  schedule(delay) {
    if (this.inFlight) return; // sent again when the answer comes
    if (this.timer && delay > 0) return;
    clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(delay, THROTTLE_MS - (Date.now() - this.lastSent)));
    this.timer = setTimeout(() => { this.timer = null; this.send(); }, delay === 0 ? 0 : wait);
  },

  send() {
    if (!this.dirty || !this.hasInk) {
      this.settle();
      return;
    }
    this.dirty = false;
    this.inFlight = true;
    this.lastSent = Date.now();
    this.canvas.toBlob((blob) => this.classify(blob, "pad.png"), "image/png");
  },

  async classify(blob, name) {
    this.inFlight = true;
    this.settle();
    const generation = this.generation;
    const form = new FormData();
    form.append("file", blob, name || blob.name || "digit.png");
    try {
      const response = await fetch("/v1/classify", { method: "POST", body: form });
      if (generation !== this.generation) return;
      if (response.ok) {
        this.showResult(await response.json());
        $("pad-error").hidden = true;
      } else {
        this.showError(await errorText(response));
      }
    } catch (e) {
      this.showError("The server could not be reached.");
    } finally {
      this.inFlight = false;
      if (this.dirty) this.schedule(this.drawing ? THROTTLE_MS : 0);
      this.settle();
    }
  },

  showError(message) {
    const box = $("pad-error");
    box.textContent = message;
    box.hidden = false;
    this.showResult(null);
    this.outcome = "error";
  },

  showResult(result) {
    this.outcome = result ? "done" : null;
    this.result = result;
    // "not a digit" wins when the model gives it more than the best digit (0 from a model without it).
    const notDigit = Boolean(result) && (result.not_a_digit || 0) > result.confidence;
    const out = $("prediction");
    out.textContent = result ? (notDigit ? "not a digit" : String(result.digit)) : "–";
    out.dataset.digit = result && !notDigit ? String(result.digit) : "";
    out.classList.toggle("words", notDigit);
    if (notDigit) out.dataset.notADigit = "true";
    else delete out.dataset.notADigit;
    $("prediction-confidence").textContent =
      result ? `${percent(notDigit ? result.not_a_digit : result.confidence)} sure` : "";
    for (const li of $("bars").children) {
      const isDigit = li.dataset.digit !== undefined;
      const name = isDigit ? li.dataset.digit : "not a digit";
      const p = !result ? 0 : isDigit ? result.probabilities[Number(li.dataset.digit)] : result.not_a_digit || 0;
      li.querySelector(".fill").style.width = `${(100 * p).toFixed(1)}%`;
      li.querySelector(".value").textContent = result ? percent(p) : "–";
      const top = isDigit ? Number(li.dataset.digit) === result?.digit && !notDigit : notDigit;
      li.classList.toggle("top", Boolean(result) && top);
      li.setAttribute("aria-label", result ? `${name}: ${percent(p)}` : name);
    }
  },
};

// --- start ----------------------------------------------------------------------------------------------------------

async function loadFacts() {
  try {
    const health = await (await fetch("/v1/health")).json();
    Object.assign(limits, health.limits || {});
    $("max-upload").textContent = megabytes(limits.max_upload_bytes);
    const model = await (await fetch("/v1/model")).json();
    if ((model.classes || []).includes("not a digit")) pad.addNotADigitBar();
    if (model.test_accuracy) {
      $("model-line").textContent =
        `${model.name}, ${(100 * model.test_accuracy).toFixed(2)}% on MNIST's test set`;
    }
  } catch (e) { /* the page works without these facts */ }
}

document.addEventListener("DOMContentLoaded", () => {
  setUpReader();
  pad.setUp();
  loadFacts();
});
