"""Neural-network layers, losses and attention built on `mlfoundations.autodiff`.

Modules hold parameters (plain Tensors with ``requires_grad=True``) and call the
formulas in `mlfoundations.nn.functional`; every gradient comes from the autodiff
primitives, none is written by hand here. Names, shapes and semantics follow
PyTorch (``Linear.weight`` is ``(out_features, in_features)``, losses take
``reduction``, parameter names are dotted paths), so a PyTorch model's weights
load with `Module.load_state_dict`.
"""

from . import functional, init
from .activations import LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from .attention import MultiHeadAttention
from .layers import Dropout, Linear
from .losses import BCEWithLogitsLoss, CrossEntropyLoss, MSELoss, NLLLoss
from .module import (
    IncompatibleKeys,
    Module,
    Sequential,
    functional_call,
    load_state_dict_file,
    save_state_dict,
)

__all__ = [
    "functional",
    "init",
    "Module",
    "Sequential",
    "IncompatibleKeys",
    "functional_call",
    "save_state_dict",
    "load_state_dict_file",
    "Linear",
    "Dropout",
    "ReLU",
    "Sigmoid",
    "Tanh",
    "Softmax",
    "LogSoftmax",
    "MSELoss",
    "CrossEntropyLoss",
    "NLLLoss",
    "BCEWithLogitsLoss",
    "MultiHeadAttention",
]
