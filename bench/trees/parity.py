#!/usr/bin/python3
"""Parity of fitserve's tree models (io.fitserve.ml.trees) against scikit-learn.

Run from the repository root after `./mvnw -B -q test-compile`:

    OMP_NUM_THREADS=1 /usr/bin/python3 bench/trees/parity.py --threads 1 [--out bench/trees/RESULTS.md]

(single-threaded on both sides: on a shared, oversubscribed machine scikit-learn's OpenMP
threads spin and a 1,500-row HistGradientBoosting fit can take 20 s instead of 0.6 s).
fitserve's fit time is the faster of two fits in one JVM (the first includes JIT warm-up,
shown separately).

Generates the datasets with fixed seeds, writes train/test CSVs into a temp dir, fits
HistGradientBoostingClassifier/Regressor() and RandomForestClassifier/Regressor(random_state=0)
and runs TreesParityMain (java -cp target/test-classes:target/classes) on the same CSVs.
Prints a Markdown table (and writes it into RESULTS.md between the parity markers).
Uses Debian's python3-sklearn (1.2.1); scikit-learn is an oracle here, never a runtime dependency.
"""
import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time

import numpy as np
import sklearn
from sklearn.datasets import make_classification, make_friedman1, make_moons, make_regression
from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor,
                              RandomForestClassifier, RandomForestRegressor)
from sklearn.impute import SimpleImputer
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def mixed(n=2000, seed=0):
    """Binary target from 8 numeric features and a 3-level categorical; ~2% numeric cells missing."""
    rng = np.random.RandomState(seed)
    X, y0 = make_classification(n_samples=n, n_features=8, n_informative=5, random_state=seed)
    cat = rng.randint(0, 3, size=n)
    # the category shifts the class: level 1 pushes towards class 1, level 2 towards class 0
    logit = (2 * y0 - 1) * 1.5 + np.where(cat == 1, 1.5, np.where(cat == 2, -1.5, 0.0))
    y = (rng.rand(n) < 1 / (1 + np.exp(-logit))).astype(int)
    mask = rng.rand(n, 8) < 0.02
    X = X.copy()
    X[mask] = np.nan
    X = np.column_stack([X, cat.astype(float)])
    return X, y, [8], {8: 3}


def datasets():
    X, y = make_classification(n_samples=2000, n_features=20, random_state=0)
    yield "binary 2000x20", "binary", X, y, [], {}
    X, y = make_classification(n_samples=2000, n_features=20, n_informative=10, n_classes=4, random_state=0)
    yield "4-class 2000x20", "multiclass", X, y, [], {}
    X, y = make_moons(n_samples=1000, noise=0.2, random_state=0)
    yield "moons 1000 noise 0.2", "binary", X, y, [], {}
    X, y = make_classification(n_samples=2000, n_features=20, weights=[0.9, 0.1], random_state=0)
    yield "imbalanced 90/10 2000x20", "binary", X, y, [], {}
    X, y, cat_idx, counts = mixed()
    yield "mixed: 3-level categorical + 2% missing", "binary", X, y, cat_idx, counts
    X, y = make_regression(n_samples=2000, n_features=20, noise=10, random_state=0)
    yield "make_regression noise 10", "regression", X, y, [], {}
    X, y = make_friedman1(n_samples=2000, noise=1.0, random_state=0)
    yield "friedman1 2000", "regression", X, y, [], {}


def write_csv(path, X, y):
    with open(path, "w") as f:
        f.write(",".join([f"x{i}" for i in range(X.shape[1])] + ["y"]) + "\n")
        for row, t in zip(X, y):
            f.write(",".join("" if np.isnan(v) else repr(float(v)) for v in row) + "," + repr(float(t)) + "\n")


def run_java(train, test, task, model, counts, threads):
    cmd = ["java", "-cp", "target/test-classes:target/classes", "io.fitserve.ml.trees.TreesParityMain",
           train, test, task, model, "--repeat", "2"]
    if counts:
        cmd += ["--cat", ",".join(f"{k}:{v}" for k, v in counts.items())]
    if threads:
        cmd += ["--threads", str(threads)]
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
    fields = dict(kv.split("=") for kv in out.split())
    return float(fields["value"]), float(fields["fit_seconds"]), float(fields["first_fit_seconds"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=None)
    ap.add_argument("--threads", type=int, default=0)
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, task, X, y, cat_idx, counts in datasets():
            Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=0,
                                                  stratify=y if task != "regression" else None)
            tr = os.path.join(tmp, "train.csv")
            te = os.path.join(tmp, "test.csv")
            write_csv(tr, Xtr, ytr)
            write_csv(te, Xte, yte)
            metric = r2_score if task == "regression" else accuracy_score
            mname = "R^2" if task == "regression" else "accuracy"
            for model in ("gbm", "rf"):
                note = ""
                if model == "gbm":
                    mask = np.zeros(X.shape[1], dtype=bool)
                    mask[cat_idx] = True
                    cls = HistGradientBoostingRegressor if task == "regression" else HistGradientBoostingClassifier
                    est = cls(categorical_features=mask if cat_idx else None)
                    Xs_tr, Xs_te = Xtr, Xte
                    label = "HistGradientBoosting"
                else:
                    cls = RandomForestRegressor if task == "regression" else RandomForestClassifier
                    est = cls(random_state=0, n_jobs=args.threads or -1)
                    Xs_tr, Xs_te = Xtr, Xte
                    label = "RandomForest"
                    if np.isnan(Xtr).any() or np.isnan(Xte).any():
                        # scikit-learn 1.2's forests reject NaN: mean-impute for the oracle only
                        imp = SimpleImputer().fit(Xtr)
                        Xs_tr, Xs_te = imp.transform(Xtr), imp.transform(Xte)
                        note = " (sklearn: mean-imputed, category code as a number)"
                t0 = time.perf_counter()
                est.fit(Xs_tr, ytr)
                sk_s = time.perf_counter() - t0
                sk = metric(yte, est.predict(Xs_te))
                fs, fs_s, fs_first = run_java(tr, te, task, model, counts, args.threads)
                rows.append((name, label + note, mname, fs, sk, fs - sk, fs_s, fs_first, sk_s))
                print(f"{name:45s} {label:22s} {mname:8s} fitserve={fs:.4f} sklearn={sk:.4f} "
                      f"diff={fs - sk:+.4f} fit {fs_s:.2f}s vs {sk_s:.2f}s", flush=True)
    table = ["| dataset | model | metric | fitserve | sklearn | diff | fitserve fit s (first, JIT) | sklearn fit s |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        table.append(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]:.4f} | {r[4]:.4f} | {r[5]:+.4f} | {r[6]:.2f} ({r[7]:.2f}) | {r[8]:.2f} |")
    header = (f"Threads: {args.threads or 'all'} (OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}); "
              f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, python {platform.python_version()}; "
              f"{os.cpu_count()} CPUs; test split 25% (stratified for classification), random_state=0.")
    text = "\n".join([header, ""] + table) + "\n"
    print()
    print(text)
    if args.out:
        start, end = "<!-- parity:start -->", "<!-- parity:end -->"
        old = open(args.out).read() if os.path.exists(args.out) else ""
        block = f"{start}\n{text}{end}"
        if start in old and end in old:
            new = old[:old.index(start)] + block + old[old.index(end) + len(end):]
        else:
            new = old + ("\n" if old else "") + block + "\n"
        with open(args.out, "w") as f:
            f.write(new)


if __name__ == "__main__":
    sys.exit(main())
