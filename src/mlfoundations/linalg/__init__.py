"""Linear algebra written out from first principles and checked against LAPACK."""
from .eig import EigResult, eig, eigvals
from .eigh import EighResult, eigh, eigvalsh
from .power import PowerIterationResult, power_iteration
from .svd import SVDResult, svd, svdvals, matrix_rank, cond, pinv
from .lowrank import LowRankApproximation, low_rank_approximation
from .vectors import dot, cross, norm, cosine_similarity, project
from .lu import LUResult, SlogdetResult, lu, det, slogdet, solve, inv
from .cholesky import cholesky, cho_solve
from .qr import QRResult, LstsqResult, qr, lstsq
