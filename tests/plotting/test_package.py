"""Every plotting function: a titled Figure with labelled axes, no pyplot, matplotlib imported lazily."""

import io
import subprocess
import sys

import pytest

pytest.importorskip("matplotlib")

from matplotlib.figure import Figure  # noqa: E402

import mlfoundations.plotting as plotting  # noqa: E402
from mlfoundations.datasets import load_iris, sample_image  # noqa: E402
from mlfoundations.models import PCA, DecisionTreeClassifier, LinearRegression  # noqa: E402
from mlfoundations.probability import BetaBernoulli, Normal  # noqa: E402
from mlfoundations.stats import ttest_ind  # noqa: E402

X, Y = load_iris()
X1 = X[:, 2:3]

BUILDERS = {
    "plot_optimizer_paths": lambda: plotting.plot_optimizer_paths({"a": [[-1.0, 1.0], [0.0, 0.0], [1.0, 1.0]]}),
    "plot_learning_curves": lambda: plotting.plot_learning_curves({"loss": [1.0, 0.5]}),
    "plot_scree": lambda: plotting.plot_scree(PCA().fit(X)),
    "plot_projection": lambda: plotting.plot_projection(PCA(2).fit(X), X, Y),
    "plot_low_rank": lambda: plotting.plot_low_rank(sample_image(16), ranks=(1, 3)),
    "plot_distribution": lambda: plotting.plot_distribution(Normal(), [0.1, -0.4, 1.2]),
    "plot_fit": lambda: plotting.plot_fit(X[:, 0], Normal.fit(X[:, 0])),
    "plot_bayes_update": lambda: plotting.plot_bayes_update(BetaBernoulli(), BetaBernoulli().update([1, 0, 1])),
    "plot_ttest": lambda: plotting.plot_ttest(ttest_ind(X[:50, 0], X[50:100, 0])),
    "plot_regression": lambda: plotting.plot_regression(LinearRegression().fit(X1, X[:, 3]), X1, X[:, 3]),
    "plot_lasso_path": lambda: plotting.plot_lasso_path([1.0, 0.1], [[0.0, 1.0]]),
    "plot_coin_entropy": plotting.plot_coin_entropy,
    "plot_tree_regions": lambda: plotting.plot_tree_regions(DecisionTreeClassifier(max_depth=2).fit(X, Y), X, Y),
}


def test_every_public_function_is_covered():
    assert set(BUILDERS) | {"rosenbrock_paths"} == set(plotting.__all__)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_figure_is_titled_and_labelled(name):
    # (each module's tests render its figures to PNG)
    fig = BUILDERS[name]()
    assert type(fig) is Figure
    assert fig.get_suptitle().strip(), "the figure says which mathematics it shows"
    for ax in fig.axes:
        if ax.get_label() == "<colorbar>":
            continue
        assert ax.get_xlabel().strip() and (ax.get_ylabel().strip() or not ax.get_yticks().size), (name, ax)


def test_svg_output():
    buffer = io.BytesIO()
    plotting.plot_coin_entropy().savefig(buffer, format="svg")
    assert buffer.getvalue().lstrip().startswith(b"<?xml") and b"<svg" in buffer.getvalue()


def test_docstrings_state_formula_and_examples():
    for name in plotting.__all__:
        doc = getattr(plotting, name).__doc__
        assert "Returns" in doc and "Examples" in doc, name


def run_python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_matplotlib_is_imported_only_by_plotting_and_pyplot_never():
    out = run_python(
        "import sys, io\n"
        "import mlfoundations, mlfoundations.cli.report, mlfoundations.cli.tour\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))\n"
        "from mlfoundations.plotting import plot_coin_entropy\n"
        "plot_coin_entropy().savefig(io.BytesIO(), format='png')\n"
        "print('matplotlib.pyplot' in sys.modules, 'matplotlib.figure' in sys.modules)"
    )
    assert out.splitlines() == ["[]", "False True"]
