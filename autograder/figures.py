"""Pictures for feedback pages, drawn from plain numbers a grader left in the record.

A grader test may attach one figure to its result with
``grading.figure(kind, **numbers)``; the record keeps it as the test's
``figure`` (a dict of plain numbers and short labels).  Kinds:

- ``weights_histogram``: values (a sample of a weight matrix), std (the
  standard deviation the initialization should have), key ("W2"), fan_in
  -> a histogram against the density of N(0, std²);
- ``kept_fraction``: keys (["D1", "D2"]), kept ([0.21, 0.19]), keep_prob,
  margin (the allowed distance) -> bars against the keep_prob line;
- ``gradient_errors``: keys (["dW1", ...]), errors, tol -> relative errors
  per key on a log scale against the tolerance.

Anything malformed is skipped: a picture is an extra, never a reason for a
page to fail.  Images are PNG data URIs (no files, no network).
"""
import base64
import io
import math

MAX_VALUES = 5000
KINDS = ("weights_histogram", "kept_fraction", "gradient_errors")


def _numbers(values, limit=MAX_VALUES):
    if not isinstance(values, (list, tuple)):
        raise ValueError("expected a list of numbers")
    out = [float(v) for v in values[:limit]]
    if not out or not all(math.isfinite(v) for v in out):
        raise ValueError("no finite numbers")
    return out


def _labels(values, n):
    if not isinstance(values, (list, tuple)):
        raise ValueError("expected a list of labels")
    labels = [str(v)[:20] for v in values[:n]]
    if len(labels) != n:
        raise ValueError("labels and numbers differ in length")
    return labels


def _draw_histogram(ax, data):
    values, std = _numbers(data["values"]), float(data["std"])
    key = str(data.get("key", "W"))[:20]
    ax.hist(values, bins=40, density=True, color="#90caf9", edgecolor="#1e88e5",
            label=f"your {key} entries")
    lim = max(4 * std, max(abs(v) for v in values))
    xs = [-lim + 2 * lim * i / 200 for i in range(201)]
    ax.plot(xs, [math.exp(-x * x / (2 * std * std)) / (std * math.sqrt(2 * math.pi)) for x in xs],
            color="#c62828", lw=2, label=f"N(0, {std:.3g}²), what He gives")
    ax.set_xlabel(f"value of an entry of {key}")
    ax.set_ylabel("density")
    ax.set_title(f"{key}: your initial weights against the He distribution")
    ax.legend()


def _draw_kept(ax, data):
    kept = _numbers(data["kept"])
    keys = _labels(data["keys"], len(kept))
    kp, margin = float(data["keep_prob"]), float(data.get("margin", 0.0))
    ax.bar(keys, kept, color="#90caf9", edgecolor="#1e88e5", label="share of units your masks keep")
    ax.axhline(kp, color="#2e7d32", lw=2, label=f"keep_prob = {kp:g}")
    if margin:
        ax.axhspan(kp - margin, kp + margin, color="#2e7d32", alpha=.12,
                   label="where a right mask lands")
    ax.set_ylim(0, 1)
    ax.set_ylabel("fraction of units kept")
    ax.set_title("Dropout masks: kept fraction against keep_prob")
    ax.legend(loc="center right")


def _draw_errors(ax, data):
    raw = data["errors"]
    if not isinstance(raw, (list, tuple)) or not raw:
        raise ValueError("expected a list of errors")
    errors = [min(max(float(e), 1e-18), 1e3) if math.isfinite(float(e)) else 1e3
              for e in raw[:MAX_VALUES]]
    keys = _labels(data["keys"], len(errors))
    tol = float(data["tol"])
    colors = ["#2e7d32" if e <= tol else "#c62828" for e in errors]
    ax.bar(keys, errors, color=colors)
    ax.axhline(tol, color="#333", ls="--", lw=1.5, label=f"tolerance {tol:.0e}")
    ax.set_yscale("log")
    ax.set_ylabel("relative error (log scale)")
    ax.set_title("Your gradients: relative error per key")
    ax.legend()


_DRAW = {"weights_histogram": _draw_histogram, "kept_fraction": _draw_kept,
         "gradient_errors": _draw_errors}


def png_data_uri(data):
    """A figure dict -> 'data:image/png;base64,...' (raises on bad data)."""
    import matplotlib
    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    fig = Figure(figsize=(7, 3.6), dpi=90)
    ax = fig.subplots()
    _DRAW[data["kind"]](ax, data)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def caption(data):
    return {"weights_histogram": "Histogram of your weights with the density they should follow.",
            "kept_fraction": "The share of units your dropout masks keep, per layer.",
            "gradient_errors": "How far each of your gradients is from the numerical one."
            }[data["kind"]]


def figures_of(record):
    """[(function, caption, data URI)] for the failed tests of ``record`` that
    carry a figure; one per test at most, malformed ones skipped."""
    out = []
    for t in record.get("tests") or []:
        data = t.get("figure")
        if t.get("status") == "passed" or not isinstance(data, dict) \
                or data.get("kind") not in KINDS:
            continue
        try:
            out.append((t["function"], caption(data), png_data_uri(data)))
        except (KeyError, TypeError, ValueError, OverflowError):
            continue
    return out
