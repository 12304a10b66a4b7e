"""Small public data sets shipped with the package: Iris, Digits, Diabetes.

The files live in ``mlfoundations/datasets/data/`` as gzip CSV (a header row of
feature names plus the target's name, then one sample per line; see the README
there). They are parsed with NumPy once per process and copied on every call.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_bool
from ._dataset import Dataset, _load_table

__all__ = ["load_iris", "load_digits", "load_diabetes"]

_IRIS_DESCRIPTION = """\
Iris flowers (Fisher, 1936)

150 flowers, 50 from each of three species of iris (setosa, versicolor,
virginica), measured by Edgar Anderson on the Gaspe peninsula. Four features, all
in centimetres: the length and width of the sepal and of the petal. Setosa is
linearly separable from the other two species; versicolor and virginica overlap.
This copy carries the two corrections (samples 35 and 38) that make it agree with
Fisher's published table.

Source: R. A. Fisher, "The use of multiple measurements in taxonomic problems",
Annals of Eugenics 7(2), 179-188 (1936); UCI Machine Learning Repository, "Iris",
doi:10.24432/C56C76. Licence: CC BY 4.0."""

_DIGITS_DESCRIPTION = """\
Handwritten digits, 8x8 (Alpaydin and Kaynak, 1998)

1797 images of the digits 0-9 written by 13 people (the writer-independent test
part of the UCI set). Each 32x32 binary scan was cut into 64 non-overlapping 4x4
blocks and each block replaced by its count of ink pixels, giving an 8x8 image of
integers 0..16. Feature pixel_r_c is row r, column c; X[i].reshape(8, 8) is the
picture.

Source: E. Alpaydin and C. Kaynak, "Optical Recognition of Handwritten Digits",
UCI Machine Learning Repository (1998), doi:10.24432/C50P49. Licence: CC BY 4.0."""

_DIABETES_DESCRIPTION = """\
Diabetes progression (Efron, Hastie, Johnstone and Tibshirani, 2004)

442 diabetes patients. Ten variables measured at baseline: age (years), sex
(coded 1 or 2), body-mass index, mean arterial blood pressure, and six blood-serum
readings s1..s6 (total cholesterol, LDL, HDL, total/HDL cholesterol ratio, log of
triglycerides, glucose). The target is a quantitative measure of how far the
disease had progressed one year after baseline (values 25..346).

{scaling}

Source: B. Efron, T. Hastie, I. Johnstone and R. Tibshirani,
"Least angle regression", Annals of Statistics 32(2), 407-499 (2004); data
distributed by the authors (also shipped in scikit-learn, BSD-3-Clause)."""

_SCALED_NOTE = (
    "Features are scaled: each column has been centred to mean zero and divided by\n"
    "its Euclidean norm, so every column has mean 0 and sum of squares 1."
)
_RAW_NOTE = "Features are the raw measurements in their original units."


def _labels(target: np.ndarray) -> np.ndarray:
    """Class labels stored as floats in the file, as int64."""
    return target.astype(np.int64)


def load_iris() -> Dataset:
    """Load Fisher's Iris data: 150 flowers, 4 measurements, 3 species.

    Returns
    -------
    Dataset
        ``X`` : (150, 4) float64, sepal length, sepal width, petal length, petal
        width in cm; ``y`` : (150,) int64 with 0 = setosa, 1 = versicolor,
        2 = virginica (50 of each, in that order); ``feature_names``,
        ``target_names`` and ``description``. Unpacks as ``X, y``.

    Notes
    -----
    The arrays are fresh copies on every call. The values include the two
    corrections (samples 35 and 38) that align the widely circulated UCI copy with
    Fisher's published table.

    References
    ----------
    R. A. Fisher, "The use of multiple measurements in taxonomic problems",
    Annals of Eugenics 7(2), 179-188 (1936). Data: UCI Machine Learning Repository,
    "Iris", https://doi.org/10.24432/C56C76, licensed CC BY 4.0.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.datasets import load_iris
    >>> X, y = load_iris()
    >>> X.shape, np.bincount(y).tolist()
    ((150, 4), [50, 50, 50])
    """
    feature_names, X, target = _load_table("iris.csv.gz")
    return Dataset(
        X=X,
        y=_labels(target),
        feature_names=feature_names,
        target_names=("setosa", "versicolor", "virginica"),
        description=_IRIS_DESCRIPTION,
    )


def load_digits() -> Dataset:
    """Load the 8x8 handwritten digits: 1797 images, 64 pixel counts, 10 classes.

    Returns
    -------
    Dataset
        ``X`` : (1797, 64) float64, integer values 0..16, row-major 8x8 images
        (``X[i].reshape(8, 8)``); ``y`` : (1797,) int64 digit 0..9;
        ``feature_names`` ``pixel_<row>_<col>``; ``target_names`` ``"0" .. "9"``;
        ``description``. Unpacks as ``X, y``.

    Notes
    -----
    Each pixel is the number of ink pixels in a 4x4 block of a 32x32 binary scan,
    hence 0..16. The class counts are 178, 182, 177, 183, 181, 182, 181, 179, 174
    and 180 for the digits 0 to 9. The arrays are fresh copies on every call.

    References
    ----------
    E. Alpaydin and C. Kaynak, "Optical Recognition of Handwritten Digits", UCI
    Machine Learning Repository (1998), https://doi.org/10.24432/C50P49, licensed
    CC BY 4.0.

    Examples
    --------
    >>> from mlfoundations.datasets import load_digits
    >>> X, y = load_digits()
    >>> X.shape, int(X.max()), X[0].reshape(8, 8).shape
    ((1797, 64), 16, (8, 8))
    """
    feature_names, X, target = _load_table("digits.csv.gz")
    return Dataset(
        X=X,
        y=_labels(target),
        feature_names=feature_names,
        target_names=tuple(str(d) for d in range(10)),
        description=_DIGITS_DESCRIPTION,
    )


def load_diabetes(*, scaled: bool = True) -> Dataset:
    """Load the diabetes regression data: 442 patients, 10 baseline variables.

    Parameters
    ----------
    scaled : bool, default True
        If True, centre each feature column and divide it by its Euclidean norm
        (the convention of the LARS paper, and of scikit-learn's default). If
        False, return the raw measurements.

    Returns
    -------
    Dataset
        ``X`` : (442, 10) float64 with columns age, sex, bmi, bp, s1..s6;
        ``y`` : (442,) float64 disease progression one year after baseline (never
        scaled); ``feature_names``; ``target_names`` is empty (regression);
        ``description``. Unpacks as ``X, y``.

    Raises
    ------
    TypeError
        If ``scaled`` is not a bool.

    Notes
    -----
    With raw column :math:`x_j` and mean :math:`\\bar x_j`, the scaled column is

    .. math:: z_j = (x_j - \\bar x_j) / \\lVert x_j - \\bar x_j \\rVert_2,

    so :math:`\\sum_i z_{ij} = 0` and :math:`\\sum_i z_{ij}^2 = 1`. This equals
    standardising by the population standard deviation and dividing by
    :math:`\\sqrt{n}`. The arrays are fresh copies on every call.

    References
    ----------
    B. Efron, T. Hastie, I. Johnstone and R. Tibshirani, "Least angle regression",
    Annals of Statistics 32(2), 407-499 (2004). Data distributed by the authors
    (https://web.stanford.edu/~hastie/Papers/LARS/); the same values ship in
    scikit-learn under its BSD-3-Clause licence.

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.datasets import load_diabetes
    >>> X, y = load_diabetes()
    >>> bool(np.allclose(X.mean(axis=0), 0)), bool(np.allclose((X**2).sum(axis=0), 1))
    (True, True)
    """
    scaled = check_bool(scaled, "scaled")
    feature_names, X, target = _load_table("diabetes.csv.gz")
    if scaled:
        X -= X.mean(axis=0)
        X /= np.linalg.norm(X, axis=0)
    return Dataset(
        X=X,
        y=target,
        feature_names=feature_names,
        target_names=(),
        description=_DIABETES_DESCRIPTION.format(scaling=_SCALED_NOTE if scaled else _RAW_NOTE),
    )
