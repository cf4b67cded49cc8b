"""The `digitocr` command: parse, call, print. Thin.

Heavy imports (torch, matplotlib, sklearn) happen inside the commands that need them, so that
`digitocr read` and `digitocr classify` start fast and never import torch.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from digitocr.errors import DigitocrError

EPILOG = """examples:
  digitocr data fetch --dest data/mnist          download and verify MNIST
  digitocr train --arch cnn --data data/mnist --out runs/cnn
  digitocr evaluate --model runs/cnn/model.onnx --data data/mnist --out runs/cnn/eval
  digitocr classify my_digit.png                 what digit is this?

The MNIST folder can also come from the DIGITOCR_DATA environment variable."""


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

    p = sub.add_parser("classify", help="classify images of single digits with the shipped model",
                       description="Print the digit, its confidence and the runner-up for each image "
                                   "(one digit per image, dark ink on light paper, any size).")
    p.add_argument("images", nargs="+", metavar="IMAGE")
    p.add_argument("--model", metavar="PATH", help="an ONNX model (default: the shipped one)")
    p.add_argument("--json", action="store_true", help="print JSON Lines with all ten probabilities")
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
    p.add_argument("--arch", default="cnn", help="cnn (ours), baseline (the seeds'), or mlp (default: %(default)s)")
    p.add_argument("--epochs", type=int, default=30, help="most epochs to train (default: %(default)s)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    p.add_argument("--out", required=True, metavar="RUN_DIR", help="the run folder")
    add_data_source(p, "train on")
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=3e-3, help="peak learning rate (default: %(default)s)")
    p.add_argument("--patience", type=int, default=8, help="early stopping patience in epochs (default: %(default)s)")
    p.add_argument("--val-size", type=int, default=5000, help="validation images (default: %(default)s)")
    p.add_argument("--limit", type=int, metavar="N", help="train on the first N images only (a quick run)")
    p.add_argument("--no-augment", action="store_true", help="train on the images as they are")
    p.add_argument("--params", metavar="JSON", help="model and training parameters as JSON, e.g. a "
                   "best_params.json from 'digitocr tune' or '{\"width\": 48}'")
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
    p.set_defaults(func=cmd_export)

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


def _params(text: str | None) -> dict:
    if not text:
        return {}
    path = Path(text)
    try:
        return json.loads(path.read_text() if path.is_file() else text)
    except json.JSONDecodeError as exc:
        raise DigitocrError(f"--params: not valid JSON ({exc})") from None


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
        if args.json:
            print(json.dumps({"file": name, "digit": int(order[0]), "confidence": round(float(probs[order[0]]), 4),
                              "probabilities": [round(float(p), 4) for p in probs]}))
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
    from digitocr.training.fit import TrainConfig, train

    params = _params(args.params)
    train_keys = {"lr", "weight_decay", "label_smoothing", "batch_size", "ema_decay"}
    config = TrainConfig(arch=args.arch, epochs=args.epochs, seed=args.seed, batch_size=args.batch_size,
                         lr=args.lr, patience=args.patience, val_size=args.val_size, limit=args.limit,
                         augment=not args.no_augment)
    for key in train_keys & params.keys():
        setattr(config, key, params[key])
    config.augment_params = params.get("augment", {})
    config.model_params = {k: v for k, v in params.items() if k not in train_keys | {"augment"}}
    dataset = load_dataset(data=args.data, csv=args.csv, images=args.images)
    print(f"training {args.arch} on {dataset.source}: {len(dataset.labels)} images -> {args.out}")
    metrics = train(config, dataset, args.out, resume=args.resume, progress=not args.quiet)
    print(f"best validation accuracy {100 * metrics['val_accuracy']:.2f}% (epoch {metrics['best_epoch']}), "
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

    path = ship(args.run_dir, args.dest, data_dir=args.data, command=args.train_command)
    print(f"shipped {path} and its model card")
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


if __name__ == "__main__":
    sys.exit(main())
