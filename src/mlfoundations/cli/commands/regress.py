"""``mlfoundations regress``: least squares with its inference, ridge, lasso or logistic regression."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import numpy as np
import typer

from . import _common as c


def regress(
    file: c.EngineFileArgument,
    target: Annotated[str, typer.Option("--target", "-y", help="The column to predict.", show_default=False)],
    features: Annotated[
        c.ColumnsOption,
        typer.Option(
            "--features", "-x",
            help="Predictor columns, repeatable or comma-separated (default: every other numeric column).",
        ),
    ] = None,
    ridge: Annotated[
        Optional[float],
        typer.Option(
            "--ridge", min=0.0, metavar="ALPHA",
            help="Ridge regression with penalty alpha ||w||².",
        ),
    ] = None,
    lasso: Annotated[
        Optional[float],
        typer.Option(
            "--lasso", min=0.0, metavar="ALPHA",
            help="Lasso with penalty alpha ||w||₁.",
        ),
    ] = None,
    logistic: Annotated[
        bool,
        typer.Option(
            "--logistic",
            help="Logistic (softmax) regression of a class label, L2 penalty with C = 1.",
        ),
    ] = False,
    no_intercept: Annotated[bool, typer.Option("--no-intercept", help="Fit without an intercept.")] = False,
    confidence: Annotated[
        float, typer.Option("--confidence", help="Level of the coefficients' confidence intervals (OLS).")
    ] = 0.95,
    save: Annotated[
        Optional[Path], typer.Option("--save", help="Write the fitted model (.mlf) for `predict`.")
    ] = None,
    force: c.ForceOption = False,
    as_json: c.JsonOption = False,
    encoding: c.EncodingOption = None,
    drop_missing: c.DropMissingOption = False,
    engine: c.EngineOption = c.Engine.numpy,
    workers: c.WorkersOption = None,
    memory_limit: c.MemoryLimitOption = None,
    scheduler: c.SchedulerOption = None,
    threads: c.ThreadsOption = False,
):
    """Regress a column on others: the OLS table (coef, std err, t, p, CI, R², F) or a penalised fit.

    OLS (mlfoundations.models.LinearRegression) minimises ||y - Z beta||² and reports
    se(beta_j) = sigma_hat sqrt([(Z^T Z)^-1]_jj), t = beta_j / se, p = 2 P(T > |t|) and the
    F test of all slopes. --ridge adds alpha ||w||², --lasso minimises
    ||y - Xw - b||² / (2n) + alpha ||w||₁; neither penalises the intercept.
    """
    c.check_exclusive(**{"--ridge": ridge, "--lasso": lasso, "--logistic": logistic})
    if not 0.0 < confidence < 1.0:
        raise c.UsageError(f"--confidence {confidence:g}: must lie strictly between 0 and 1")
    spec = c.engine_spec(engine, workers, memory_limit, scheduler, threads,
                         unsupported={"--lasso": lasso is not None, "--logistic": logistic})
    save = c.model_path(save)
    c.check_outputs(file, force, others={"--save": save})
    with c.open_table(file, encoding, spec) as table:
        table.require([target], option="--target")
        names, note = c.numeric_features(table, c.column_list(features, table), exclude=(target,),
                                         option="--features")
        table = table.complete([target, *names], drop_missing=drop_missing)
        if c.is_lazy(table.frame):
            data = table.numeric_frame([*names, target])  # X and y: the same partitions
            X, y = data[names], data[target]
        else:
            X = c.features_frame(table.numeric(names), names)
            y = table.labels(target) if logistic else table.numeric([target])[:, 0]
        fit_intercept = not no_intercept
        with c.library_errors(table.path, "the fit failed"):
            if logistic:
                doc, shown, model = _logistic(X, y, fit_intercept)
            elif ridge is not None or lasso is not None:
                doc, shown, model = _penalised(X, y, ridge, lasso, fit_intercept)
            else:
                doc, shown, model = _ols(X, y, fit_intercept, confidence)
    if save is not None:
        save = c.save_model(model, save, force)
    head = {"command": "regress", "file": str(file), "target": target, "features": names,
            "n_samples": int(doc.pop("n_samples"))}
    title = f"{file.name}: {target} ~ {' + '.join(names) if len(names) <= 6 else f'{len(names)} features'}"
    notes = [note, *table.notes, f"saved the model to {save}" if save else None]
    c.emit(as_json, {**head, **doc, "saved": save}, [title, *shown], notes)


def _ols(X, y, fit_intercept, confidence):
    from ...models import LinearRegression

    model = LinearRegression(fit_intercept=fit_intercept).fit(X, y)
    res = model.results_
    ci = res.conf_int(alpha=1.0 - confidence)
    rows = [
        {"term": term, "coef": b, "std_err": se, "t": t, "p": p, "ci_low": lo, "ci_high": hi}
        for term, b, se, t, p, (lo, hi) in zip(res.param_names, res.params, res.bse, res.tvalues,
                                               res.pvalues, ci)
    ]
    doc = {
        "model": "ols",
        "n_samples": res.nobs,
        "coefficients": rows,
        "confidence": confidence,
        "r_squared": res.rsquared,
        "adj_r_squared": res.rsquared_adj,
        "f_statistic": res.fvalue,
        "f_pvalue": res.f_pvalue,
        "df_model": res.df_model,
        "df_resid": res.df_resid,
        "residual_std_err": float(np.sqrt(res.mse_resid)),
        "log_likelihood": res.llf,
        "aic": res.aic,
        "bic": res.bic,
    }
    lo_q, hi_q = f"{50 * (1 - confidence):g}%", f"{100 - 50 * (1 - confidence):g}%"
    coef_table = c.table(
        "Ordinary least squares",
        ["term", ">coef", ">std err", ">t", ">P>|t|", f">[{lo_q}", f">{hi_q}]"],
        [(r["term"], c.num(r["coef"]), c.num(r["std_err"]), f"{r['t']:.3f}", c.pval(r["p"]),
          c.num(r["ci_low"]), c.num(r["ci_high"])) for r in rows],
    )
    fit_table = c.key_values(None, [
        ("observations", res.nobs),
        ("R²", f"{res.rsquared:.4f}"),
        ("adjusted R²", f"{res.rsquared_adj:.4f}"),
        (f"F({res.df_model:g}, {res.df_resid:g})", c.num(res.fvalue)),
        ("P(>F)", c.pval(res.f_pvalue)),
        ("residual std err", c.num(doc["residual_std_err"])),
        ("log-likelihood", c.num(res.llf)),
        ("AIC", c.num(res.aic)),
        ("BIC", c.num(res.bic)),
    ])
    return doc, [coef_table, fit_table], model


def _penalised(X, y, ridge, lasso, fit_intercept):
    from ...models import Lasso, Ridge

    if ridge is not None:
        model, kind, alpha = Ridge(alpha=ridge, fit_intercept=fit_intercept).fit(X, y), "ridge", ridge
    else:
        model, kind, alpha = Lasso(alpha=lasso, fit_intercept=fit_intercept).fit(X, y), "lasso", lasso
    coef = np.ravel(model.coef_)
    rows = [{"term": "const", "coef": float(model.intercept_)}] if fit_intercept else []
    rows += [{"term": name, "coef": w} for name, w in zip(X.columns, coef)]
    r_squared, n_samples = _fit_quality(model, X, y)
    doc = {"model": kind, "alpha": alpha, "coefficients": rows, "r_squared": r_squared,
           "n_nonzero": int(np.count_nonzero(coef)), "n_samples": n_samples}
    if kind == "lasso":
        doc.update(n_iter=model.n_iter_, dual_gap=model.dual_gap_)
    label = "Ridge" if kind == "ridge" else "Lasso"
    coef_table = c.table(f"{label} regression, alpha = {alpha:g}", ["term", ">coef"],
                         [(r["term"], c.num(r["coef"])) for r in rows])
    pairs = [("observations", n_samples), ("R² (training data)", f"{doc['r_squared']:.4f}"),
             ("non-zero coefficients", f"{doc['n_nonzero']} of {coef.size}")]
    return doc, [coef_table, c.key_values(None, pairs)], model


def _fit_quality(model, X, y) -> tuple:
    """(R² on the training data, number of rows): ``model.score``, or for Dask columns
    1 - sum (y - ŷ)² / sum (y - ȳ)² in one computation over the partitions."""
    if not c.is_lazy(X):
        return model.score(X, y), X.shape[0]
    import dask

    fitted = model.intercept_ + sum(X[name] * w for name, w in zip(X.columns, np.ravel(model.coef_)))
    n, y_mean = dask.compute(y.count(), y.mean())
    ss_res, ss_tot = dask.compute(((y - fitted) ** 2).sum(), ((y - y_mean) ** 2).sum())
    if ss_tot == 0.0:
        return (1.0 if ss_res == 0.0 else 0.0), int(n)
    return float(1.0 - ss_res / ss_tot), int(n)


def _logistic(X, y, fit_intercept):
    from ...models import LogisticRegression

    model = LogisticRegression(fit_intercept=fit_intercept, max_iter=1000).fit(X, y)
    classes = list(model.classes_)
    # two classes: one row of log-odds for classes_[1]; more: one softmax score per class
    shown = classes[1:] if len(classes) == 2 else classes
    rows = [
        {"class": k, "intercept": float(b), "coef": dict(zip(X.columns, w))}
        for k, b, w in zip(shown, model.intercept_, model.coef_)
    ]
    accuracy = model.score(X, y)
    doc = {"model": "logistic", "n_samples": X.shape[0], "C": model.C, "classes": classes,
           "coefficients": rows,
           "accuracy": accuracy, "n_iter": int(np.ravel(model.n_iter_)[0])}
    heads = [f">{'log-odds of ' if len(classes) == 2 else ''}{k}" for k in shown]
    body = [("const", *[c.num(r["intercept"]) for r in rows])] if fit_intercept else []
    body += [(name, *[c.num(r["coef"][name]) for r in rows]) for name in X.columns]
    coef_table = c.table(f"Logistic regression, classes {', '.join(map(str, classes))}",
                         ["term", *heads], body)
    pairs = [("observations", X.shape[0]), ("accuracy (training data)", f"{accuracy:.4f}")]
    return doc, [coef_table, c.key_values(None, pairs)], model


def register(app) -> None:
    app.command("regress", help=c.help_text(regress.__doc__))(regress)
