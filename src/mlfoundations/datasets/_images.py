"""A picture drawn from formulas, for image-compression and low-rank examples."""

from __future__ import annotations

import numpy as np

from .._validation import check_int

__all__ = ["sample_image"]


def _coverage(signed_distance: np.ndarray, edge_width: float) -> np.ndarray:
    """Fraction of a pixel inside a shape, from the signed distance to its edge.

    Positive distance is inside. A linear ramp one ``edge_width`` wide, centred on
    the edge, anti-aliases the outline so the picture has no jagged steps at any size.
    """
    return np.clip(signed_distance / edge_width + 0.5, 0.0, 1.0)


def _paint(canvas: np.ndarray, alpha: np.ndarray, value) -> None:
    """Alpha-blend ``value`` over ``canvas`` in place: c <- (1 - a) c + a v."""
    canvas *= 1.0 - alpha
    canvas += alpha * value


def sample_image(size: int = 128) -> np.ndarray:
    """A deterministic grayscale test picture computed from formulas.

    The scene, on the unit square with ``u`` running left to right and ``v`` top to
    bottom: a sky-to-ground linear gradient; a panel of vertical stripes (upper
    left); a bright disc (the sun, upper right); a dark disc with a light ring
    around it (lower left); and a square of diagonal stripes (lower right).
    The gradient and the vertical stripes are separable (rank <= 2 each); round
    shapes and the sharp-edged diagonal stripes are not, and keep looking blocky
    until k reaches a few tens. So a rank-k approximation
    ``U[:, :k] @ diag(s[:k]) @ Vt[:k]`` visibly recovers the scene piece by piece
    as k grows.

    Parameters
    ----------
    size : int, default 128
        Side length in pixels, at least 8.

    Returns
    -------
    image : (size, size) ndarray of float64
        Intensities in [0, 1]; 0 is black. Row 0 is the top of the picture.

    Raises
    ------
    TypeError
        If ``size`` is not an integer.
    ValueError
        If ``size < 8``.

    Notes
    -----
    Pixel (i, j) samples the scene at its centre, ``v = (i + 1/2) / size``,
    ``u = (j + 1/2) / size``, so pictures of different sizes show the same scene.
    Each shape is blended over what lies beneath with coverage
    ``a = clip(d / w + 1/2, 0, 1)``, where ``d`` is the signed distance to the
    shape's edge and ``w`` is 1.5 pixels: ``c <- (1 - a) c + a * value``. The
    same ``size`` always yields the same array; nothing is random and no file is read.

    References
    ----------
    G. H. Golub and C. F. Van Loan, *Matrix Computations*, 4th ed., Johns Hopkins
    University Press (2013), Sec. 2.4 (the SVD and best rank-k approximation,
    Eckart-Young).

    Examples
    --------
    >>> import numpy as np
    >>> from mlfoundations.datasets import sample_image
    >>> img = sample_image(64)
    >>> img.shape, bool(img.min() >= 0.0), bool(img.max() <= 1.0)
    ((64, 64), True, True)
    >>> U, s, Vt = np.linalg.svd(img)
    >>> bool(s[10] < 0.1 * s[0])  # most of the energy sits in a few components
    True
    """
    size = check_int(size, "size", minimum=8)
    centres = (np.arange(size, dtype=np.float64) + 0.5) / size
    v, u = np.meshgrid(centres, centres, indexing="ij")
    w = 1.5 / size

    # Sky brightest at the top left, darkening towards the bottom right.
    image = 0.55 - 0.25 * v + 0.1 * (1.0 - u)

    # Vertical stripes in a rectangle: separable, so rank two on their own.
    inside_panel = np.minimum.reduce([u - 0.08, 0.46 - u, v - 0.08, 0.36 - v])
    stripes = 0.5 + 0.4 * np.sin(2.0 * np.pi * 7.0 * u)
    _paint(image, _coverage(inside_panel, w), stripes)

    # The sun with a soft glow: a radial falloff, then a hard-edged disc.
    r_sun = np.hypot(u - 0.76, v - 0.24)
    _paint(image, 0.5 * np.exp(-((r_sun / 0.2) ** 2)), 1.0)
    _paint(image, _coverage(0.12 - r_sun, w), 0.97)

    # A light ring around a dark disc.
    r_ring = np.hypot(u - 0.28, v - 0.70)
    _paint(image, _coverage(0.035 - np.abs(r_ring - 0.2), w), 0.85)
    _paint(image, _coverage(0.14 - r_ring, w), 0.08)

    # Diagonal stripes, constant along u + v. A pure sinusoid in u + v would be
    # rank two (sin(a + b) = sin a cos b + cos a sin b); clipping it to a near
    # square wave adds the harmonics that make the stripes expensive to compress.
    inside_square = np.minimum.reduce([u - 0.56, 0.92 - u, v - 0.56, 0.92 - v])
    diagonal = 0.45 + 0.35 * np.clip(3.0 * np.sin(2.0 * np.pi * 6.0 * (u + v)), -1.0, 1.0)
    _paint(image, _coverage(inside_square, w), diagonal)

    return np.clip(image, 0.0, 1.0)
