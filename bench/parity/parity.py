#!/usr/bin/python3
"""Parity check: fitserve's default models against scikit-learn's default estimators.

For every (dataset, algorithm) pair the same train.csv is fitted by fitserve (over its REST API,
with only datasetId, target, algorithm, testFraction=0 and refit=false in the training request:
the served model trains on the same rows as scikit-learn's, the default validation split held out
for early stopping as scikit-learn holds out its own) and by a
scikit-learn Pipeline(preprocessing, default estimator); both are scored on the same test.csv.
A row PASSes when fitserve's test score is at least scikit-learn's minus a tolerance (0.01 for
accuracy and for R^2).

Run with Debian's /usr/bin/python3 (scikit-learn, numpy, pandas); HTTP uses only urllib.

    /usr/bin/python3 bench/parity/parity.py --jar target/fitserve-0.1.0-SNAPSHOT.jar
    /usr/bin/python3 bench/parity/parity.py --url http://localhost:8080 --only moons,friedman1 --quick

Exit code: 1 if any row FAILs (including a fitserve job that failed, was cancelled or timed out);
0 otherwise. Rows that fitserve cannot run at all (HTTP 4xx, e.g. an algorithm or endpoint it does
not have) are reported as "n/a" and do not fail the run unless --strict is given.
"""

import argparse
import datetime
import io
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
import warnings

import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor,
                              RandomForestClassifier, RandomForestRegressor)
from sklearn.datasets import (make_circles, make_classification, make_friedman1, make_moons,
                              make_regression)
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler
from sklearn.svm import SVC, LinearSVC

HERE = os.path.dirname(os.path.abspath(__file__))
TOLERANCE = {"accuracy": 0.01, "R^2": 0.01}
CLASSIFICATION_ALGORITHMS = ["logistic_regression", "linear_svm", "svm", "mlp", "gradient_boosting",
                             "random_forest"]
REGRESSION_ALGORITHMS = ["linear_regression", "mlp", "gradient_boosting", "random_forest"]
TREE_ALGORITHMS = {"gradient_boosting", "random_forest"}
TERMINAL = {"succeeded", "failed", "cancelled"}


# --------------------------------------------------------------------------------------------
# data sets
# --------------------------------------------------------------------------------------------

def _frame(X, y, labels=None, prefix="x"):
    df = pd.DataFrame(X, columns=[f"{prefix}{i}" for i in range(X.shape[1])])
    if labels == "str":
        df["y"] = [f"c{int(v)}" for v in y]
    elif labels == "int":
        df["y"] = y.astype(int)
    else:
        df["y"] = y
    return df


def _mixed(n):
    """Binary task whose signal is partly in a 3-level string column and a boolean column.

    make_classification with shuffle=False puts the informative features first, so x0 and x1 are
    informative; they are replaced by a binned string column `grade` and a boolean `flag`. A few
    cells of x2 are made missing to exercise imputation.
    """
    X, y = make_classification(n_samples=n, n_features=8, n_informative=4, n_redundant=0,
                               shuffle=False, random_state=5)
    df = _frame(X, y, labels="str")
    grade = np.where(df["x0"] < -0.5, "low", np.where(df["x0"] < 0.5, "mid", "high"))
    flag = np.where(df["x1"] > 0, "true", "false")
    df = df.drop(columns=["x0", "x1"])
    df.insert(0, "grade", grade)
    df.insert(1, "flag", flag)
    rng = np.random.RandomState(7)
    df.loc[rng.rand(n) < 0.02, "x2"] = np.nan
    return df


def datasets(quick):
    """name -> (task, DataFrame with target column y). Fixed seeds throughout."""
    n = 600 if quick else 2000
    small = 400 if quick else 1000
    d = {}
    X, y = make_classification(n_samples=n, n_features=20, n_informative=5, n_redundant=2,
                               random_state=0)
    d["binary"] = ("classification", _frame(X, y, labels="str"))
    X, y = make_classification(n_samples=n, n_features=20, n_informative=6, n_redundant=2,
                               n_classes=4, n_clusters_per_class=1, random_state=1)
    d["multiclass4"] = ("classification", _frame(X, y, labels="int"))
    X, y = make_moons(n_samples=small, noise=0.2, random_state=2)
    d["moons"] = ("classification", _frame(X, y, labels="int"))
    X, y = make_circles(n_samples=small, noise=0.1, factor=0.5, random_state=3)
    d["circles"] = ("classification", _frame(X, y, labels="str"))
    X, y = make_classification(n_samples=n, n_features=20, n_informative=5, n_redundant=2,
                               weights=[0.9, 0.1], random_state=4)
    d["imbalanced"] = ("classification", _frame(X, y, labels="int"))
    d["mixed"] = ("classification", _mixed(n))
    X, y = make_regression(n_samples=n, n_features=20, n_informative=10, noise=10.0,
                           random_state=6)
    d["regression"] = ("regression", _frame(X, y))
    X, y = make_friedman1(n_samples=n, n_features=10, noise=1.0, random_state=7)
    d["friedman1"] = ("regression", _frame(X, y))
    # real public data sets that scikit-learn ships on disk (no download): the "never seen" check
    from sklearn.datasets import load_breast_cancer, load_wine, load_digits, load_diabetes
    real = {"real-breast-cancer": ("classification", load_breast_cancer, "str"),
            "real-wine": ("classification", load_wine, "int"),
            "real-digits": ("classification", load_digits, "int"),
            "real-diabetes": ("regression", load_diabetes, None)}
    for name, (task, loader, labels) in real.items():
        X, y = loader(return_X_y=True)
        d[name] = (task, _frame(X, y, labels=labels))
    return d


def split(task, df):
    strat = df["y"] if task == "classification" else None
    return train_test_split(df, test_size=0.25, random_state=0, stratify=strat)


# --------------------------------------------------------------------------------------------
# scikit-learn side
# --------------------------------------------------------------------------------------------

def sk_estimator(task, algorithm):
    if task == "classification":
        return {"logistic_regression": lambda: LogisticRegression(),
                "linear_svm": lambda: LinearSVC(random_state=0),
                "svm": lambda: SVC(),
                "mlp": lambda: MLPClassifier(random_state=0),
                "gradient_boosting": lambda: HistGradientBoostingClassifier(),
                "random_forest": lambda: RandomForestClassifier(random_state=0)}[algorithm]()
    return {"linear_regression": lambda: LinearRegression(),
            "mlp": lambda: MLPRegressor(random_state=0),
            "gradient_boosting": lambda: HistGradientBoostingRegressor(),
            "random_forest": lambda: RandomForestRegressor(random_state=0)}[algorithm]()


def sk_tree_pipeline(task, algorithm, train, test):
    """Trees: no scaling or one-hot. String/boolean columns become ordinal codes (unknown and
    missing = NaN); HistGradientBoosting takes NaN and the categorical mask natively, the
    random forest (no missing-value support in scikit-learn 1.2) gets mean / most-frequent
    imputation first when there are missing values."""
    X = train.drop(columns=["y"])
    cat = [c for c in X.columns if X[c].dtype == object]
    num = [c for c in X.columns if c not in cat]
    missing = bool(train.isna().any().any() or test.isna().any().any())
    model = sk_estimator(task, algorithm)
    if algorithm == "gradient_boosting":
        if cat:
            model.set_params(categorical_features=[False] * len(num) + [True] * len(cat))
        enc = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan,
                             encoded_missing_value=np.nan)
        pre = ColumnTransformer([("num", "passthrough", num), ("cat", enc, cat)])
    else:
        enc = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)
        num_steps = [("impute", SimpleImputer(strategy="mean"))] if missing else []
        cat_steps = ([("impute", SimpleImputer(strategy="most_frequent"))] if missing else []) + \
            [("ordinal", enc)]
        pre = ColumnTransformer([("num", Pipeline(num_steps) if num_steps else "passthrough", num),
                                 ("cat", Pipeline(cat_steps), cat)])
    return Pipeline([("pre", pre), ("model", model)])


def sk_pipeline(task, algorithm, train, test):
    if algorithm in TREE_ALGORITHMS:
        return sk_tree_pipeline(task, algorithm, train, test)
    X = train.drop(columns=["y"])
    cat = [c for c in X.columns if X[c].dtype == object]
    num = [c for c in X.columns if c not in cat]
    missing = bool(train.isna().any().any() or test.isna().any().any())
    num_steps = ([("impute", SimpleImputer(strategy="mean"))] if missing else []) + \
        [("scale", StandardScaler())]
    cat_steps = ([("impute", SimpleImputer(strategy="most_frequent"))] if missing else []) + \
        [("onehot", OneHotEncoder(handle_unknown="ignore"))]
    transformers = [("num", Pipeline(num_steps), num)]
    if cat:
        transformers.append(("cat", Pipeline(cat_steps), cat))
    pre = ColumnTransformer(transformers) if cat or missing else StandardScaler()
    return Pipeline([("pre", pre), ("model", sk_estimator(task, algorithm))])


def sk_score(task, algorithm, train, test):
    pipe = sk_pipeline(task, algorithm, train, test)
    Xtr, ytr = train.drop(columns=["y"]), train["y"]
    Xte, yte = test.drop(columns=["y"]), test["y"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        t0 = time.perf_counter()
        pipe.fit(Xtr, ytr)
        secs = time.perf_counter() - t0
    pred = pipe.predict(Xte)
    score = accuracy_score(yte, pred) if task == "classification" else r2_score(yte, pred)
    return float(score), secs


# --------------------------------------------------------------------------------------------
# fitserve side (urllib only)
# --------------------------------------------------------------------------------------------

class HttpError(Exception):
    UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

    def __init__(self, status, body, method="", path=""):
        self.status = status
        self.body = body
        self.where = f"{method} {self.UUID.sub('{id}', path)}".strip()
        detail = body
        try:
            doc = json.loads(body)
            detail = doc.get("detail") or doc.get("title") or body
            errs = doc.get("errors")
            if errs:
                detail += " " + "; ".join(
                    f"{e.get('field') or e.get('column') or e.get('row') or ''}: {e.get('message')}"
                    for e in errs)
        except (ValueError, AttributeError):
            pass
        self.detail = self.UUID.sub("{id}", " ".join(str(detail).split()))
        super().__init__(f"HTTP {status} on {self.where}: {self.detail}")


# every fitserve this script starts gets this admin key (FITSERVE_ADMIN_KEY); every request sends it
PARITY_KEY = "parity-admin-" + os.urandom(16).hex()


class Fitserve:
    def __init__(self, url, timeout=120):
        self.url = url.rstrip("/")
        self.timeout = timeout

    def _request(self, method, path, body=None, headers=None):
        req = urllib.request.Request(self.url + path, data=body, method=method,
                                     headers={**(headers or {}), "Authorization": f"Bearer {PARITY_KEY}"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                data = resp.read()
                return json.loads(data) if data else None
        except urllib.error.HTTPError as e:
            raise HttpError(e.code, e.read().decode("utf-8", "replace"), method, path) from None

    def get(self, path):
        return self._request("GET", path)

    def post_json(self, path, doc):
        return self._request("POST", path, json.dumps(doc).encode(),
                             {"Content-Type": "application/json", "Accept": "application/json"})

    def upload_csv(self, name, csv_bytes):
        boundary = "----parity" + uuid.uuid4().hex
        parts = [f"--{boundary}\r\n".encode(),
                 f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'.encode(),
                 b"Content-Type: text/csv\r\n\r\n", csv_bytes, b"\r\n",
                 f"--{boundary}\r\n".encode(),
                 b'Content-Disposition: form-data; name="name"\r\n\r\n', name.encode(), b"\r\n",
                 f"--{boundary}--\r\n".encode()]
        return self._request("POST", "/api/v1/datasets", b"".join(parts),
                             {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def start_job(self, spec):
        for _ in range(600):
            try:
                return self.post_json("/api/v1/training-jobs", spec)
            except HttpError as e:
                if e.status != 429:
                    raise
                time.sleep(1.0)
        raise RuntimeError("training executor stayed full")

    def wait_job(self, job_id, timeout):
        deadline = time.monotonic() + timeout
        delay = 0.1
        while True:
            job = self.get(f"/api/v1/training-jobs/{job_id}")
            if job["status"] in TERMINAL:
                return job
            if time.monotonic() > deadline:
                try:
                    self.post_json(f"/api/v1/training-jobs/{job_id}/cancel", {})
                except HttpError:
                    pass
                job["status"] = "timeout"
                return job
            time.sleep(delay)
            delay = min(delay * 1.5, 1.0)

    def evaluate(self, model_id, dataset_id):
        return self.post_json(f"/api/v1/models/{model_id}/evaluations", {"datasetId": dataset_id})

    def predict_score(self, task, model_id, test):
        """Fallback when /evaluations is absent: score via /predictions, computed here."""
        X = test.drop(columns=["y"])
        rows = [{k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in r.items()}
                for r in X.to_dict(orient="records")]
        preds = []
        for i in range(0, len(rows), 1000):
            resp = self.post_json(f"/api/v1/models/{model_id}/predictions",
                                  {"rows": rows[i:i + 1000]})
            preds.extend(resp["predictions"])
        if task == "classification":
            truth = [str(v) for v in test["y"]]
            return float(np.mean([p["label"] == t for p, t in zip(preds, truth)]))
        return float(r2_score(test["y"], [p["value"] for p in preds]))


def csv_bytes(df):
    buf = io.StringIO()
    df.to_csv(buf, index=False, na_rep="")
    return buf.getvalue().encode()


# --------------------------------------------------------------------------------------------
# starting a jar
# --------------------------------------------------------------------------------------------

def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, jar, startup_timeout):
        self.tmp = tempfile.mkdtemp(prefix="fitserve-parity-")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(self.tmp, "fitserve.log")
        self.log = open(self.log_path, "wb")
        cmd = ["java", "-jar", os.path.abspath(jar), f"--server.port={self.port}",
               "--server.address=127.0.0.1",
               f"--fitserve.storage.data-dir={os.path.join(self.tmp, 'data')}"]
        print(f"starting {' '.join(cmd)}", file=sys.stderr)
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL,
                                     env={**os.environ, "FITSERVE_ADMIN_KEY": PARITY_KEY})
        deadline = time.monotonic() + startup_timeout
        while True:
            if self.proc.poll() is not None:
                self.stop(keep=True)
                raise RuntimeError(f"fitserve exited with {self.proc.returncode} during start-up; "
                                   f"log: {self.log_path}\n{self.tail()}")
            try:
                with urllib.request.urlopen(self.url + "/actuator/health", timeout=2) as r:
                    if json.loads(r.read()).get("status") == "UP":
                        break
            except (OSError, ValueError):
                pass
            if time.monotonic() > deadline:
                self.stop(keep=True)
                raise RuntimeError(f"fitserve not healthy after {startup_timeout}s; "
                                   f"log: {self.log_path}\n{self.tail()}")
            time.sleep(0.5)
        print(f"fitserve up at {self.url} (data under {self.tmp})", file=sys.stderr)

    def tail(self, n=40):
        try:
            with open(self.log_path, "rb") as f:
                return "\n".join(f.read().decode("utf-8", "replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self, keep=False):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        if not keep:
            shutil.rmtree(self.tmp, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# the run
# --------------------------------------------------------------------------------------------

def short(text, n=100):
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[:n - 3] + "..."


def run_pair(fs, args, name, task, algorithm, train, test, ids):
    metric = "accuracy" if task == "classification" else "R^2"
    row = {"dataset": name, "algorithm": algorithm, "metric": metric, "fitserve": None,
           "sklearn": None, "diff": None, "fs_secs": None, "sk_secs": None,
           "status": None, "note": ""}
    row["sklearn"], row["sk_secs"] = sk_score(task, algorithm, train, test)

    def na(msg, status="N/A"):
        row["note"] = f"n/a ({short(msg)})"
        row["status"] = status
        return row

    try:
        if "train" not in ids:
            ids["train"] = fs.upload_csv(f"{name}-train.csv", csv_bytes(train))["id"]
        job = fs.start_job({"datasetId": ids["train"], "target": "y", "algorithm": algorithm,
                            "testFraction": 0.0, "refit": False, **json.loads(args.extra or "{}")})
    except HttpError as e:
        return na(str(e))
    job = fs.wait_job(job["id"], args.job_timeout)
    progress = job.get("progress") or {}
    if progress.get("elapsedMs") is not None:
        row["fs_secs"] = progress["elapsedMs"] / 1000.0
    if job["status"] != "succeeded":
        err = job.get("error") or {}
        msg = (err.get("detail") or err.get("title") or json.dumps(err)) if err else ""
        return na(f"job {job['status']}: {msg}", status="FAIL")
    model_id = job["modelId"]
    try:
        if "test" not in ids:
            ids["test"] = fs.upload_csv(f"{name}-test.csv", csv_bytes(test))["id"]
        ev = fs.evaluate(model_id, ids["test"])
        key = "accuracy" if task == "classification" else "r2"
        value = (ev.get("metrics") or {}).get(key) if isinstance(ev, dict) else None
        if not isinstance(value, (int, float)):
            return na(f"evaluation response has no metrics.{key}: {json.dumps(ev)}", status="FAIL")
        row["fitserve"] = float(value)
    except HttpError as e:
        if args.predictions_fallback and e.status in (404, 405):
            try:
                row["fitserve"] = fs.predict_score(task, model_id, test)
                row["note"] = "via /predictions"
            except HttpError as e2:
                return na(str(e2))
        else:
            return na(str(e))
    row["diff"] = row["fitserve"] - row["sklearn"]
    row["status"] = "PASS" if row["fitserve"] >= row["sklearn"] - TOLERANCE[metric] - 1e-9 else "FAIL"
    return row


def fmt(v, digits=4):
    return "-" if v is None else f"{v:.{digits}f}"


def fmt_signed(v):
    return "-" if v is None else f"{v:+.4f}"


HEADERS = ["dataset", "algorithm", "metric", "fitserve", "sklearn", "diff",
           "fitserve train s", "sklearn fit s", "result"]


def table_cells(rows):
    out = []
    for r in rows:
        fsv = r["note"] if r["fitserve"] is None else fmt(r["fitserve"]) + \
            (" (" + r["note"] + ")" if r["note"] else "")
        out.append([r["dataset"], r["algorithm"], r["metric"], fsv, fmt(r["sklearn"]),
                    fmt_signed(r["diff"]), fmt(r["fs_secs"], 2), fmt(r["sk_secs"], 2),
                    r["status"]])
    return out


def text_table(rows):
    cells = table_cells(rows)
    widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h)
              for i, h in enumerate(HEADERS)]
    right = {4, 5, 6, 7}
    def line(vals):
        return "  ".join(v.rjust(w) if i in right else v.ljust(w)
                         for i, (v, w) in enumerate(zip(vals, widths))).rstrip()
    return "\n".join([line(HEADERS), line(["-" * w for w in widths])] + [line(c) for c in cells])


def md_table(rows):
    lines = ["| " + " | ".join(HEADERS) + " |",
             "| " + " | ".join("---:" if i in (4, 5, 6, 7) else "---"
                               for i in range(len(HEADERS))) + " |"]
    for c in table_cells(rows):
        lines.append("| " + " | ".join(v.replace("|", "\\|") for v in c) + " |")
    return "\n".join(lines)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def java_version(jar):
    if not jar:
        return None
    try:
        out = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=30)
        return (out.stderr or out.stdout).splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return None


def write_results(path, rows, args, target, started, counts):
    nproc = os.cpu_count()
    try:
        nproc = int(subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip())
    except (OSError, ValueError):
        pass
    jv = java_version(args.jar)
    tol = ", ".join(f"{k} {v}" for k, v in TOLERANCE.items())
    lines = [
        "# fitserve / scikit-learn parity results", "",
        f"- Date: {started.strftime('%Y-%m-%d %H:%M:%S %Z').strip()}",
        f"- Machine: {nproc} CPUs (`nproc`), {cpu_model()}",
        f"- fitserve: {target}" + (f" ({jv})" if jv else ""),
        f"- Python {platform.python_version()}, scikit-learn {sklearn.__version__}, "
        f"numpy {np.__version__}, pandas {pd.__version__}",
        f"- Command: `{' '.join(['parity.py'] + sys.argv[1:])}`",
        f"- PASS when fitserve >= sklearn - tolerance ({tol}); test split 25%, "
        "fitserve trained with testFraction 0, refit false and default validationFraction.",
        f"- Totals: {counts['PASS']} PASS, {counts['FAIL']} FAIL, {counts['N/A']} N/A", "",
        md_table(rows), "",
    ]
    with open(path, "w") as f:
        f.write("\n".join(lines))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    src = p.add_mutually_exclusive_group()
    src.add_argument("--url", default="http://localhost:8080", help="running fitserve")
    src.add_argument("--jar", help="start this fitserve jar on a free loopback port")
    p.add_argument("--only", help="comma-separated data set names")
    p.add_argument("--algorithms", help="comma-separated algorithm names")
    p.add_argument("--quick", action="store_true", help="smaller data sets")
    p.add_argument("--job-timeout", type=float, default=900, help="seconds per training job")
    p.add_argument("--startup-timeout", type=float, default=180)
    p.add_argument("--results", default=os.path.join(HERE, "RESULTS.md"),
                   help="Markdown output (default bench/parity/RESULTS.md)")
    p.add_argument("--predictions-fallback", action="store_true",
                   help="when /evaluations answers 404, score through /predictions instead")
    p.add_argument("--strict", action="store_true", help="exit 1 on n/a rows as well")
    p.add_argument("--extra", help="JSON merged into every fitserve training request (for experiments; "
                   "parity is judged on defaults only)")
    p.add_argument("--list", action="store_true", help="list data sets and exit")
    args = p.parse_args()

    all_sets = datasets(args.quick)
    if args.list:
        for name, (task, df) in all_sets.items():
            print(f"{name:12s} {task:15s} {df.shape[0]} rows, {df.shape[1] - 1} features")
        return 0
    names = list(all_sets)
    if args.only:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in all_sets]
        if unknown:
            p.error(f"unknown data set(s) {unknown}; known: {', '.join(all_sets)}")
    wanted = None
    if args.algorithms:
        wanted = [a.strip() for a in args.algorithms.split(",") if a.strip()]
        unknown = [a for a in wanted if a not in CLASSIFICATION_ALGORITHMS + REGRESSION_ALGORITHMS]
        if unknown:
            p.error(f"unknown algorithm(s) {unknown}")

    started = datetime.datetime.now().astimezone()
    server = None
    try:
        if args.jar:
            server = Server(args.jar, args.startup_timeout)
            fs = Fitserve(server.url)
            target = f"`{args.jar}` (started by the script)"
        else:
            fs = Fitserve(args.url)
            target = args.url
            try:
                fs.get("/actuator/health")
            except (OSError, HttpError) as e:
                print(f"fitserve at {args.url} is not reachable: {e}", file=sys.stderr)
                return 2
        rows = []
        for name in names:
            task, df = all_sets[name]
            train, test = split(task, df)
            algs = CLASSIFICATION_ALGORITHMS if task == "classification" else REGRESSION_ALGORITHMS
            if wanted is not None:
                algs = [a for a in algs if a in wanted]
            ids = {}
            for alg in algs:
                try:
                    row = run_pair(fs, args, name, task, alg, train, test, ids)
                except (OSError, ValueError, KeyError, RuntimeError) as e:  # network trouble etc.
                    row = {"dataset": name, "algorithm": alg,
                           "metric": "accuracy" if task == "classification" else "R^2",
                           "fitserve": None, "sklearn": None, "diff": None, "fs_secs": None,
                           "sk_secs": None, "status": "FAIL",
                           "note": f"n/a ({short(type(e).__name__ + ': ' + str(e))})"}
                rows.append(row)
                print(f"  {name:12s} {alg:20s} fitserve={row['note'] if row['fitserve'] is None else fmt(row['fitserve'])}"
                      f"  sklearn={fmt(row['sklearn'])}  {row['status']}", file=sys.stderr, flush=True)
    finally:
        if server:
            server.stop()

    counts = {k: sum(r["status"] == k for r in rows) for k in ("PASS", "FAIL", "N/A")}
    print(text_table(rows))
    print(f"\n{counts['PASS']} PASS, {counts['FAIL']} FAIL, {counts['N/A']} N/A")
    write_results(args.results, rows, args, target, started, counts)
    print(f"wrote {args.results}")
    return 1 if counts["FAIL"] or (args.strict and counts["N/A"]) else 0


if __name__ == "__main__":
    sys.exit(main())
