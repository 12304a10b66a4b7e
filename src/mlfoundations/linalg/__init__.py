"""Linear algebra written out from first principles and checked against LAPACK."""
