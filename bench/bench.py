#!/usr/bin/python3
"""fitserve benchmark suite: every workload against fitserve and its peer in the same run.

Normally started through bench/run.sh, which builds the fitserve jar and the peer app first:

    bench/run.sh [--quick] [--repeats N] [--only W1,W6]

Direct use (jars already built):

    /usr/bin/python3 bench/bench.py --jar target/fitserve-0.1.0-SNAPSHOT.jar \
        --peer-jar bench/peer/target/bench-peer.jar --quick

Workloads (see bench/README.md): W1 ingest, W2 logreg, W3 linreg, W4 mlp, W5 svm, W6 serving,
W7 startup, W8 scale. Peers: pandas / scikit-learn / numpy (Debian's python3-sklearn, python3-pandas) and a
bare Spring Boot endpoint (bench/peer). Data is generated with fixed seeds and cached as CSV under
bench/.data. The script measures; it does not assert targets: it exits 0 unless it cannot start
at all (2) -- a failing workload is recorded as "error: ..." in its row.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TERMINAL = {"succeeded", "failed", "cancelled"}

WORKLOADS = [("W1", "ingest"), ("W2", "logreg"), ("W3", "linreg"), ("W4", "mlp"), ("W5", "svm"),
             ("W6", "serving"), ("W7", "startup"), ("W8", "scale")]

# sizes: rows of training data (the held-out test set is extra), features
FULL = {
    "ingest_rows": 1_000_000, "ingest_cols": 20,
    "logreg_rows": [200_000, 1_000_000], "linreg_rows": 1_000_000, "linreg_cols": 20,
    "mlp_rows": 200_000, "svm_rows": 200_000, "cols": 50, "test_rows": 50_000,
    "serving_rows": 10_000, "serving_duration": 30, "serving_warmup": 10, "batch_rows": 10_000,
    "scale_rows": [1_000_000, 10_000_000], "scale_cols": 20, "scale_test_rows": 100_000,
}
QUICK = {
    "ingest_rows": 200_000, "ingest_cols": 20,
    "logreg_rows": [50_000], "linreg_rows": 100_000, "linreg_cols": 20,
    "mlp_rows": 50_000, "svm_rows": 50_000, "cols": 50, "test_rows": 10_000,
    "serving_rows": 5_000, "serving_duration": 5, "serving_warmup": 2, "batch_rows": 10_000,
    "scale_rows": [100_000, 1_000_000], "scale_cols": 20, "scale_test_rows": 10_000,
}


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def short(text, n=160):
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[:n - 3] + "..."


# --------------------------------------------------------------------------------------------
# data: fixed seeds, cached CSVs
# --------------------------------------------------------------------------------------------

def make_classification(n, d, seed, decimals=4):
    """Binary labels from a noisy logistic model with a few interactions (so an MLP can do a
    little better than a linear model); features have varied scales and offsets (so the
    standardization both sides do matters). Values are rounded to 4 decimals: the CSV holds them
    exactly and the peers train on exactly what fitserve parses."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d), dtype=np.float32)
    scale = rng.uniform(0.5, 3.0, d).astype(np.float32)
    offset = rng.uniform(-2.0, 2.0, d).astype(np.float32)
    w = np.zeros(d, dtype=np.float32)
    k = min(10, d)
    w[:k] = rng.standard_normal(k) * 0.8
    w[k:] = rng.standard_normal(d - k) * 0.05
    logit = X @ w + 0.6 * X[:, 0] * X[:, 1] - 0.4 * np.abs(X[:, 2]) + 0.3
    p = 1.0 / (1.0 + np.exp(-logit))
    y = (rng.random(n) < p).astype(np.int8)
    X = np.round(X * scale + offset, decimals)
    return X, y


def make_regression(n, d, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    X = np.round(X * rng.uniform(0.5, 3.0, d) + rng.uniform(-2.0, 2.0, d), 4)
    w = rng.standard_normal(d)
    y = np.round(X @ w + 1.5 + rng.standard_normal(n) * 2.0, 4)
    return X, y


def write_csv(path, X, y, label_fmt, decimals=4):
    """Fast enough CSV writer (~0.2 s per 10k rows x 50); written to a temp name, then renamed."""
    d = X.shape[1]
    header = ",".join([f"x{i}" for i in range(d)] + ["y"]) + "\n"
    fmt = ",".join([f"%.{decimals}f"] * d) + "," + label_fmt + "\n"
    tmp = path + ".part"
    with open(tmp, "w") as f:
        f.write(header)
        step = 20_000
        for i in range(0, X.shape[0], step):
            xs = X[i:i + step].astype(np.float64).tolist()
            ys = y[i:i + step].tolist()
            f.write("".join([fmt % (*r, t) for r, t in zip(xs, ys)]))
    os.replace(tmp, path)


def write_csv_fast(path, X, y, decimals=4, step=250_000):
    """The same bytes as write_csv(path, X, y, "%d", decimals) for |X| < 10^4 and 0..9 integer labels,
    formatted with numpy (fixed-width digit fields, then the unused ones dropped): write_csv's
    per-value Python formatting takes over an hour for W8's 10M x 20 on 2 CPUs, this a few minutes."""
    n, d = X.shape
    scale = 10 ** decimals
    ints = 4  # integer digits
    width = 1 + ints + 1 + decimals + 1  # sign, digits, '.', decimals, ','
    tmp = path + ".part"
    with open(tmp, "wb") as f:
        f.write((",".join([f"x{i}" for i in range(d)] + ["y"]) + "\n").encode())
        for i in range(0, n, step):
            x = X[i:i + step].astype(np.float64)
            v = np.rint(np.abs(x) * scale).astype(np.int64)
            if v.size and int(v.max()) >= 10 ** ints * scale:
                raise ValueError("write_csv_fast: a value has more than 4 integer digits")
            m = x.shape[0]
            out = np.zeros((m, d, width), dtype=np.uint8)
            out[:, :, 0] = np.where(np.signbit(x), ord("-"), 0)
            ip, fp = v // scale, v % scale
            for k in range(ints):
                p10 = 10 ** (ints - 1 - k)
                show = (ip >= p10) | (k == ints - 1)
                out[:, :, 1 + k] = np.where(show, 48 + (ip // p10) % 10, 0)
            out[:, :, 1 + ints] = ord(".")
            for k in range(decimals):
                out[:, :, 2 + ints + k] = 48 + (fp // 10 ** (decimals - 1 - k)) % 10
            out[:, :, width - 1] = ord(",")
            lab = np.asarray(y[i:i + step]).astype(np.int64)
            if lab.size and (lab.min() < 0 or lab.max() > 9):
                raise ValueError("write_csv_fast: labels must be 0..9")
            tail = np.empty((m, 2), dtype=np.uint8)
            tail[:, 0] = 48 + lab
            tail[:, 1] = ord("\n")
            rows = np.concatenate([out.reshape(m, d * width), tail], axis=1).ravel()
            f.write(rows[rows != 0].tobytes())
    os.replace(tmp, path)


class Data:
    """Generated data sets, cached as CSV under data_dir (the arrays are regenerated: cheap and
    deterministic)."""

    def __init__(self, data_dir):
        self.dir = data_dir
        os.makedirs(self.dir, exist_ok=True)

    def csv(self, name, X, y, label_fmt, decimals=4, fast=False):
        path = os.path.join(self.dir, f"{name}.csv")
        marker = path + ".ok"
        stamp = f"{X.shape} {decimals} {np.__version__} v1"
        if os.path.exists(path) and os.path.exists(marker) and open(marker).read() == stamp:
            return path
        t0 = time.perf_counter()
        if fast:
            write_csv_fast(path, X, y, decimals)
        else:
            write_csv(path, X, y, label_fmt, decimals)
        with open(marker, "w") as f:
            f.write(stamp)
        log(f"wrote {path} ({os.path.getsize(path) / 1e6:.0f} MB, {time.perf_counter() - t0:.1f} s)")
        return path

    def classification(self, tag, n_train, n_test, d, seed):
        X, y = make_classification(n_train + n_test, d, seed)
        Xtr, ytr, Xte, yte = X[:n_train], y[:n_train], X[n_train:], y[n_train:]
        base = f"{tag}-clf-s{seed}-{n_train}+{n_test}x{d}"
        return {"Xtr": Xtr, "ytr": ytr, "Xte": Xte, "yte": yte,
                "train_csv": self.csv(base + "-train", Xtr, ytr, "%d"),
                "test_csv": self.csv(base + "-test", Xte, yte, "%d") if n_test else None}

    def regression(self, tag, n_train, n_test, d, seed):
        X, y = make_regression(n_train + n_test, d, seed)
        Xtr, ytr, Xte, yte = X[:n_train], y[:n_train], X[n_train:], y[n_train:]
        base = f"{tag}-reg-s{seed}-{n_train}+{n_test}x{d}"
        return {"Xtr": Xtr, "ytr": ytr, "Xte": Xte, "yte": yte,
                "train_csv": self.csv(base + "-train", Xtr, ytr, "%.4f"),
                "test_csv": self.csv(base + "-test", Xte, yte, "%.4f")}


# --------------------------------------------------------------------------------------------
# HTTP (urllib; uploads through curl, which streams the file)
# --------------------------------------------------------------------------------------------

class HttpError(Exception):
    def __init__(self, status, body, method, path):
        self.status = status
        detail = body
        try:
            doc = json.loads(body)
            detail = doc.get("detail") or doc.get("title") or body
            if doc.get("errors"):
                detail += " " + "; ".join(
                    f"{e.get('field') or e.get('column') or e.get('row') or ''}: {e.get('message')}"
                    for e in doc["errors"])
        except (ValueError, AttributeError):
            pass
        path = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "{id}", path)
        super().__init__(f"HTTP {status} on {method} {path}: {short(detail, 200)}")


# fitserve needs an API key on /api/**: every fitserve this script starts gets this admin key through
# FITSERVE_ADMIN_KEY, and every request sends it (the bare peer app ignores the header).
BENCH_KEY = "bench-admin-" + os.urandom(16).hex()
AUTH_HEADER = f"Authorization: Bearer {BENCH_KEY}"


class Client:
    def __init__(self, url, timeout=600):
        self.url = url.rstrip("/")
        self.timeout = timeout

    def request(self, method, path, doc=None, raw=None, headers_out=None):
        """The parsed JSON answer; headers_out (a dict), when given, receives the response headers."""
        body = raw if raw is not None else (json.dumps(doc).encode() if doc is not None else None)
        headers = {"Accept": "application/json", "Authorization": f"Bearer {BENCH_KEY}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.url + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                data = resp.read()
                if headers_out is not None:
                    headers_out.update((k.lower(), v) for k, v in resp.headers.items())
                return json.loads(data) if data else None
        except urllib.error.HTTPError as e:
            raise HttpError(e.code, e.read().decode("utf-8", "replace"), method, path) from None

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, doc):
        return self.request("POST", path, doc)

    def delete(self, path):
        try:
            self.request("DELETE", path)
        except (HttpError, OSError) as e:
            log(f"cleanup: {e}")

    def upload(self, csv_path, name, raw=False, stream=False):
        """curl -F file=@csv (multipart), or with raw=True curl --data-binary @csv -H 'Content-Type: text/csv'
        (the CSV as the request body); stream=True sends the raw body with curl -T (read as it is sent:
        --data-binary reads the whole file first, and ran out of memory on W8's 1.5 GB CSV).
        Returns (seconds until the response, body doc)."""
        out = tempfile.NamedTemporaryFile(prefix="bench-upload-", suffix=".json", delete=False)
        out.close()
        try:
            cmd = ["curl", "-sS", "--max-time", "3600", "-H", "Expect:", "-H", "Accept: application/json",
                   "-H", AUTH_HEADER, "-o", out.name, "-w", "%{http_code} %{time_total}"]
            if raw:
                cmd += ["-H", "Content-Type: text/csv"]
                cmd += ["-X", "POST", "-T", csv_path] if stream else ["--data-binary", f"@{csv_path}"]
                cmd.append(self.url + "/api/v1/datasets?" + urllib.parse.urlencode({"name": name}))
            else:
                cmd += ["-F", f"file=@{csv_path};type=text/csv", "-F", f"name={name}", self.url + "/api/v1/datasets"]
            res = subprocess.run(cmd, capture_output=True, text=True)
            if res.returncode != 0:
                raise RuntimeError(f"curl upload failed ({res.returncode}): {short(res.stderr)}")
            code, secs = res.stdout.split()
            with open(out.name, "rb") as f:
                body = f.read().decode("utf-8", "replace")
            if code != "201":
                raise HttpError(int(code), body, "POST", "/api/v1/datasets")
            return float(secs), json.loads(body)
        finally:
            os.unlink(out.name)

    def train(self, spec, timeout):
        """Start a job, wait for it; returns the final job document."""
        for _ in range(600):
            try:
                job = self.post("/api/v1/training-jobs", spec)
                break
            except HttpError as e:
                if e.status != 429:
                    raise
                time.sleep(1.0)
        else:
            raise RuntimeError("training executor stayed full")
        deadline = time.monotonic() + timeout
        delay = 0.05
        while True:
            job = self.get(f"/api/v1/training-jobs/{job['id']}")
            if job["status"] in TERMINAL:
                break
            if time.monotonic() > deadline:
                try:
                    self.post(f"/api/v1/training-jobs/{job['id']}/cancel", {})
                except HttpError:
                    pass
                raise RuntimeError(f"job did not finish within {timeout:.0f} s (cancelled)")
            time.sleep(delay)
            delay = min(delay * 1.3, 0.5)
        if job["status"] != "succeeded":
            err = job.get("error") or {}
            raise RuntimeError(f"job {job['status']}: {short(err.get('detail') or err.get('title') or err)}")
        return job


def job_seconds(job, whole=True):
    """Job time from its own clock. whole: finishedAt - startedAt, everything the job does as a user
    waits for it (load, prepare, fit, evaluate, importance, save); else progress.elapsedMs, which
    stops when training stops (the per-epoch figures). Each falls back to the other."""
    ms = (job.get("progress") or {}).get("elapsedMs")
    if ms and not whole:
        return ms / 1000.0
    a, b = job.get("startedAt"), job.get("finishedAt")
    if a and b:
        def parse(s):
            return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
        return (parse(b) - parse(a)).total_seconds()
    if ms:
        return ms / 1000.0
    raise RuntimeError("job has neither progress.elapsedMs nor startedAt/finishedAt")


def rows_json(X, names, start=0, count=None):
    count = X.shape[0] if count is None else count
    return [dict(zip(names, map(float, r))) for r in X[start:start + count].tolist()]


def fitserve_scores(client, model_id, test_id, d, kind):
    """Held-out scores: POST /evaluations {datasetId}; on 404/405 through /predictions, computed
    here. kind: 'auc' (rocAuc + accuracy), 'acc' or 'r2'. Returns (dict, how)."""
    try:
        ev = client.post(f"/api/v1/models/{model_id}/evaluations", {"datasetId": test_id})
        m = ev.get("metrics") or ev
        return {"auc": m.get("rocAuc"), "acc": m.get("accuracy"), "r2": m.get("r2")}, "evaluations"
    except HttpError as e:
        if e.status not in (404, 405):
            raise
    X, y = d["Xte"], d["yte"]
    names = [f"x{i}" for i in range(X.shape[1])]
    preds = []
    for i in range(0, X.shape[0], 10_000):
        resp = client.post(f"/api/v1/models/{model_id}/predictions", {"rows": rows_json(X, names, i, 10_000)})
        preds.extend(resp["predictions"])
    from sklearn.metrics import accuracy_score, r2_score, roc_auc_score
    if kind == "r2":
        return {"r2": float(r2_score(y, [p["value"] for p in preds]))}, "/predictions"
    out = {"acc": float(accuracy_score([str(v) for v in y], [p["label"] for p in preds]))}
    if kind == "auc" and preds and preds[0].get("probabilities"):
        out["auc"] = float(roc_auc_score(y, [p["probabilities"].get("1", 0.0) for p in preds]))
    return out, "/predictions"


# --------------------------------------------------------------------------------------------
# processes
# --------------------------------------------------------------------------------------------

def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_kb(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


class JavaApp:
    """java -jar JAR on a free loopback port; ready when GET /actuator/health says UP."""

    live = []

    def __init__(self, name, jar, workdir, extra_args=(), timeout=300, env=None, launcher=None, jvm_args=()):
        """launcher: the command that replaces ["java", "-jar", jar] (W7's JVM options, another JDK);
        jvm_args: JVM options before -jar (W8's -Xmx4g) when there is no launcher."""
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        os.makedirs(workdir, exist_ok=True)
        self.log_path = os.path.join(workdir, f"{name}-{self.port}.log")
        self._log = open(self.log_path, "wb")
        cmd = [*(launcher or ["java", *jvm_args, "-jar", jar]), f"--server.port={self.port}",
               "--server.address=127.0.0.1", *extra_args]
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     cwd=workdir, env={**os.environ, "FITSERVE_ADMIN_KEY": BENCH_KEY, **(env or {})})
        JavaApp.live.append(self)
        self.pid = self.proc.pid
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                tail = self.tail(40)
                log(f"{name} exited with {self.proc.returncode} during start-up; log {self.log_path}:\n{tail}")
                last = [ln for ln in tail.splitlines() if re.search(r"ERROR|Exception|Error", ln)]
                self.stop()
                raise RuntimeError(f"{name} exited with {self.proc.returncode} during start-up"
                                   + (f": {short(last[-1], 200)}" if last else ""))
            try:
                with urllib.request.urlopen(self.url + "/actuator/health", timeout=1) as r:
                    if json.loads(r.read()).get("status") == "UP":
                        break
            except (OSError, ValueError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{name} not ready after {timeout} s; log {self.log_path}")
            time.sleep(0.02)
        self.ready_s = time.perf_counter() - t0

    def rss_mb(self):
        kb = proc_kb(self.pid, "VmRSS")
        return None if kb is None else kb / 1024.0

    def tail(self, n=15):
        try:
            with open(self.log_path, "rb") as f:
                return "\n".join(f.read().decode("utf-8", "replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        if self in JavaApp.live:
            JavaApp.live.remove(self)


class RssSampler(threading.Thread):
    """Peak VmRSS of a process, sampled every 10 ms, plus VmHWM after a reset of the peak
    (echo 5 > /proc/PID/clear_refs) where the kernel allows it."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.stopped = pid, 0, threading.Event()
        try:
            with open(f"/proc/{pid}/clear_refs", "w") as f:
                f.write("5")
            self.hwm_reset = True
        except OSError:
            self.hwm_reset = False

    def run(self):
        while not self.stopped.is_set():
            self.peak_kb = max(self.peak_kb, proc_kb(self.pid, "VmRSS") or 0)
            time.sleep(0.01)

    def finish(self):
        self.stopped.set()
        self.join()
        peak = self.peak_kb
        if self.hwm_reset:
            peak = max(peak, proc_kb(self.pid, "VmHWM") or 0)
        return peak / 1024.0


# --------------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------------

class Row:
    def __init__(self, workload, measure, unit, higher_better=False):
        self.workload, self.measure, self.unit, self.higher_better = workload, measure, unit, higher_better
        self.fs, self.peer = [], []
        self.fs_err = self.peer_err = None
        self.fs_acc = self.peer_acc = None
        self.peer_name = ""
        self.notes = []

    @staticmethod
    def med(xs):
        return statistics.median(xs) if xs else None

    def cells(self):
        def val(xs, err):
            if err and not xs:
                return "error: " + short(err, 110)
            return fmt_num(self.med(xs))
        f, p = self.med(self.fs), self.med(self.peer)
        ratio = f"{f / p:.2f}x" if f is not None and p not in (None, 0) else "-"
        notes = list(self.notes)
        if self.fs_err and self.fs:
            notes.append("fitserve: " + short(self.fs_err, 80))
        if self.peer_err and self.peer:
            notes.append("peer: " + short(self.peer_err, 80))
        unit = f"{self.unit} ({'higher' if self.higher_better else 'lower'} is better)"
        return [self.workload, self.measure, unit, self.peer_name or "-", val(self.fs, self.fs_err),
                val(self.peer, self.peer_err), ratio, self.fs_acc or "-", self.peer_acc or "-", "; ".join(notes)]


HEADERS = ["workload", "measure", "unit", "peer", "fitserve median", "peer median", "ratio fs/peer",
           "fitserve accuracy", "peer accuracy", "notes"]


def fmt_num(v):
    if v is None:
        return "-"
    if v == 0:
        return "0"
    a = abs(v)
    if a >= 1000:
        return f"{v:,.0f}"
    if a >= 100:
        return f"{v:.0f}"
    if a >= 10:
        return f"{v:.1f}"
    if a >= 1:
        return f"{v:.2f}"
    if a >= 0.01:
        return f"{v:.3f}"
    return f"{v:.4f}" if a >= 0.0001 else f"{v:.2e}"


def text_table(rows):
    cells = [r.cells() for r in rows]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(HEADERS)]
    widths[-1] = len(HEADERS[-1])  # notes: free text at the end of the line
    def line(vals):
        return "  ".join(v.ljust(w) for v, w in zip(vals, widths)).rstrip()
    return "\n".join([line(HEADERS), line(["-" * w for w in widths])] + [line(c) for c in cells])


def md_table(rows):
    out = ["| " + " | ".join(HEADERS) + " |", "|" + "|".join(["---"] * len(HEADERS)) + "|"]
    for r in rows:
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in r.cells()) + " |")
    return "\n".join(out)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def nproc():
    try:
        return int(subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip())
    except (OSError, ValueError):
        return os.cpu_count()


def write_results(path, rows, args, started, finished, env):
    lines = [
        "# fitserve benchmark results", "",
        f"- Date: {started.strftime('%Y-%m-%d %H:%M %Z').strip()} (run took "
        f"{(finished - started).total_seconds() / 60:.1f} min)",
        f"- Machine: {nproc()} CPUs (`nproc`), {cpu_model()}, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB RAM",
        f"- {env}",
        f"- Command: `{args.cmdline}`",
        f"- Mode: {'quick (smaller sizes)' if args.quick else 'full'}; {args.repeats} repeats per "
        "measurement, medians shown; ratio = fitserve / peer (for times < 1 means fitserve is faster, "
        "for throughput > 1 means fitserve is faster).",
        f"- OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '(unset)')}"
        + (f"; fitserve process only: {' '.join(f'{k}={v}' for k, v in args.fitserve_env.items())}"
           if args.fitserve_env else ""), "",
        md_table(rows), "",
        "## Samples", "",
        "Every repeat, in order (fitserve / peer).", "",
    ]
    for r in rows:
        if r.fs or r.peer:
            lines.append(f"- {r.workload} {r.measure}: fitserve [{', '.join(fmt_num(v) for v in r.fs)}] / "
                         f"peer [{', '.join(fmt_num(v) for v in r.peer)}] {r.unit}")
    lines.append("")
    with open(path, "w") as f:
        f.write("\n".join(lines))


# --------------------------------------------------------------------------------------------
# workloads
# --------------------------------------------------------------------------------------------

class Bench:
    def __init__(self, args, tmp):
        self.args = args
        self.size = QUICK if args.quick else FULL
        self.tmp = tmp
        self.data = Data(args.data_dir)
        self.rows = []
        self.fs = None          # the fitserve app all workloads share
        self.peer = None        # the bare Spring Boot app
        self.after_load_rss = None

    # ---- helpers ----
    def row(self, *a, **k):
        r = Row(*a, **k)
        self.rows.append(r)
        return r

    def fitserve(self):
        if self.fs is None:
            log("starting fitserve")
            self.fs = JavaApp("fitserve", self.args.jar, os.path.join(self.tmp, "fitserve"),
                              [f"--fitserve.storage.data-dir={os.path.join(self.tmp, 'fitserve', 'data')}",
                               "--fitserve.upload.max-size=4GB", "--fitserve.prediction.max-rows=10000"],
                              timeout=self.args.startup_timeout, env=self.args.fitserve_env)
            self.fs.client = Client(self.fs.url, timeout=self.args.job_timeout)
            log(f"fitserve ready at {self.fs.url} in {self.fs.ready_s:.1f} s")
        return self.fs

    def peer_app(self):
        if self.peer is None:
            log("starting the peer app")
            self.peer = JavaApp("peer", self.args.peer_jar, os.path.join(self.tmp, "peer"),
                                timeout=self.args.startup_timeout)
            log(f"peer ready at {self.peer.url} in {self.peer.ready_s:.1f} s")
        return self.peer

    def repeats(self, row=None, who=None):
        """0..repeats-1, stopping early (after at least one) once this side of this row has used
        --budget seconds, so a very slow implementation does not hold up the run; the row says so."""
        t0 = time.monotonic()
        for i in range(self.args.repeats):
            if i > 0 and row is not None and time.monotonic() - t0 > self.args.budget:
                row.notes.append(f"{who}: {i} of {self.args.repeats} repeats (time budget {self.args.budget:.0f} s)")
                return
            yield i

    def job_spec(self, ds_id, algorithm, hyper=None, holdout=0.0):
        # refit false: one fit, as the peers do (with no held-out rows nothing is refit anyway)
        spec = {"datasetId": ds_id, "target": "y", "algorithm": algorithm,
                "testFraction": holdout, "validationFraction": holdout, "refit": False, "seed": 42}
        if hyper:
            spec["hyperparameters"] = hyper
        return spec

    def upload_train_test(self, d, tag):
        c = self.fitserve().client
        _, tr = c.upload(d["train_csv"], f"{tag}-train")
        _, te = c.upload(d["test_csv"], f"{tag}-test")
        return tr["id"], te["id"]

    def fs_train_repeats(self, row, d, tag, algorithm, hyper, kind, per_epoch=False, holdout=0.0):
        """Upload train/test, run the job `repeats` times; time = the whole job (startedAt to
        finishedAt), or its training time per epoch when asked; scores the first model on the
        held-out CSV. holdout: the job's test and validation fractions. Returns the last job."""
        c = self.fitserve().client
        tr = te = None
        job = None
        try:
            tr, te = self.upload_train_test(d, tag)
            for i in self.repeats(row, "fitserve"):
                job = c.train(self.job_spec(tr, algorithm, hyper, holdout), self.args.job_timeout)
                secs = job_seconds(job, whole=not per_epoch)
                if per_epoch:
                    epochs = (job.get("progress") or {}).get("epoch") or 0
                    if not epochs:
                        raise RuntimeError("job reports no epochs")
                    secs /= epochs
                row.fs.append(secs)
                log(f"  fitserve {tag} #{i + 1}: {secs:.3f} s" + (" per epoch" if per_epoch else ""))
                if i == 0:
                    scores, how = fitserve_scores(c, job["modelId"], te, d, kind)
                    row.fs_acc = score_text(scores, kind) + ("" if how == "evaluations" else " (via /predictions)")
                    if how != "evaluations":
                        row.notes.append("POST /models/{id}/evaluations unavailable: scored via /predictions")
                else:
                    c.delete(f"/api/v1/models/{job['modelId']}")
        except Exception as e:  # noqa: BLE001 - a workload's failure is recorded, the run goes on
            row.fs_err = f"{type(e).__name__}: {e}"
            log(f"  fitserve {tag} failed: {row.fs_err}")
        finally:
            for ds in (tr, te):
                if ds:
                    c.delete(f"/api/v1/datasets/{ds}")
        return job

    def peer_repeats(self, row, name, fit, score):
        """fit() -> (seconds, model); score(model) -> accuracy text (first model only)."""
        try:
            for i in self.repeats(row, name):
                secs, model = fit()
                row.peer.append(secs)
                log(f"  {name} #{i + 1}: {secs:.3f} {row.unit}")
                if i == 0:
                    row.peer_acc = score(model)
        except Exception as e:  # noqa: BLE001
            row.peer_err = f"{type(e).__name__}: {e}"
            log(f"  {name} failed: {row.peer_err}")

    # ---- W1 ----
    def w1_ingest(self):
        n, d = self.size["ingest_rows"], self.size["ingest_cols"]
        X, y = make_classification(n, d, seed=101, decimals=6)
        path = self.data.csv(f"ingest-clf-s101-{n}x{d}", X, y, "%d", decimals=6)
        del X, y
        mb = os.path.getsize(path) / 1e6
        tput = self.row("W1 ingest", f"CSV upload {n // 1000}k x {d} + label ({mb:.0f} MB), raw body", "MB/s",
                        higher_better=True)
        tput.peer_name = "pandas read_csv"
        rss = self.row("W1 ingest", "peak RSS during raw-body upload", "MB")
        mp_tput = self.row("W1 ingest", "the same CSV as a multipart upload", "MB/s", higher_better=True)
        mp_tput.peer_name = "pandas read_csv"
        mp_rss = self.row("W1 ingest", "peak RSS during multipart upload", "MB")
        try:
            fs = self.fitserve()
            data_root = os.path.join(self.tmp, "fitserve", "data", "datasets")
            # the process before any upload: the baseline of both RSS rows (the RSS just before
            # the first multipart upload still holds what the raw one left)
            idle = fs.rss_mb()
            for i in self.repeats(tput, "fitserve"):
                # raw and multipart alternate, so both see the same machine load
                for raw, t_row, r_row in ((True, tput, rss), (False, mp_tput, mp_rss)):
                    kind = "raw" if raw else "multipart"
                    if t_row.fs_err:
                        continue  # e.g. an older jar without the raw-body upload: still measure multipart
                    before = du(data_root)
                    sampler = RssSampler(fs.pid)
                    rss_before = fs.rss_mb()
                    sampler.start()
                    try:
                        secs, doc = fs.client.upload(path, f"ingest-{kind}-{i}", raw=raw)
                    except HttpError as e:
                        t_row.fs_err = r_row.fs_err = f"{type(e).__name__}: {e}"
                        log(f"  fitserve {kind} ingest failed: {t_row.fs_err}")
                        continue
                    finally:
                        peak = sampler.finish()
                    stored = (du(data_root) - before) / 1e6
                    t_row.fs.append(mb / secs)
                    r_row.fs.append(peak)
                    if doc.get("rows") != n:
                        t_row.notes.append(f"fitserve stored {doc.get('rows')} rows, expected {n}")
                    t_row.fs_acc = f"{doc.get('rows')} rows, {doc.get('columnCount')} cols"
                    if i == 0:
                        r_row.notes.append(f"stored data {stored:.0f} MB on disk; RSS idle before any upload "
                                           f"{idle:.0f} MB, before this kind's first {rss_before:.0f} MB; peak "
                                           f"{'VmHWM after reset + ' if sampler.hwm_reset else ''}10 ms VmRSS samples")
                        r_row.stored = stored
                    log(f"  fitserve {kind} ingest #{i + 1}: {secs:.2f} s, {mb / secs:.1f} MB/s, "
                        f"peak RSS {peak:.0f} MB")
                    fs.client.delete(f"/api/v1/datasets/{doc['id']}")
            for r_row in (rss, mp_rss):
                if getattr(r_row, "stored", 0):
                    r_row.notes.append(f"peak / stored = {statistics.median(r_row.fs) / r_row.stored:.1f}x; "
                                       f"(peak - idle) / stored = "
                                       f"{(statistics.median(r_row.fs) - idle) / r_row.stored:.2f}x")
        except Exception as e:  # noqa: BLE001
            tput.fs_err = rss.fs_err = mp_tput.fs_err = mp_rss.fs_err = f"{type(e).__name__}: {e}"
            log(f"  fitserve ingest failed: {tput.fs_err}")
        try:
            import pandas as pd
            for i in self.repeats(tput, "pandas"):
                t0 = time.perf_counter()
                df = pd.read_csv(path)
                secs = time.perf_counter() - t0
                tput.peer.append(mb / secs)
                tput.peer_acc = f"{df.shape[0]} rows, {df.shape[1]} cols"
                log(f"  pandas read_csv #{i + 1}: {secs:.2f} s, {mb / secs:.1f} MB/s")
                del df
        except Exception as e:  # noqa: BLE001
            tput.peer_err = f"{type(e).__name__}: {e}"
        mp_tput.peer, mp_tput.peer_acc, mp_tput.peer_err = tput.peer, tput.peer_acc, tput.peer_err
        tput.notes.append("fitserve: curl --data-binary @csv -H 'Content-Type: text/csv' until 201 (stored + "
                          "profiled); pandas: read_csv of the same file into a DataFrame")
        mp_tput.notes.append("fitserve: curl -F file=@csv (multipart, parsed as it arrives) until 201, "
                             "alternating with the raw uploads; pandas: the same measurements as the row above")

    # ---- W2 ----
    def w2_logreg(self):
        from sklearn.linear_model import LogisticRegression
        from sklearn.metrics import log_loss, roc_auc_score
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        p = self.size["cols"]
        for n in self.size["logreg_rows"]:
            tag = f"logreg-{n // 1000}k"
            d = self.data.classification("logreg", n, self.size["test_rows"], p, seed=202)
            row = self.row("W2 logreg", f"fit {n // 1000}k x {p}, defaults (L2, C=1)", "s")
            row.peer_name = "sklearn lbfgs"
            job = self.fs_train_repeats(row, d, tag, "logistic_regression", None, "auc", holdout=0.01)
            if job and (job.get("progress") or {}).get("trainLoss") is not None:
                row.notes.append(f"fitserve final train loss {job['progress']['trainLoss']:.6f} "
                                 f"after {job['progress'].get('epoch')} iterations")

            def fit():
                m = make_pipeline(StandardScaler(), LogisticRegression())
                t0 = time.perf_counter()
                m.fit(d["Xtr"], d["ytr"])
                return time.perf_counter() - t0, m

            def score(m):
                lr = m[-1]
                Xs = m[0].transform(d["Xtr"])
                obj = log_loss(d["ytr"], lr.predict_proba(Xs)) + float(np.sum(lr.coef_ ** 2)) / (2 * len(d["ytr"]))
                row.notes.append(f"sklearn objective (mean log-loss + |w|^2/(2n)) {obj:.6f}, "
                                 f"{int(lr.n_iter_[0])} iterations")
                return score_text({"auc": roc_auc_score(d["yte"], m.decision_function(d["Xte"])),
                                   "acc": m.score(d["Xte"], d["yte"])}, "auc")

            self.peer_repeats(row, "sklearn LogisticRegression", fit, score)
            row.notes.append("times include standardization on both sides; fitserve's is the whole job "
                             "(startedAt to finishedAt, 1% test and validation hold-outs, refit false)")

    # ---- W3 ----
    def w3_linreg(self):
        from sklearn.linear_model import LinearRegression
        from sklearn.metrics import r2_score
        n, p = self.size["linreg_rows"], self.size["linreg_cols"]
        d = self.data.regression("linreg", n, self.size["test_rows"], p, seed=303)
        r_np = self.row("W3 linreg", f"exact fit {n // 1000}k x {p}", "s")
        r_np.peer_name = "numpy solve"
        self.fs_train_repeats(r_np, d, f"linreg-{n // 1000}k", "linear_regression", None, "r2", holdout=0.01)
        r_sk = self.row("W3 linreg", f"exact fit {n // 1000}k x {p}", "s")
        r_sk.peer_name = "sklearn LinearRegression"
        r_sk.fs, r_sk.fs_err, r_sk.fs_acc = r_np.fs, r_np.fs_err, r_np.fs_acc

        Xb = np.hstack([d["Xtr"], np.ones((n, 1))])
        Xte_b = np.hstack([d["Xte"], np.ones((d["Xte"].shape[0], 1))])
        y = d["ytr"]

        def fit_np():
            t0 = time.perf_counter()
            w = np.linalg.solve(Xb.T @ Xb, Xb.T @ y)
            return time.perf_counter() - t0, w

        self.peer_repeats(r_np, "numpy normal equations", fit_np,
                          lambda w: score_text({"r2": r2_score(d["yte"], Xte_b @ w)}, "r2"))
        r_np.notes.append("numpy: np.linalg.solve(X.T@X, X.T@y), float64, intercept column added "
                          "before timing; fitserve also standardizes")

        def fit_sk():
            m = LinearRegression()
            t0 = time.perf_counter()
            m.fit(d["Xtr"], y)
            return time.perf_counter() - t0, m

        self.peer_repeats(r_sk, "sklearn LinearRegression", fit_sk,
                          lambda m: score_text({"r2": m.score(d["Xte"], d["yte"])}, "r2"))

    # ---- W4 ----
    def w4_mlp(self):
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        n, p = self.size["mlp_rows"], self.size["cols"]
        d = self.data.classification("mlp", n, self.size["test_rows"], p, seed=404)
        row = self.row("W4 mlp", f"epoch, 1x64 relu, adam, batch 200, {n // 1000}k x {p}", "s/epoch")
        row.peer_name = "sklearn MLPClassifier"
        hyper = {"hiddenLayers": [64], "batchSize": 200, "epochs": 5, "earlyStoppingPatience": 0}
        self.fs_train_repeats(row, d, f"mlp-{n // 1000}k", "mlp", hyper, "acc", per_epoch=True)

        def fit():
            m = make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(64,), batch_size=200,
                                                              max_iter=5, random_state=0))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                t0 = time.perf_counter()
                m.fit(d["Xtr"], d["ytr"])
                secs = time.perf_counter() - t0
            return secs / m[-1].n_iter_, m

        self.peer_repeats(row, "sklearn MLPClassifier", fit,
                          lambda m: score_text({"acc": m.score(d["Xte"], d["yte"])}, "acc"))
        row.notes.append("5 epochs each; fitserve = job elapsed / epochs run (includes data prep and "
                         "model save); accuracy on a held-out CSV")

    # ---- W5 ----
    def w5_svm(self):
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        from sklearn.svm import LinearSVC
        n, p = self.size["svm_rows"], self.size["cols"]
        d = self.data.classification("svm", n, self.size["test_rows"], p, seed=505)
        row = self.row("W5 linear svm", f"fit {n // 1000}k x {p}, defaults (squared hinge, C=1)", "s")
        row.peer_name = "sklearn LinearSVC"
        self.fs_train_repeats(row, d, f"svm-{n // 1000}k", "linear_svm", None, "acc")

        def fit():
            m = make_pipeline(StandardScaler(), LinearSVC(random_state=0))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                t0 = time.perf_counter()
                m.fit(d["Xtr"], d["ytr"])
            return time.perf_counter() - t0, m

        self.peer_repeats(row, "sklearn LinearSVC", fit,
                          lambda m: score_text({"acc": m.score(d["Xte"], d["yte"])}, "acc"))

    # ---- W6 ----
    def w6_serving(self):
        n, p = self.size["serving_rows"], self.size["cols"]
        dur, warm = self.args.duration or self.size["serving_duration"], self.size["serving_warmup"]
        d = self.data.classification("serving", n, self.size["batch_rows"], p, seed=606)
        names = [f"x{i}" for i in range(p)]
        conns = [1, 32]
        rows = {}
        for c in conns:
            rows[c] = (self.row("W6 serving", f"1 row x {p} features, {c} conn, {dur} s", "req/s", True),
                       self.row("W6 serving", f"p50 latency, {c} conn", "ms"),
                       self.row("W6 serving", f"p99 latency, {c} conn", "ms"))
            for r in rows[c]:
                r.peer_name = "bare Spring Boot"
        batch = self.row("W6 serving", f"one {self.size['batch_rows']}-row request (client wall time)", "ms")
        batch.peer_name = "bare Spring Boot"
        batch_server = self.row("W6 serving", f"one {self.size['batch_rows']}-row request (server time, "
                                "Server-Timing)", "ms")
        batch_server.peer_name = "bare Spring Boot"
        all_rows = [r for c in conns for r in rows[c]] + [batch, batch_server]
        one = json.dumps({"rows": rows_json(d["Xte"], names, 0, 1)})
        big = json.dumps({"rows": rows_json(d["Xte"], names, 0, self.size["batch_rows"])}).encode()
        lua = os.path.join(self.tmp, "predict.lua")
        with open(lua, "w") as f:
            f.write(WRK_LUA.replace("@BODY@", lua_string(one)).replace("@KEY@", BENCH_KEY))

        targets = {}
        try:
            fs = self.fitserve()
            tr = fs.client.upload(d["train_csv"], "serving-train")[1]["id"]
            job = fs.client.train(self.job_spec(tr, "logistic_regression"), self.args.job_timeout)
            model = job["modelId"]
            fs.client.post(f"/api/v1/models/{model}/predictions", json.loads(one))  # 200 or raises
            targets["fs"] = (fs, f"{fs.url}/api/v1/models/{model}/predictions")
        except Exception as e:  # noqa: BLE001
            for r in all_rows:
                r.fs_err = f"{type(e).__name__}: {e}"
        try:
            pa = self.peer_app()
            pa_client = Client(pa.url)
            pa_client.post("/predict", json.loads(one))
            targets["peer"] = (pa, f"{pa.url}/predict")
        except Exception as e:  # noqa: BLE001
            for r in all_rows:
                r.peer_err = f"{type(e).__name__}: {e}"
        if not shutil.which("wrk"):
            for side in ("fs_err", "peer_err"):
                for c in conns:
                    for r in rows[c]:
                        setattr(r, side, "wrk not installed (apt-get install wrk)")
        # wrk: both sides warmed up, then the sides alternate within each repeat, so that load
        # drifting on the shared machine hits both alike
        for c in conns if shutil.which("wrk") else []:
            rps, p50, p99 = rows[c]
            live = {}
            for side, (app, url) in targets.items():
                try:
                    run_wrk(lua, url, c, warm)  # warm-up, discarded
                    live[side] = url
                except Exception as e:  # noqa: BLE001
                    for r in rows[c]:
                        setattr(r, side + "_err", f"{type(e).__name__}: {e}")
            for i in self.repeats():
                for side, url in list(live.items()):
                    try:
                        res = run_wrk(lua, url, c, dur)
                    except Exception as e:  # noqa: BLE001
                        for r in rows[c]:
                            setattr(r, side + "_err", f"{type(e).__name__}: {e}")
                        del live[side]
                        continue
                    bad = res["errors"] + res["non2xx"]
                    if bad:
                        rps.notes.append(f"{'fitserve' if side == 'fs' else 'peer'}: {bad} errors/non-2xx")
                    getattr(rps, side).append(res["requests"] / (res["duration_us"] / 1e6))
                    getattr(p50, side).append(res["p50_us"] / 1000)
                    getattr(p99, side).append(res["p99_us"] / 1000)
                    log(f"  wrk {side} c={c} #{i + 1}: {rps.__dict__[side][-1]:.0f} req/s, "
                        f"p50 {res['p50_us'] / 1000:.2f} ms, p99 {res['p99_us'] / 1000:.2f} ms")
        for side, (app, url) in targets.items():
            try:
                path = url[len(app.url):]
                c = Client(app.url)
                times, server = [], []
                c.request("POST", path, raw=big)  # warm-up
                for i in self.repeats():
                    headers = {}
                    t0 = time.perf_counter()
                    resp = c.request("POST", path, raw=big, headers_out=headers)
                    times.append((time.perf_counter() - t0) * 1000)
                    if len(resp["predictions"]) != self.size["batch_rows"]:
                        raise RuntimeError(f"{len(resp['predictions'])} predictions")
                    m = re.search(r"dur=([0-9.]+)", headers.get("server-timing", ""))
                    if m:
                        server.append(float(m.group(1)))
                getattr(batch, side).extend(times)
                if server:
                    getattr(batch_server, side).extend(server)
                else:
                    setattr(batch_server, side + "_err", "no Server-Timing header in the response")
                log(f"  batch {side}: {statistics.median(times):.1f} ms"
                    + (f", server {statistics.median(server):.1f} ms" if server else ""))
            except Exception as e:  # noqa: BLE001
                setattr(batch, side + "_err", f"{type(e).__name__}: {e}")
                setattr(batch_server, side + "_err", f"{type(e).__name__}: {e}")
        rows[1][0].notes.append(f"wrk -t1 (-t2 at 32 conn), {warm} s warm-up then {dur} s; client and "
                                "server share the machine's CPUs; fitserve and the peer alternate within each repeat")
        batch.notes.append("includes JSON transfer and parsing on both ends")
        batch_server.notes.append("fitserve's Server-Timing header: reading the rows from the JSON body, preprocessing "
                                  "and predicting; not receiving the body or writing the answer (the peer sends no such "
                                  "header)")
        self.after_load_rss = {k: app.rss_mb() for k, (app, _) in targets.items()}

    # ---- W7 ----
    # how each start-up mode launches a jar: (label, java binary or None for "java" on the PATH, prepare)
    W7_MODES = {
        "plain": "plain `java -jar` (Java 17)",
        "cds": "extracted jar + CDS archive (Java 17; how the Docker image runs)",
        "aot25": "extracted jar + AOT cache (Java 25, -XX:AOTCache, JEP 483/514)",
    }

    def w7_launcher(self, mode, side, jar):
        """The command that starts jar in this mode, preparing once per jar: `java -Djarmode=tools
        extract`, then a training run (`-Dspring.context.exit=onRefresh`) that writes the CDS archive or
        AOT cache, as Spring Boot documents and the Dockerfile does."""
        if mode == "plain":
            return ["java", "-jar", jar]
        key = (mode, side)
        cached = self.w7_prepared.get(key)
        if cached:
            return cached
        java = "java" if mode == "cds" else os.path.join(self.args.java25_home, "bin", "java")
        base = os.path.join(self.tmp, f"w7-{side}-{mode}")
        shutil.rmtree(base, ignore_errors=True)
        extracted = os.path.join(base, "app")
        subprocess.run([java, "-Djarmode=tools", "-jar", jar, "extract", "--destination", extracted],
                       check=True, stdout=subprocess.DEVNULL)
        app_jar = os.path.join(extracted, os.path.basename(jar))
        archive = os.path.join(base, "app.jsa" if mode == "cds" else "app.aot")
        write = f"-XX:ArchiveClassesAtExit={archive}" if mode == "cds" else f"-XX:AOTCacheOutput={archive}"
        train_dir = os.path.join(base, "training")
        os.makedirs(train_dir)
        t0 = time.perf_counter()
        with open(os.path.join(base, "training.log"), "wb") as out:
            subprocess.run([java, write, "-Dspring.context.exit=onRefresh", "-jar", app_jar, "--server.port=0",
                            f"--fitserve.storage.data-dir={os.path.join(train_dir, 'data')}"],
                           check=True, stdout=out, stderr=subprocess.STDOUT, cwd=train_dir,
                           env={**os.environ, "FITSERVE_ADMIN_KEY": BENCH_KEY})
        if not os.path.exists(archive):
            raise RuntimeError(f"the training run wrote no {archive}; see {base}/training.log")
        log(f"  W7 {mode} {side}: extracted and trained in {time.perf_counter() - t0:.0f} s, "
            f"{os.path.getsize(archive) / 1e6:.0f} MB archive")
        read = f"-XX:SharedArchiveFile={archive}" if mode == "cds" else f"-XX:AOTCache={archive}"
        self.w7_prepared[key] = [java, read, "-jar", app_jar]
        return self.w7_prepared[key]

    def w7_startup(self):
        modes = [m.strip() for m in self.args.startup_modes.split(",") if m.strip()]
        unknown = [m for m in modes if m not in self.W7_MODES]
        if unknown:
            raise ValueError(f"--startup-modes: unknown {unknown}; known: {list(self.W7_MODES)}")
        self.w7_prepared = {}
        rows = {}
        for mode in modes:
            suffix = "" if mode == "plain" else f", {mode}"
            ready = self.row("W7 startup", f"process start to /actuator/health UP{suffix}", "s")
            idle = self.row("W7 startup", f"RSS idle (fresh process, 2 s after ready){suffix}", "MB")
            for r in (ready, idle):
                r.peer_name = "bare Spring Boot"
                r.notes.append(f"{mode}: {self.W7_MODES[mode]}, the peer the same way")
            rows[mode] = (ready, idle)
        loaded = self.row("W7 startup", "RSS after the W6 serving load", "MB")
        loaded.peer_name = "bare Spring Boot"
        jars = {"fs": self.args.jar, "peer": self.args.peer_jar}
        # interleaved: each repeat starts every mode, fitserve then the peer, so load drifts hit all alike
        first = rows[modes[0]][0]
        for i in self.repeats(first, "all modes"):
            for mode in modes:
                ready, idle = rows[mode]
                for side in ("fs", "peer"):
                    if getattr(ready, side + "_err"):
                        continue
                    work = os.path.join(self.tmp, f"startup-{side}-{mode}-{i}")
                    extra = [f"--fitserve.storage.data-dir={os.path.join(work, 'data')}"] if side == "fs" else []
                    try:
                        app = JavaApp(f"{side}-startup-{mode}", jars[side], work, extra,
                                      timeout=self.args.startup_timeout,
                                      launcher=self.w7_launcher(mode, side, os.path.abspath(jars[side])))
                        try:
                            getattr(ready, side).append(app.ready_s)
                            time.sleep(2)
                            getattr(idle, side).append(app.rss_mb())
                            log(f"  start-up {mode} {side} #{i + 1}: {app.ready_s:.2f} s, "
                                f"idle RSS {app.rss_mb():.0f} MB")
                        finally:
                            app.stop()
                    except Exception as e:  # noqa: BLE001
                        setattr(ready, side + "_err", f"{type(e).__name__}: {e}")
                        setattr(idle, side + "_err", f"{type(e).__name__}: {e}")
        first.notes.append("fresh data dir each start (fitserve creates its H2 schema); 20 ms polling; "
                           "modes interleaved within each repeat")
        if self.after_load_rss is None:
            for r_side in ("fs_err", "peer_err"):
                setattr(loaded, r_side, "W6 serving did not run")
        else:
            for side in ("fs", "peer"):
                v = self.after_load_rss.get(side)
                if v is None:
                    setattr(loaded, side + "_err", "no serving load ran against it")
                else:
                    getattr(loaded, side).append(v)
            loaded.notes.append("VmRSS right after W6; the fitserve process also ran the earlier "
                                "workloads, so its heap may hold more than serving needs")

    # ---- W8 ----
    def w8_scale(self):
        """Issue 12's scale workload: the W2 job (logistic_regression defaults, 1% test and validation
        hold-outs, refit false) on 1M x 20 and 10M x 20 (quick: 100k, 1M) in one fitserve started with
        -Xmx4g, so time per row can be compared at two sizes measured the same way. Upload (raw body),
        whole-job time, peak RSS (VmHWM after a reset, and 10 ms samples) of each phase, the held-out
        scores, a streamed CSV prediction of the held-out rows; scikit-learn on the same rows."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.metrics import roc_auc_score
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        sizes, d, n_test = self.size["scale_rows"], self.size["scale_cols"], self.size["scale_test_rows"]
        app = None
        per_row = {}
        try:
            log("starting fitserve with -Xmx4g for W8")
            app = JavaApp("fitserve-w8", self.args.jar, os.path.join(self.tmp, "fitserve-w8"),
                          [f"--fitserve.storage.data-dir={os.path.join(self.tmp, 'fitserve-w8', 'data')}",
                           "--fitserve.upload.max-size=4GB", f"--fitserve.prediction.max-rows={n_test}",
                           # 500 default L-BFGS iterations x 9.8M rows is 4.9e9: the default 2e9 refuses it
                           "--fitserve.training.max-work=10000000000"],
                          timeout=self.args.startup_timeout, env=self.args.fitserve_env, jvm_args=["-Xmx4g"])
            c = Client(app.url, timeout=self.args.job_timeout)
            data_root = os.path.join(self.tmp, "fitserve-w8", "data", "datasets")
            idle = app.rss_mb()
            for n in sizes:
                label = size_label(n)
                X, y = make_classification(n + n_test, d, seed=808)
                base = f"scale-clf-s808-{n}+{n_test}x{d}"
                train_csv = self.data.csv(base + "-train", X[:n], y[:n], "%d", fast=True)
                test_csv = self.data.csv(base + "-test", X[n:], y[n:], "%d", fast=True)
                mb = os.path.getsize(train_csv) / 1e6
                up = self.row("W8 scale", f"upload {label} x {d} + label ({mb:.0f} MB), raw body, -Xmx4g", "MB/s",
                              higher_better=True)
                up_rss = self.row("W8 scale", f"peak RSS during the {label} upload", "MB")
                fit = self.row("W8 scale", f"logreg {label} x {d}, whole job (1% hold-outs, refit false)", "s")
                fit.peer_name = "sklearn lbfgs"
                fit_rss = self.row("W8 scale", f"peak RSS during the {label} job", "MB")
                pred = self.row("W8 scale", f"CSV prediction of {n_test // 1000}k rows ({label} model)", "s")
                tr = te = None
                try:
                    before = du(data_root)
                    sampler = RssSampler(app.pid)
                    sampler.start()
                    try:
                        secs, doc = c.upload(train_csv, f"scale-{label}-train", raw=True, stream=True)
                    finally:
                        peak = sampler.finish()
                    tr = doc["id"]
                    stored = (du(data_root) - before) / 1e6
                    up.fs.append(mb / secs)
                    up.fs_acc = f"{doc.get('rows')} rows, {doc.get('columnCount')} cols"
                    up_rss.fs.append(peak)
                    up_rss.notes.append(f"stored {stored:.0f} MB on disk; RSS idle {idle:.0f} MB; "
                                        f"(peak - idle) / stored = {(peak - idle) / stored:.1f}x")
                    log(f"  fitserve W8 upload {label}: {secs:.1f} s, {mb / secs:.1f} MB/s, peak RSS {peak:.0f} MB")
                    _, tdoc = c.upload(test_csv, f"scale-{label}-test", raw=True, stream=True)
                    te = tdoc["id"]
                    job = None
                    for i in self.repeats(fit, "fitserve"):
                        sampler = RssSampler(app.pid)
                        sampler.start()
                        try:
                            job = c.train(self.job_spec(tr, "logistic_regression", None, 0.01),
                                          self.args.job_timeout)
                        finally:
                            peak = sampler.finish()
                        secs = job_seconds(job)
                        fit.fs.append(secs)
                        fit_rss.fs.append(peak)
                        log(f"  fitserve W8 logreg {label} #{i + 1}: {secs:.1f} s, peak RSS {peak:.0f} MB")
                        if i == 0:
                            scores, _ = fitserve_scores(c, job["modelId"], te, {"Xte": X[n:], "yte": y[n:]}, "auc")
                            fit.fs_acc = score_text(scores, "auc")
                            prog = job.get("progress") or {}
                            fit.notes.append(f"fitserve {prog.get('epoch')} iterations, final train loss "
                                             f"{prog.get('trainLoss')}")
                            t0 = time.perf_counter()
                            res = subprocess.run(
                                ["curl", "-sS", "--fail", "--max-time", "3600", "-H", "Expect:", "-H", AUTH_HEADER,
                                 "-H", "Content-Type: text/csv", "-X", "POST", "-T", test_csv, "-o", os.devnull,
                                 f"{app.url}/api/v1/models/{job['modelId']}/predictions"],
                                capture_output=True, text=True)
                            if res.returncode != 0:
                                pred.fs_err = f"curl {res.returncode}: {short(res.stderr)}"
                            else:
                                pred.fs.append(time.perf_counter() - t0)
                        else:
                            c.delete(f"/api/v1/models/{job['modelId']}")
                    if fit.fs:
                        per_row[n] = statistics.median(fit.fs) / n
                    pred.notes.append("curl -X POST -T test.csv -H 'Content-Type: text/csv' to "
                                      "/models/{id}/predictions (streamed), until the whole answer is read")
                except Exception as e:  # noqa: BLE001
                    err = f"{type(e).__name__}: {e}"
                    for r in (up, up_rss, fit, fit_rss, pred):
                        if not r.fs:
                            r.fs_err = err
                    log(f"  fitserve W8 {label} failed: {err}; log {app.log_path}:\n{app.tail(30)}")
                    if app.proc.poll() is not None:
                        raise
                finally:
                    for ds in (tr, te):
                        if ds:
                            c.delete(f"/api/v1/datasets/{ds}")

                Xtr, ytr, Xte, yte = X[:n], y[:n], X[n:], y[n:]

                def sk_fit():
                    m = make_pipeline(StandardScaler(), LogisticRegression())
                    t0 = time.perf_counter()
                    m.fit(Xtr, ytr)
                    return time.perf_counter() - t0, m

                def sk_score(m):
                    return score_text({"auc": roc_auc_score(yte, m.decision_function(Xte)),
                                       "acc": m.score(Xte, yte)}, "auc")

                self.peer_repeats(fit, "sklearn LogisticRegression", sk_fit, sk_score)
                fit.notes.append("fitserve: startedAt to finishedAt; sklearn: StandardScaler + lbfgs fit of "
                                 "every training row (no hold-outs), float32 input")
                del X, y, Xtr, ytr, Xte, yte
            if len(per_row) == 2:
                small, big = sizes
                ratio = self.row("W8 scale", f"whole-job time per row, {size_label(big)} / {size_label(small)} "
                                 "(target <= 1.3)", "x")
                ratio.fs.append(per_row[big] / per_row[small])
                ratio.notes.append(f"median whole-job seconds per million rows: {per_row[small] * 1e6:.2f} "
                                   f"({small:,} rows), {per_row[big] * 1e6:.2f} ({big:,} rows)")
        except Exception as e:  # noqa: BLE001
            r = self.row("W8 scale", "-", "-")
            r.fs_err = f"{type(e).__name__}: {e}"
            log(f"  fitserve W8 failed: {r.fs_err}")
        finally:
            if app is not None:
                app.stop()

    def stop_all(self):
        for app in list(JavaApp.live):
            try:
                app.stop()
            except Exception as e:  # noqa: BLE001
                log(f"stopping {app.name}: {e}")


def size_label(n):
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k"


def du(path):
    total = 0
    for base, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(base, f))
            except OSError:
                pass
    return total


def score_text(s, kind):
    parts = []
    if kind == "auc" and s.get("auc") is not None:
        parts.append(f"AUC {s['auc']:.4f}")
    if kind in ("auc", "acc") and s.get("acc") is not None:
        parts.append(f"acc {s['acc']:.4f}")
    if kind == "r2" and s.get("r2") is not None:
        parts.append(f"R2 {s['r2']:.5f}")
    return ", ".join(parts) or "-"


WRK_LUA = r"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.headers["Authorization"] = "Bearer @KEY@"
wrk.body = @BODY@

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCHJSON {\"requests\":%d,\"duration_us\":%d,\"p50_us\":%d,\"p99_us\":%d,\"errors\":%d,\"non2xx\":%d}\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def lua_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def run_wrk(lua, url, conns, secs):
    threads = 1 if conns == 1 else 2
    cmd = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{secs}s", "--timeout", "10s", "-s", lua, url]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=secs + 60)
    for line in res.stdout.splitlines():
        if line.startswith("BENCHJSON "):
            out = json.loads(line[len("BENCHJSON "):])
            if out["requests"] == 0:
                raise RuntimeError("wrk made no requests")
            return out
    raise RuntimeError(f"wrk failed ({res.returncode}): {short(res.stdout + res.stderr, 300)}")


def parse_only(text):
    if not text:
        return [w for w, _ in WORKLOADS]
    out = []
    for tok in text.split(","):
        tok = tok.strip().lower()
        if not tok:
            continue
        for w, name in WORKLOADS:
            if tok in (w.lower(), w[1:], name):
                out.append(w)
                break
        else:
            raise SystemExit(f"unknown workload {tok!r}; known: "
                             + ", ".join(f"{w} ({n})" for w, n in WORKLOADS))
    return out


class Interrupted(BaseException):
    """SIGINT/SIGTERM: not an Exception, so the per-workload error handling does not swallow it."""
    pass


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--jar", required=True, help="the fitserve jar")
    p.add_argument("--peer-jar", required=True, help="bench/peer's jar")
    p.add_argument("--quick", action="store_true", help="smaller data, 5 s wrk runs")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--only", help="workloads, e.g. W1,W6 or ingest,serving")
    p.add_argument("--duration", type=int, help="seconds per wrk run (default 30, quick 5)")
    p.add_argument("--data-dir", default=os.path.join(HERE, ".data"), help="generated CSVs (cached)")
    p.add_argument("--results", default=os.path.join(HERE, "RESULTS.md"))
    p.add_argument("--job-timeout", type=float, default=1800, help="seconds per training job")
    p.add_argument("--startup-timeout", type=float, default=300)
    p.add_argument("--startup-modes", default="plain",
                   help="W7: comma-separated start-up modes, each measured for fitserve and the peer alike: "
                        "plain (java -jar), cds (extracted jar + Java 17 CDS archive from a training run: "
                        "how the Docker image runs), aot25 (extracted jar + Java 25 AOT cache; needs "
                        "--java25-home)")
    p.add_argument("--java25-home", default="/usr/lib/jvm/temurin-25-jdk-amd64",
                   help="W7 aot25 mode: the Java 25 JDK")
    p.add_argument("--budget", type=float, help="seconds one side of one row may spend on repeats "
                   "before it stops at the samples it has (default 600, quick 45)")
    p.add_argument("--keep-temp", action="store_true", help="keep the temp dir (logs, fitserve data)")
    p.add_argument("--fitserve-env", action="append", default=[], metavar="KEY=VALUE",
                   help="environment for the fitserve process only, e.g. OMP_NUM_THREADS=1 (repeatable)")
    args = p.parse_args()
    args.cmdline = os.environ.get("BENCH_CMDLINE", "bench/bench.py " + " ".join(sys.argv[1:])).strip()
    if args.repeats < 1:
        p.error("--repeats must be >= 1")
    if any("=" not in kv for kv in args.fitserve_env):
        p.error("--fitserve-env takes KEY=VALUE")
    args.fitserve_env = dict(kv.split("=", 1) for kv in args.fitserve_env)
    selected = parse_only(args.only)
    if args.budget is None:
        args.budget = 45.0 if args.quick else 600.0
    args.jar, args.peer_jar = os.path.abspath(args.jar), os.path.abspath(args.peer_jar)
    args.data_dir, args.results = os.path.abspath(args.data_dir), os.path.abspath(args.results)

    def on_signal(signum, _frame):
        raise Interrupted(f"signal {signum}")
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    started = datetime.datetime.now().astimezone()
    tmp = tempfile.mkdtemp(prefix="fitserve-bench-")
    log(f"temp dir {tmp}; data cache {args.data_dir}; workloads {','.join(selected)}; "
        f"{'quick' if args.quick else 'full'}, {args.repeats} repeats")
    bench = Bench(args, tmp)
    funcs = {"W1": bench.w1_ingest, "W2": bench.w2_logreg, "W3": bench.w3_linreg, "W4": bench.w4_mlp,
             "W5": bench.w5_svm, "W6": bench.w6_serving, "W7": bench.w7_startup, "W8": bench.w8_scale}
    interrupted = None
    try:
        for w in selected:
            log(f"== {w} {dict(WORKLOADS)[w]}")
            t0 = time.perf_counter()
            try:
                funcs[w]()
            except Interrupted:
                raise
            except Exception as e:  # noqa: BLE001
                traceback.print_exc()
                r = bench.row(f"{w} {dict(WORKLOADS)[w]}", "-", "-")
                r.fs_err = r.peer_err = f"error: {type(e).__name__}: {e}"
            log(f"== {w} done in {time.perf_counter() - t0:.0f} s")
    except Interrupted as e:
        interrupted = e
        log(f"interrupted ({e}); stopping")
    finally:
        bench.stop_all()
        if args.keep_temp or interrupted:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    finished = datetime.datetime.now().astimezone()
    import sklearn
    import pandas as pd
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    env = (f"{java[0] if java else 'java ?'}; Python {platform.python_version()}, scikit-learn "
           f"{sklearn.__version__}, numpy {np.__version__}, pandas {pd.__version__}; fitserve "
           f"`{os.path.relpath(args.jar, ROOT)}`")
    print()
    print(text_table(bench.rows))
    if interrupted:
        print(f"\n(interrupted: {interrupted}; {args.results} not written)")
        return 130
    write_results(args.results, bench.rows, args, started, finished, env)
    print(f"\nwrote {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
