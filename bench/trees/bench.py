#!/usr/bin/python3
"""Speed benchmark: fitserve trees vs scikit-learn on 200,000 x 50 make_classification (binary).

Run through bench/trees/bench.sh (it compiles first). Fits, side by side in one run on the same
CSVs: HistGradientBoostingClassifier() vs fitserve gradient boosting (both hold out 10% for
early stopping, sklearn's early_stopping="auto" for >10,000 rows) and
RandomForestClassifier(n_jobs=-1) vs fitserve's random forest (100 trees, all cores).
Test set: 50,000 further rows. Writes the table into RESULTS.md between the bench markers.
"""
import argparse
import os
import platform
import subprocess
import tempfile
import time

import numpy as np
import sklearn
from sklearn.datasets import make_classification
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.metrics import accuracy_score

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--out", default=None)
    ap.add_argument("--models", default="gbm,rf")
    ap.add_argument("--threads", type=int, default=0,
                    help="fitserve threads and RandomForest n_jobs (0 = all); set OMP_NUM_THREADS for sklearn's GBM")
    ap.add_argument("--marker", default="bench", help="RESULTS.md section marker (bench, bench-1thread, ...)")
    args = ap.parse_args()
    n_test = 50_000
    X, y = make_classification(n_samples=args.rows + n_test, n_features=50, n_informative=20, random_state=0)
    Xtr, ytr, Xte, yte = X[:args.rows], y[:args.rows], X[args.rows:], y[args.rows:]
    load = os.getloadavg()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tr, te = os.path.join(tmp, "train.csv"), os.path.join(tmp, "test.csv")
        header = ",".join([f"x{i}" for i in range(50)] + ["y"])
        np.savetxt(tr, np.column_stack([Xtr, ytr]), delimiter=",", header=header, comments="", fmt="%.17g")
        np.savetxt(te, np.column_stack([Xte, yte]), delimiter=",", header=header, comments="", fmt="%.17g")
        for model in args.models.split(","):
            est = HistGradientBoostingClassifier() if model == "gbm" else RandomForestClassifier(n_jobs=args.threads or -1, random_state=0)
            t0 = time.perf_counter()
            est.fit(Xtr, ytr)
            sk_s = time.perf_counter() - t0
            sk_acc = accuracy_score(yte, est.predict(Xte))
            sk_iter = getattr(est, "n_iter_", len(getattr(est, "estimators_", [])))
            cmd = ["java", "-Xmx8g", "-cp", "target/test-classes:target/classes",
                   "io.fitserve.ml.trees.TreesParityMain", tr, te, "binary", model]
            if args.threads:
                cmd += ["--threads", str(args.threads)]
            out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
            f = dict(kv.split("=") for kv in out.split())
            fs_s, fs_acc = float(f["fit_seconds"]), float(f["value"])
            label = ("HistGradientBoostingClassifier()" if model == "gbm"
                     else f"RandomForestClassifier(n_jobs={args.threads or -1})")
            rows.append((model, label, fs_s, sk_s, fs_acc, sk_acc, f["iterations"], sk_iter))
            print(f"{model}: fitserve {fs_s:.1f}s acc {fs_acc:.4f} ({f['iterations']} it) | sklearn {sk_s:.1f}s "
                  f"acc {sk_acc:.4f} ({sk_iter} it)", flush=True)
    lines = [f"{args.rows:,} x 50 make_classification(n_informative=20, random_state=0), binary; test = 50,000 more rows. "
             f"Machine: {os.cpu_count()} CPUs ({cpu_model()}), shared with other jobs (load average at start "
             f"{load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f}): timings are noisy. scikit-learn {sklearn.__version__}, "
             f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}; fitserve threads: {args.threads or 'all cores'}, one cold JVM fit "
             "(timed inside Java, CSV parsing excluded).",
             "",
             "| model | fitserve fit s | sklearn fit s | time ratio (fitserve/sklearn) | fitserve accuracy | sklearn accuracy | diff | iterations / trees (fitserve, sklearn) |",
             "|---|---|---|---|---|---|---|---|"]
    for m, label, fs_s, sk_s, fs_acc, sk_acc, fi, si in rows:
        lines.append(f"| {label} | {fs_s:.1f} | {sk_s:.1f} | {fs_s / sk_s:.2f} | {fs_acc:.4f} | {sk_acc:.4f} | "
                     f"{fs_acc - sk_acc:+.4f} | {fi}, {si} |")
    text = "\n".join(lines) + "\n"
    print()
    print(text)
    if args.out:
        start, end = f"<!-- {args.marker}:start -->", f"<!-- {args.marker}:end -->"
        old = open(args.out).read() if os.path.exists(args.out) else ""
        block = f"{start}\n{text}{end}"
        if start in old and end in old:
            new = old[:old.index(start)] + block + old[old.index(end) + len(end):]
        else:
            new = old + ("\n" if old else "") + block + "\n"
        with open(args.out, "w") as fh:
            fh.write(new)


if __name__ == "__main__":
    main()
