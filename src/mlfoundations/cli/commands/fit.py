"""``mlfoundations fit``: maximum-likelihood fits of distribution families, ranked by AIC."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, List, Optional

import numpy as np
import typer

from .._data import DataError
from . import _common as c

# the command's family names -> the library's classes (looked up lazily)
CONTINUOUS = {
    "normal": "Normal", "lognormal": "LogNormal", "exponential": "Exponential", "gamma": "Gamma",
    "chi-square": "ChiSquare", "inverse-gamma": "InverseGamma", "beta": "Beta", "uniform": "Uniform",
    "student-t": "StudentT", "f": "FDistribution",
}
DISCRETE = {"poisson": "Poisson", "negative-binomial": "NegativeBinomial", "bernoulli": "Bernoulli"}
FAMILIES = {**CONTINUOUS, **DISCRETE}


class Criterion(str, Enum):
    aic = "aic"
    bic = "bic"


def fit(
    file: c.FileArgument,
    column: Annotated[str, typer.Option("--column", help="The numeric column to fit.", show_default=False)],
    family: Annotated[
        Optional[List[str]],
        typer.Option(
            "--family", "-f",
            help=f"Family to fit, repeatable or comma-separated: {', '.join(FAMILIES)}; "
            "or all (the default), continuous, discrete.",
        ),
    ] = None,
    criterion: Annotated[
        Criterion, typer.Option("--criterion", help="Rank by AIC or BIC (smaller is better).")
    ] = Criterion.aic,
    plot: Annotated[
        Optional[Path],
        typer.Option(
            "--plot",
            help="Histogram with the best fits and a Q-Q plot (PNG, SVG or PDF).",
        ),
    ] = None,
    force: c.ForceOption = False,
    as_json: c.JsonOption = False,
    encoding: c.EncodingOption = None,
    drop_missing: c.DropMissingOption = False,
):
    """Fit distributions by maximum likelihood, ranked by AIC, with standard errors.

    Each family's estimate maximises l(theta) = sum_i log f(x_i; theta); standard errors
    come from the observed information, AIC = 2k - 2 l(theta_hat). --family continuous
    or discrete fits every family of that kind; all (the default) fits the discrete
    ones when every value is a whole number >= 0, else the continuous ones. Then a
    family whose support does not hold the data is skipped with a note; a family named
    explicitly that does not apply is an error.
    """
    from ... import probability

    names, explicit = _family_names(family)
    c.check_outputs(file, force, figures={"--plot": plot})
    table = c.load(file, encoding)
    table.require([column], option="--column")
    table = table.complete([column], drop_missing=drop_missing)
    x = table.numeric([column])[:, 0]
    notes = list(table.notes)
    if names is None:
        counts = bool(np.all(x >= 0) and np.all(x == np.round(x)))
        names = list(DISCRETE if counts else CONTINUOUS)
        notes.append(
            "every value is a whole number >= 0: fitted the discrete families (name others with --family)"
            if counts else "fitted the continuous families"
        )
    families = [getattr(probability, FAMILIES[n]) for n in names]
    where = f"{table.path}: column {column!r}"
    fitted, skipped = _fit_all(x, names, families, criterion.value, where, explicit=explicit)
    notes += [f"{name} skipped: {reason}" for name, reason in skipped]
    best = getattr(fitted[0].fit_result, criterion.value)
    rows = []
    for dist in fitted:
        res = dist.fit_result
        rows.append({
            "family": _cli_name(type(dist).__name__), "params": res.params, "stderr": res.stderr,
            "n_params": res.n_params, "log_likelihood": res.log_likelihood, "aic": res.aic, "bic": res.bic,
            "delta": getattr(res, criterion.value) - best, "converged": res.converged,
        })
    if plot is not None:
        from ...plotting import plot_fit

        with c.library_errors(table.path, "plot"):
            plot_fit(x, fitted[:3]).savefig(plot)
        notes.append(f"wrote {plot}")
    doc = {"command": "fit", "file": str(file), "column": column, "n": int(x.size),
           "criterion": criterion.value, "fits": rows,
           "skipped": [{"family": n, "reason": r} for n, r in skipped],
           "plot": plot}
    label = criterion.value.upper()
    shown = c.table(
        f"Maximum-likelihood fits to {column} ({x.size} values), best {label} first",
        ["#", "family", "parameters (± std err)", ">log-lik", ">AIC", ">BIC", f">Δ{label}"],
        [(i + 1, r["family"], _params_text(r["params"], r["stderr"]), c.num(r["log_likelihood"], 7),
          c.num(r["aic"], 7), c.num(r["bic"], 7), f"{r['delta']:.2f}") for i, r in enumerate(rows)],
    )
    c.emit(as_json, doc, [shown], notes)


def _family_names(given) -> tuple:
    """(family names or None for 'all', whether they were named one by one)."""
    if not given:
        return None, False
    names = [part.strip().lower() for value in given for part in value.split(",") if part.strip()]
    groups = {"all": None, "continuous": list(CONTINUOUS), "discrete": list(DISCRETE)}
    for group, members in groups.items():
        if group in names:
            if len(names) > 1:
                raise c.UsageError(f"--family {group} cannot be combined with other families")
            return members, False
    unknown = [n for n in names if n not in FAMILIES]
    if unknown:
        raise c.UsageError(
            f"--family {unknown[0]}: unknown family; choose from {', '.join(FAMILIES)}, "
            "all, continuous or discrete"
        )
    if len(set(names)) != len(names):
        raise c.UsageError("--family: a family is named twice")
    if len({n in DISCRETE for n in names}) > 1:
        raise c.UsageError(
            "--family mixes discrete and continuous families; their likelihoods cannot be compared"
        )
    return names, True


def _fit_all(x, names, families, criterion, where, *, explicit):
    """Fitted distributions best first (``fit_best``) and (name, reason) of those that failed."""
    from ...probability import fit_best

    try:
        fitted, failure = fit_best(x, families, criterion=criterion), None
    except ValueError as exc:  # no family could be fitted
        fitted, failure = [], str(exc)
    done = {type(d) for d in fitted}
    skipped = []
    for name, family in zip(names, families):
        if family not in done:
            try:
                family.fit(x)
                reason = "the fit failed"
            except ValueError as exc:
                reason = str(exc)
            if explicit:
                raise DataError(f"{where}: {name} cannot be fitted: {reason}")
            skipped.append((name, reason))
    if not fitted:
        raise DataError(f"{where}: {failure}")
    return fitted, skipped


def _cli_name(class_name: str) -> str:
    return next(name for name, cls in FAMILIES.items() if cls == class_name)


def _params_text(params: dict, stderr: dict) -> str:
    parts = []
    for name, value in params.items():
        se = stderr.get(name)
        parts.append(f"{name} = {c.num(value)}" + ("" if se is None else f" ± {c.num(se, 3)}"))
    return ", ".join(parts)


def register(app) -> None:
    app.command("fit", help=c.help_text(fit.__doc__))(fit)
