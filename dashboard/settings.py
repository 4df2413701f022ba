"""Every knob of the Playground in one serializable object, and its URL round trip.

Like TensorFlow Playground's ``state.ts``: one frozen dataclass, defaults in one
place, ``to_query`` / ``from_query`` for shareable links, and presets for lectures.

URL parameters are user input. ``from_query`` never raises: every value is parsed,
validated and clamped to its allowed range or set, and each correction is reported
as a short note the page shows. Pure Python: no streamlit here, so it is unit-tested
directly.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from softmax_engine.datasets import BUNDLED_DATASETS, TOY_DATASETS

# Names and class counts come from the engine's registry: one source of truth.
TOY_NAMES = tuple(TOY_DATASETS)
BUNDLED_NAMES = tuple(BUNDLED_DATASETS)
DATASETS = TOY_NAMES + BUNDLED_NAMES
# The session's own data (an uploaded CSV, or points drawn on the regions chart): never
# in a link, since it lives only in the browser session that made it.
OWN_DATA = "own"
DATASET_CHOICES = (*DATASETS, OWN_DATA)
OWN_DATA_NOTE = (
    "this link was made from uploaded or drawn data, which is not shared (it stays in "
    "the browser session that made it); showing the default data instead."
)
DATASET_LABELS = {
    **{name: info.title for name, info in TOY_DATASETS.items()},
    "iris": "Iris (PCA plane)",
    "wine": "Wine (PCA plane)",
    "breast_cancer": "Breast cancer (PCA plane)",
    "digits": "Digits (PCA plane)",
    OWN_DATA: "Your CSV or drawn points",
}
CLASS_COUNTS = {name: info.class_counts for name, info in TOY_DATASETS.items()}
FEATURE_MAPS = ("raw", "poly", "rbf")
FEATURE_LABELS = {"raw": "Raw x1, x2", "poly": "Polynomial", "rbf": "RBF"}
OPTIMIZERS = ("sgd", "momentum", "nesterov", "adam", "lbfgs")
OPTIMIZER_LABELS = {
    "sgd": "Gradient descent",
    "momentum": "Momentum",
    "nesterov": "Nesterov",
    "adam": "Adam",
    "lbfgs": "L-BFGS (no learning rate)",
}


def _log_options(low_exp, high_exp, mantissas=(1, 2, 5)):
    """1-2-5 steps per decade, as TensorFlow Playground's learning-rate menu."""
    values = []
    for e in range(low_exp, high_exp + 1):
        for m in mantissas:
            v = float(f"{m}e{e}")
            if v <= float(f"1e{high_exp}") + 1e-12:
                values.append(v)
    return tuple(values)


LEARNING_RATES = _log_options(-4, 1)  # 1e-4 ... 10
REGULARIZATIONS = (0.0, *_log_options(-5, 1))  # 0, then 1e-5 ... 10
BATCH_SIZES = (0, 8, 16, 32, 64, 128, 256)  # 0 = full batch
RBF_GAMMAS = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0)

# Limits per request: a crafted link must not make the server work for minutes.
MAX_SAMPLES = 2000
MAX_STEPS = 5000
MAX_SEED = 2**31 - 1


_DATA_FIELDS = (
    "dataset", "n_classes", "n_samples", "noise", "data_seed", "validation_share",
    "features", "degree", "rbf_gamma", "standardize", "user_data",
)  # fmt: skip
_NOT_IN_LINKS = ("user_data",)


@dataclass(frozen=True)
class Settings:
    """Every setting of the Playground; hashable, so it can key a cache."""

    dataset: str = "spiral"
    n_classes: int = 3
    n_samples: int = 300
    noise: float = 0.1
    data_seed: int = 0
    validation_share: float = 0.2
    features: str = "rbf"
    degree: int = 3
    rbf_gamma: float = 3.0
    standardize: bool = True
    optimizer: str = "sgd"
    learning_rate: float = 1.0
    reg: float = 1e-3
    steps: int = 300
    batch_size: int = 0
    init_seed: int = 0
    presenter: bool = False
    # With dataset "own": the digest of the session's 2-D data (it keys every cache);
    # never in a link (see ``dashboard.playground.own_data``).
    user_data: str = ""

    def __post_init__(self):
        if self.dataset != OWN_DATA and self.user_data:
            object.__setattr__(self, "user_data", "")  # one key per built-in dataset
        # Consistent as soon as it exists: a dataset that offers only some class counts
        # gets the nearest one it offers, whoever built the settings (URL, sidebar, code).
        allowed = CLASS_COUNTS.get(self.dataset)
        if allowed is not None and self.n_classes not in allowed:
            nearest = TOY_DATASETS[self.dataset].clamp_classes(self.n_classes)
            object.__setattr__(self, "n_classes", nearest)  # frozen: the one sanctioned write

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)

    def training_key(self):
        """The fields that change a training run (not the view), as a hashable tuple."""
        return tuple(
            getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "presenter"
        )

    def data_key(self):
        """The fields that fix the data, its split and the feature map, as a tuple: runs
        equal in these share their inputs (``dashboard.playground.compute.training_inputs``)."""
        return tuple(getattr(self, name) for name in _DATA_FIELDS)

    def to_query(self):
        """Non-default fields as ``{name: str}``: short URLs that still reproduce the view."""
        default = Settings()
        query = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name not in _NOT_IN_LINKS and value != getattr(default, f.name):
                query[f.name] = _format(value)
        return query

    @classmethod
    def from_query(cls, params: Mapping[str, object]):
        """Parse URL parameters; never raises.

        Parameters
        ----------
        params : mapping of str to str or list of str
            E.g. ``st.query_params.to_dict()``.

        Returns
        -------
        settings : Settings
        notes : list of str
            One human-readable line per value that was corrected or ignored.
        """
        notes = []
        values = {}
        for name, raw in params.items():
            spec = SPECS.get(name)
            if spec is None:
                notes.append(f"Ignored unknown URL parameter “{_shorten(name)}”.")
                continue
            if isinstance(raw, list | tuple):
                raw = raw[-1] if raw else ""
            if name == "dataset" and str(raw).strip() == OWN_DATA:
                notes.append(f"URL parameter “dataset”: {OWN_DATA_NOTE}")
                continue
            value, note = spec.parse(str(raw))
            if note:
                notes.append(f"URL parameter “{name}”: {note}")
            if value is not None:
                values[name] = value
        settings = cls(**values)
        asked = values.get("n_classes", cls.n_classes)
        if settings.n_classes != asked:
            allowed = CLASS_COUNTS[settings.dataset]
            notes.append(
                f"{DATASET_LABELS[settings.dataset]} has {_describe_counts(allowed)} classes; "
                f"using {settings.n_classes}."
            )
        return settings, notes


def _describe_counts(counts):
    counts = sorted(counts)
    if len(counts) == 1:
        return str(counts[0])
    if len(counts) > 2 and counts == list(range(counts[0], counts[-1] + 1)):
        return f"{counts[0]}–{counts[-1]}"
    return ", ".join(map(str, counts))


@dataclass(frozen=True)
class Preset:
    title: str
    commentary: str
    settings: Settings


PRESETS = {
    "lr_too_large": Preset(
        "Learning rate too large",
        "Unstandardized degree-2 features reach large values, so each step overshoots the "
        "minimum and the loss jumps instead of falling. Lower the learning rate one notch at a "
        "time (10 → 5 → 2 → 1) and watch the curve settle; or tick Standardize features.",
        Settings(
            dataset="wine",
            features="poly",
            degree=2,
            standardize=False,
            learning_rate=10.0,
            steps=200,
        ),
    ),
    "strong_reg": Preset(
        "Strong regularization flattens the probabilities",
        "reg·‖W‖² pulls every weight toward 0, so the scores shrink and softmax spreads its "
        "probability: the regions fade to pale, uncertain colours. Move Regularization down.",
        Settings(dataset="blobs", features="raw", learning_rate=0.2, reg=1.0, steps=300),
    ),
    "xor_raw": Preset(
        "XOR cannot be split by lines",
        "A softmax classifier on raw x1, x2 draws straight boundaries; no line separates XOR, "
        "so accuracy stays near chance. Try the next preset.",
        Settings(dataset="xor", n_classes=2, features="raw", steps=300),
    ),
    "xor_product": Preset(
        "XOR needs the x1·x2 feature",
        "Polynomial features of degree 2 add x1·x2, whose sign is exactly the XOR label: the "
        "same linear model now separates the classes.",
        Settings(dataset="xor", n_classes=2, features="poly", degree=2, steps=300),
    ),
    "spiral_rbf": Preset(
        "The spiral needs RBF features",
        "Each RBF feature is a bump around a centre; a linear model over many bumps can follow "
        "the spiral's arms, which no polynomial of low degree can.",
        Settings(dataset="spiral", features="rbf", rbf_gamma=3.0, steps=500),
    ),
    "adam_vs_gd": Preset(
        "Adam on a badly scaled problem",
        "Without standardization one feature dominates the gradient. Adam rescales each "
        "coordinate; switch Optimizer to Gradient descent to compare.",
        Settings(
            dataset="linear",
            features="raw",
            standardize=False,
            optimizer="adam",
            learning_rate=0.05,
            steps=300,
        ),
    ),
}


# ----------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class _Spec:
    kind: str  # "int", "float", "bool", "choice", "option"
    low: float | None = None
    high: float | None = None
    choices: tuple = field(default_factory=tuple)

    def parse(self, raw):
        """Return ``(value or None, note or None)``; None keeps the default."""
        raw = raw.strip()
        if self.kind == "choice":
            if raw in self.choices:
                return raw, None
            allowed = ", ".join(self.choices)
            return None, f"“{_shorten(raw)}” is not one of {allowed}; using the default."
        if self.kind == "bool":
            if raw.lower() in ("1", "true", "yes", "on"):
                return True, None
            if raw.lower() in ("0", "false", "no", "off"):
                return False, None
            return None, f"“{_shorten(raw)}” is not true/false; using the default."
        try:
            number = float(raw)
        except ValueError:
            return None, f"“{_shorten(raw)}” is not a number; using the default."
        if not math.isfinite(number):
            return None, f"“{_shorten(raw)}” is not a finite number; using the default."
        if self.kind == "option":
            nearest = _nearest_option(number, self.choices)
            if not math.isclose(nearest, number, rel_tol=1e-9, abs_tol=1e-15):
                return nearest, f"{_format(number)} is not offered; using the nearest, {nearest:g}."
            return nearest, None
        if self.kind == "int":
            if number != int(number):
                number = round(number)
                note = f"“{_shorten(raw)}” is not a whole number; rounded to {int(number)}."
            else:
                note = None
            number = int(number)
        else:
            note = None
        clamped = min(max(number, self.low), self.high)
        if clamped != number:
            clamped = int(clamped) if self.kind == "int" else float(clamped)
            return clamped, (
                f"{_format(number)} is outside [{_format(self.low)}, {_format(self.high)}]; "
                f"clamped to {_format(clamped)}."
            )
        return (int(number) if self.kind == "int" else float(number)), note


def _nearest_option(value, options):
    def distance(option):
        if option > 0 and value > 0:
            return abs(math.log(option) - math.log(value))
        return math.inf if option != value else 0.0

    if value <= 0:
        return min(options)  # 0 where 0 is offered, else the smallest
    return min(options, key=distance)


def _format(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _shorten(text, limit=40):
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


SPECS = {
    "dataset": _Spec("choice", choices=DATASETS),
    "n_classes": _Spec("int", 2, 10),
    "n_samples": _Spec("int", 20, MAX_SAMPLES),
    "noise": _Spec("float", 0.0, 1.0),
    "data_seed": _Spec("int", 0, MAX_SEED),
    "validation_share": _Spec("float", 0.0, 0.5),
    "features": _Spec("choice", choices=FEATURE_MAPS),
    "degree": _Spec("int", 1, 5),
    "rbf_gamma": _Spec("option", choices=RBF_GAMMAS),
    "standardize": _Spec("bool"),
    "optimizer": _Spec("choice", choices=OPTIMIZERS),
    "learning_rate": _Spec("option", choices=LEARNING_RATES),
    "reg": _Spec("option", choices=REGULARIZATIONS),
    "steps": _Spec("int", 1, MAX_STEPS),
    "batch_size": _Spec("option", choices=BATCH_SIZES),
    "init_seed": _Spec("int", 0, MAX_SEED),
    "presenter": _Spec("bool"),
}
assert set(SPECS) == {f.name for f in dataclasses.fields(Settings)} - set(_NOT_IN_LINKS)
