"""Side-by-side benchmarks: this library and its peers, same process, same data."""
