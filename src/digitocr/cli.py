"""The `digitocr` command: parse, call, print. Thin.

Heavy imports (torch, matplotlib, sklearn) happen inside the commands that need them, so that
`digitocr read` and `digitocr classify` start fast and never import torch.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from digitocr.errors import DataError, DigitocrError

EPILOG = """examples:
  digitocr read scan.pdf                         print the handwritten numbers on every page
  digitocr read photo.jpg --format json          the same with boxes and confidences
  digitocr data fetch --dest data/mnist          download and verify MNIST
  digitocr train --arch cnn --data data/mnist --out runs/cnn
  digitocr evaluate --model runs/cnn/model.onnx --data data/mnist --out runs/cnn/eval
  digitocr classify my_digit.png                 what digit is this?

The MNIST folder can also come from the DIGITOCR_DATA environment variable."""


READ_DESCRIPTION = """\
Print the handwritten numbers found on each page: one line of output per line of
handwriting, the numbers on a line separated by one space, a form feed between pages
and between files (as Tesseract does). A page with nothing handwritten on it prints
nothing; that is not an error. Files are recognised by their content, not their name."""

READ_EPILOG = """\
examples:
  digitocr read receipt.jpg
  digitocr read scan.pdf --pages 1,3-5 --format json > scan.jsonl
  digitocr read form.png --annotate checked.png   (then look at checked.png)

--annotate OUT.png with one file of one page writes OUT.png. With several files or
pages it writes one picture per page, named after OUT, the file and the page:
  digitocr read a.pdf b.jpg --annotate out.png  ->  out-a-p1.png, out-a-p2.png, out-b-p1.png

exit status:
  0  every file was read (even if nothing was found on it)
  2  bad usage, or a file could not be read: one line on stderr says which file and
     why, and the other files are still read
  1  a bug in digitocr (one line says where; DIGITOCR_DEBUG=1 shows the traceback)"""


def add_data_source(p: argparse.ArgumentParser, what: str) -> None:
    src = p.add_mutually_exclusive_group()
    src.add_argument("--data", metavar="DIR", help=f"MNIST IDX folder to {what} (default: $DIGITOCR_DATA)")
    src.add_argument("--csv", metavar="FILE", help=f"Kaggle Digit Recognizer CSV with labels to {what}")
    src.add_argument("--images", metavar="DIR", help=f"labelled images DIR/0/*.png ... DIR/9/*.png to {what}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digitocr", description="Read handwritten digits; train, evaluate and ship the digit classifier.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("read", help="read the handwritten numbers on pages: photos, scans, PDFs",
                       description=READ_DESCRIPTION, epilog=READ_EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("files", nargs="+", metavar="FILE", help="images (JPEG, PNG, TIFF, BMP, WebP, GIF) or PDFs; "
                   "- reads standard input")
    p.add_argument("--format", choices=("text", "json", "hocr"), default="text",
                   help="text: the numbers, one line per line of handwriting (default); json: one line per "
                        "file with every box and confidence; hocr: hOCR (XHTML), as Tesseract writes it")
    p.add_argument("--annotate", metavar="OUT.png", help="also draw each page with a box around every number read "
                   "and the digits above it, green/orange/red by confidence")
    p.add_argument("--dpi", type=_positive, default=300,
                   help="resolution to render PDF pages at (default: %(default)s)")
    p.add_argument("--pages", type=_page_spec, metavar="LIST", help="pages to read from PDFs and multi-page TIFFs, "
                   "counted from 1, e.g. 1,3-5 or 2- (default: all; any other image is page 1)")
    p.add_argument("--model", metavar="PATH", help="an ONNX model (default: $DIGITOCR_MODEL, else the shipped one)")
    p.add_argument("--max-pages", type=_positive, default=200, metavar="N",
                   help="refuse to read more pages than this from one file (default: %(default)s)")
    p.add_argument("--max-pixels", type=_positive, default=80_000_000, metavar="N",
                   help="refuse a page bigger than this many pixels, before decoding it (default: %(default)s)")
    p.set_defaults(func=cmd_read)

    p = sub.add_parser("classify", help="classify images of single digits with the shipped model",
                       description="Print the digit, its confidence and the runner-up for each image "
                                   "(one digit per image, dark ink on light paper, any size). With a model that "
                                   "has a 'not a digit' output, an image likelier to be no digit than its best "
                                   "digit prints 'not a digit', its probability and the best digit.")
    p.add_argument("images", nargs="+", metavar="IMAGE")
    p.add_argument("--model", metavar="PATH", help="an ONNX model (default: the shipped one)")
    p.add_argument("--json", action="store_true", help="print JSON Lines with all ten probabilities and not_a_digit")
    p.set_defaults(func=cmd_classify)

    data = sub.add_parser("data", help="get, verify and convert training data").add_subparsers(
        dest="data_command", metavar="ACTION", required=True)
    p = data.add_parser("fetch", help="download MNIST from public mirrors and verify it",
                        description="Download the four MNIST IDX files, verify them by MD5, resume or retry "
                                    "cleanly. Files already present and valid are kept.")
    p.add_argument("--dest", default="data/mnist", metavar="DIR", help="where to put the files (default: %(default)s)")
    p.add_argument("--mirror", action="append", metavar="URL",
                   help="a mirror to try first (repeatable; the known public mirrors follow)")
    p.add_argument("--retries", type=int, default=3, help="attempts per file and mirror (default: %(default)s)")
    p.set_defaults(func=cmd_data_fetch)
    p = data.add_parser("verify", help="check an MNIST folder: checksums, magic numbers, counts")
    p.add_argument("--data", metavar="DIR", help="MNIST IDX folder (default: $DIGITOCR_DATA)")
    p.set_defaults(func=cmd_data_verify)
    p = data.add_parser("export-csv", help="write MNIST as Kaggle Digit Recognizer CSV files",
                        description="Write train.csv (label, pixel0..pixel783) and test.csv (pixels only) "
                                    "and test_labels.csv, in Kaggle's format.")
    p.add_argument("--data", metavar="DIR", help="MNIST IDX folder (default: $DIGITOCR_DATA)")
    p.add_argument("--out", required=True, metavar="DIR")
    p.set_defaults(func=cmd_data_export_csv)

    p = sub.add_parser("train", help="train a digit classifier", description=(
        "Train on MNIST (or a Kaggle CSV, or a folder of labelled images) with a validation split taken "
        "from the training set, augmentation, early stopping and the best checkpoint kept. Writes "
        "history.csv, learning_curves.png, best.pt, last.pt and model.onnx into the run folder."))
    p.add_argument("--arch", default="cnn", help="cnn (ours), baseline (the seeds'), or mlp; or strings: the string "
                   "reader, which reads runs of touching digits whole (default: %(default)s)")
    p.add_argument("--epochs", type=int, default=30, help="most epochs to train (default: %(default)s)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    p.add_argument("--out", required=True, metavar="RUN_DIR", help="the run folder")
    add_data_source(p, "train on")
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--strings", type=int, default=24000, metavar="N",
                   help="--arch strings: touching strings made per epoch (default: %(default)s)")
    p.add_argument("--lr", type=float, default=3e-3, help="peak learning rate (default: %(default)s)")
    p.add_argument("--patience", type=int, default=8, help="early stopping patience in epochs (default: %(default)s)")
    p.add_argument("--val-size", type=int, default=5000, help="validation images (default: %(default)s)")
    p.add_argument("--limit", type=int, metavar="N", help="train on the first N images only (a quick run)")
    p.add_argument("--no-augment", action="store_true", help="train on the images as they are")
    p.add_argument("--not-a-digit", type=float, default=0.1, metavar="SHARE",
                   help="'not a digit' examples (touching pairs, printed letters, marks) per training digit; the "
                   "model gets an eleventh output for them, which the reader uses. 0: ten outputs (default: "
                   "%(default)s)")
    p.add_argument("--neighbours", type=float, default=0.0, metavar="SHARE",
                   help="digits with the edge of a touching neighbour beside them (as cutting touching digits leaves "
                   "them), per training digit; they keep their label (default: %(default)s)")
    p.add_argument("--redrawn", type=float, default=0.0, metavar="SHARE",
                   help="digits redrawn as a pen writes them on a page (crisp edges, a fine or bold stroke at a "
                   "written height) and put back into MNIST's form, per training digit; they keep their label "
                   "(default: %(default)s)")
    p.add_argument("--params", metavar="JSON", help="model and training parameters as JSON, e.g. a "
                   "best_params.json from 'digitocr tune' or '{\"width\": 48}'; '{\"signs\": 0.15}' makes that share "
                   "of the 'not a digit' examples signs written beside numbers (a dollar sign, a '#'); for --arch "
                   "strings, '{\"european_p\": 0.15}' gives that share of the strings' 1s a flag and of their 7s a "
                   "bar, '{\"signs_p\": 0.1}' that share of them a sign in front (a dollar sign, a '#'), not read")
    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"],
                   help="where the network trains: auto is the GPU where torch sees one; augmentation and the "
                   "string reader's strings are made on the CPU (default: %(default)s)")
    p.add_argument("--workers", type=int, default=0, metavar="N",
                   help="--arch strings: make each epoch's strings in N processes, the next epoch's while one "
                   "trains (in 16 seeded chunks: any N makes the same strings, other ones than 0 does); 0: in one "
                   "stream between epochs (default: %(default)s)")
    p.add_argument("--resume", action="store_true", help="continue an interrupted run in RUN_DIR")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("tune", help="search hyperparameters with Optuna (validation split only)")
    p.add_argument("--arch", default="cnn")
    p.add_argument("--trials", type=int, default=20)
    p.add_argument("--epochs", type=int, default=4, help="epochs per trial (default: %(default)s)")
    p.add_argument("--out", default="runs/tune", metavar="DIR",
                   help="study folder: study.db (resumable) and best_params.json (default: %(default)s)")
    p.add_argument("--data", metavar="DIR", help="MNIST IDX folder (default: $DIGITOCR_DATA)")
    p.add_argument("--limit", type=int, metavar="N", help="tune on the first N training images only")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--timeout", type=float, metavar="SECONDS", help="stop starting new trials after this long")
    p.set_defaults(func=cmd_tune)

    p = sub.add_parser("evaluate", help="measure a model: accuracy, report, confusion matrix, pictures",
                       description="Evaluate on the MNIST test set (default), a labelled Kaggle CSV, or a "
                                   "folder of labelled images. Writes metrics.json, classification_report.txt, "
                                   "confusion_matrix.png/.csv, misclassified.png and samples.png.")
    p.add_argument("--model", metavar="PATH", help="an ONNX model (default: the shipped one)")
    add_data_source(p, "evaluate on")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--limit", type=int, metavar="N", help="the first N images only")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("export", help="ship a training run's model as digit_classifier with its model card",
                       description="Copy RUN_DIR/model.onnx to DEST/digit_classifier.onnx, measure it once on the "
                                   "MNIST test set, and write digit_classifier.json and the model card .md.")
    p.add_argument("run_dir", metavar="RUN_DIR")
    p.add_argument("--dest", default="src/digitocr/assets", metavar="DIR", help="(default: %(default)s)")
    p.add_argument("--data", metavar="DIR", help="MNIST IDX folder (default: $DIGITOCR_DATA)")
    p.add_argument("--command", dest="train_command", metavar="TEXT", help="the training command, for the card")
    p.add_argument("--float32", action="store_true",
                   help="ship float32 as it is (default: INT8 when the validation split shows it as accurate)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("serve", help="the web page and HTTP API: read pages and draw digits in a browser",
                       description="Start a local web server: the web page at /, the HTTP API at /v1/ (docs at "
                                   "/docs). Needs the serve extra: pip install 'digitocr[serve]'.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s, this machine "
                   "only; 0.0.0.0 for every network interface)")
    p.add_argument("--port", type=int, default=8000, help="port (default: %(default)s; 0 picks a free one)")
    p.add_argument("--max-upload-mb", type=_positive_number, default=20, metavar="MB",
                   help="largest upload, in MB of 2**20 bytes; larger ones get 413 (default: %(default)s)")
    p.add_argument("--max-pages", type=_positive, default=20, metavar="N",
                   help="refuse files of more pages than this, 422 (default: %(default)s)")
    p.add_argument("--max-pixels", type=_positive, default=80_000_000, metavar="N",
                   help="refuse a page bigger than this many pixels, 422 (default: %(default)s)")
    p.add_argument("--model", metavar="PATH", help="an ONNX model (default: $DIGITOCR_MODEL, else the shipped one)")
    p.set_defaults(func=cmd_serve)

    kaggle = sub.add_parser("kaggle", help="Kaggle Digit Recognizer").add_subparsers(
        dest="kaggle_command", metavar="ACTION", required=True)
    p = kaggle.add_parser("predict", help="predict test.csv into submission.csv (ImageId,Label)")
    p.add_argument("--csv", required=True, metavar="FILE", help="Kaggle's test.csv (pixel0..pixel783)")
    p.add_argument("--out", default="submission.csv", metavar="FILE", help="(default: %(default)s)")
    p.add_argument("--model", metavar="PATH", help="an ONNX model (default: the shipped one)")
    p.set_defaults(func=cmd_kaggle_predict)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("digitocr")
    except PackageNotFoundError:
        return "unknown"


def _positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be more than 0, got {text}")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _page_spec(text: str) -> str:
    from digitocr.reading.load import parse_page_spec

    try:
        parse_page_spec(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: {exc}") from None
    return text


def _params(text: str | None) -> dict:
    if not text:
        return {}
    path = Path(text)
    try:
        return json.loads(path.read_text() if path.is_file() else text)
    except json.JSONDecodeError as exc:
        raise DigitocrError(f"--params: not valid JSON ({exc})") from None


def cmd_read(args) -> int:
    from digitocr.classifier import Classifier
    from digitocr.reading import read
    from digitocr.reading.export import to_hocr, to_json, to_text

    classifier = Classifier(args.model)  # once, for every file
    _ = classifier.strings  # and the string reader: a bad $DIGITOCR_STRINGS fails once, here
    render = {"text": to_text, "json": lambda doc: to_json(doc) + "\n", "hocr": lambda doc: ""}[args.format]
    status, done, stems = 0, [], set()
    for name in args.files:
        on_page = _annotator(args.annotate, name, stems, several=len(args.files) > 1) if args.annotate else None
        try:
            source = sys.stdin.buffer.read() if name == "-" else name
            doc = read(source, dpi=args.dpi, pages=args.pages, classifier=classifier, on_page=on_page,
                       max_pages=args.max_pages, max_pixels=args.max_pixels)
            doc.file = name
            text = render(doc)  # hOCR: one document for all the files, at the end
        except DataError as exc:  # this file cannot be read (or its picture written): say why, go on
            print(f"digitocr: {name}: {exc.reason}" if exc.path in (name, "<bytes>") else f"digitocr: {exc}",
                  file=sys.stderr)
            status = status or 2
            continue
        except Exception as exc:  # a fault of ours: say so in one line, and go on with the other files
            print(f"digitocr: {name}: {_bug_report(exc)}", file=sys.stderr)
            status = 1
            continue
        # Text: a form feed between files, as between pages. Each file is printed as soon as it is read.
        sys.stdout.write(("\f" if done and args.format == "text" else "") + text)
        sys.stdout.flush()
        done.append(doc)
    if args.format == "hocr" and done:
        sys.stdout.write(to_hocr(done))
    return status


def _annotator(out: str, name: str, stems: set[str], several: bool):
    """read()'s on_page for --annotate: one file with one page -> OUT.png; otherwise OUT-<file>-p<N>.png
    for every page (when a file turns out to have a second page, its first picture is renamed).
    `stems`: the file names already used in this command, so that a.png and a.pdf do not share pictures."""
    from digitocr.reading.export import write_annotated

    out = Path(out)
    stem = "stdin" if name == "-" else Path(name).stem
    stem = next(s for s in (stem, *(f"{stem}-{i}" for i in range(2, len(stems) + 3))) if s not in stems)
    stems.add(stem)
    written: list[tuple[int, Path]] = []

    def named(number: int) -> Path:
        return out.with_name(f"{out.stem}-{stem}-p{number}{out.suffix}")

    def on_page(image, page) -> None:
        path = out if not several and not written else named(page.number)
        if written and written[0][1] == out:
            os.replace(out, named(written[0][0]))
            written[0] = (written[0][0], named(written[0][0]))
        written.append((page.number, write_annotated(path, image.image, page)))

    return on_page


def _bug_report(exc: Exception) -> str:
    """One line for an unexpected exception: what and where. The traceback only with DIGITOCR_DEBUG=1."""
    import traceback

    if os.environ.get("DIGITOCR_DEBUG") == "1":
        traceback.print_exception(exc, file=sys.stderr)
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "digitocr" in Path(f.filename).parts] or frames
    where = ""
    if ours:  # the innermost frame of ours, named from the package down: digitocr/reading/find.py:120
        parts = Path(ours[-1].filename).parts
        file = "/".join(parts[len(parts) - 1 - parts[::-1].index("digitocr"):]) if "digitocr" in parts else parts[-1]
        where = f" at {file}:{ours[-1].lineno} in {ours[-1].name}()"
    message = (str(exc).strip().splitlines() or [""])[0]
    return (f"internal error, a bug in digitocr: {type(exc).__name__}{': ' + message if message else ''}{where} "
            "(please report it; DIGITOCR_DEBUG=1 shows the traceback)")


def cmd_classify(args) -> int:
    from digitocr.classifier import Classifier, load_image

    clf = Classifier(args.model)
    status = 0
    for name in args.images:
        try:
            probs = clf.classify_image(load_image(name))
        except DigitocrError as exc:
            print(f"digitocr: {exc}", file=sys.stderr)
            status = 2
            continue
        order = probs.argsort()[::-1]
        not_a_digit = clf.not_a_digit(probs)  # 0.0 for a model without that output
        if args.json:
            print(json.dumps({"file": name, "digit": int(order[0]), "confidence": round(float(probs[order[0]]), 4),
                              "probabilities": [round(float(p), 4) for p in probs],
                              "not_a_digit": round(not_a_digit, 4)}))
        elif not_a_digit > probs[order[0]]:
            print(f"{name}\tnot a digit\t{not_a_digit:.3f}\t(best digit: {order[0]} {probs[order[0]]:.3f})")
        else:
            print(f"{name}\t{order[0]}\t{probs[order[0]]:.3f}\t(next: {order[1]} {probs[order[1]]:.3f})")
    return status


def cmd_data_fetch(args) -> int:
    from digitocr.data.fetch import fetch_mnist

    folder = fetch_mnist(args.dest, mirrors=args.mirror, retries=args.retries)
    print(f"MNIST verified in {folder}")
    return 0


def cmd_data_verify(args) -> int:
    from digitocr.data.mnist import FILES, checksums, load_split

    for split in ("train", "test"):
        images, _ = load_split(split, args.data)
        print(f"{split}: {len(images)} images and labels, magic numbers and counts good")
    sums = checksums(args.data)
    for spec in FILES.values():
        print(f"{spec.name}  md5 {sums[spec.name]}  ok")
    return 0


def cmd_data_export_csv(args) -> int:
    from digitocr.data.kaggle import export_mnist_csv

    for path in export_mnist_csv(args.data, args.out):
        print(f"wrote {path}")
    return 0


def cmd_train(args) -> int:
    from digitocr.data.sources import load_dataset

    if args.arch == "strings":
        return train_strings(args)
    from digitocr.training.fit import TrainConfig, train

    params = _params(args.params)
    train_keys = {"lr", "weight_decay", "label_smoothing", "batch_size", "ema_decay", "signs"}
    config = TrainConfig(arch=args.arch, epochs=args.epochs, seed=args.seed, batch_size=args.batch_size,
                         lr=args.lr, patience=args.patience, val_size=args.val_size, limit=args.limit,
                         augment=not args.no_augment, not_a_digit=args.not_a_digit,
                         neighbours=args.neighbours, redrawn=args.redrawn)
    for key in train_keys & params.keys():
        setattr(config, key, params[key])
    config.augment_params = params.get("augment", {})
    config.model_params = {k: v for k, v in params.items() if k not in train_keys | {"augment"}}
    dataset = load_dataset(data=args.data, csv=args.csv, images=args.images)
    print(f"training {args.arch} on {dataset.source}: {len(dataset.labels)} images -> {args.out}")
    metrics = train(config, dataset, args.out, resume=args.resume, progress=not args.quiet, device=args.device)
    print(f"best validation accuracy {100 * metrics['val_accuracy']:.2f}% (epoch {metrics['best_epoch']}), "
          f"{metrics['train_seconds']:.0f}s; model: {Path(args.out) / 'model.onnx'}")
    return 0


def train_strings(args) -> int:
    from digitocr.data.sources import load_dataset
    from digitocr.training.strings import StringsConfig, train_strings

    if args.workers < 0:
        raise DigitocrError(f"--workers {args.workers}: give 0 or more processes")
    params = _params(args.params)
    european_p = float(params.pop("european_p", 0.0))
    signs_p = float(params.pop("signs_p", 0.0))
    config = StringsConfig(epochs=args.epochs, strings_per_epoch=args.strings, seed=args.seed,
                           val_size=args.val_size, limit=args.limit, european_p=european_p, signs_p=signs_p,
                           workers=args.workers, model_params=params or None)
    dataset = load_dataset(data=args.data, csv=args.csv, images=args.images)
    print(f"training the string reader on touching strings of {dataset.source}: {len(dataset.labels)} images "
          f"-> {args.out}")
    metrics = train_strings(config, dataset, args.out, progress=not args.quiet, device=args.device)
    print(f"best validation string accuracy {100 * metrics['val_accuracy']:.2f}% (epoch {metrics['best_epoch']}), "
          f"{metrics['train_seconds']:.0f}s; model: {Path(args.out) / 'model.onnx'}")
    return 0


def cmd_tune(args) -> int:
    from digitocr.training.tune import tune

    best = tune(arch=args.arch, trials=args.trials, epochs=args.epochs, out_dir=args.out, data_dir=args.data,
                limit=args.limit, seed=args.seed, timeout=args.timeout)
    print(json.dumps(best, indent=2))
    return 0


def cmd_evaluate(args) -> int:
    from digitocr.evaluation.run import evaluate

    metrics = evaluate(model=args.model, data=args.data, csv=args.csv, images=args.images, out_dir=args.out,
                       limit=args.limit)
    print(f"accuracy {100 * metrics['accuracy']:.2f}% on {metrics['images']} images ({metrics['errors']} wrong); "
          f"reports in {args.out}")
    return 0


def cmd_export(args) -> int:
    from digitocr.training.card import ship

    config = Path(args.run_dir) / "config.json"
    if config.is_file() and json.loads(config.read_text()).get("arch") == "strings":
        from digitocr.training.strings_card import ship_strings

        path = ship_strings(args.run_dir, args.dest, data_dir=args.data, command=args.train_command)
        print(f"shipped {path} and its model card")
        return 0
    path = ship(args.run_dir, args.dest, data_dir=args.data, command=args.train_command, quantize=not args.float32)
    print(f"shipped {path} and its model card")
    return 0


# What `digitocr serve` imports from the serve extra: missing, it says how to install them.
SERVE_MODULES = {"fastapi", "fastapi_offline", "uvicorn", "python_multipart", "starlette", "anyio", "pydantic"}


def cmd_serve(args) -> int:
    try:
        from digitocr.serving.server import serve
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in SERVE_MODULES:
            raise
        print("digitocr: error: 'digitocr serve' needs the serve extra: pip install 'digitocr[serve]'",
              file=sys.stderr)
        return 2
    serve(args.host, args.port, max_upload_bytes=round(args.max_upload_mb * 2**20), max_pages=args.max_pages,
          max_pixels=args.max_pixels, model=args.model)
    return 0


def cmd_kaggle_predict(args) -> int:
    from digitocr.data.kaggle import predict_submission

    n = predict_submission(args.csv, args.out, model=args.model)
    print(f"wrote {args.out} ({n} predictions)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except DigitocrError as exc:
        print(f"digitocr: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("digitocr: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # whoever read our output stopped early (`| head`): not a fault
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit flush stays quiet
        return 0


if __name__ == "__main__":
    sys.exit(main())
