"""Save/load round trips for mlfoundations.nn modules.

Tolerance: none; a loaded module must give bit-for-bit the outputs, parameters and
(after a training step) updates of the original, so every comparison is exact.
"""

import dataclasses
import io
import zipfile

import numpy as np
import pytest
from numpy.testing import assert_array_equal

import mlfoundations
from mlfoundations.autodiff import Tensor
from mlfoundations.nn import (
    CrossEntropyLoss,
    Dropout,
    Linear,
    LogSoftmax,
    Module,
    MultiHeadAttention,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    Tanh,
)
from mlfoundations.persistence import register

X = np.random.default_rng(0).standard_normal((32, 4))
LABELS = np.random.default_rng(1).integers(0, 3, 32)


def mlp(dtype=np.float64):
    return Sequential(
        Linear(4, 16, rng=0, dtype=dtype), ReLU(),
        Linear(16, 8, rng=1, init="xavier", dtype=dtype), Tanh(),
        Linear(8, 8, rng=2, init="torch", dtype=dtype), Sigmoid(),
        Linear(8, 3, rng=3, bias=False, dtype=dtype), Softmax(dim=1),
    )


def sgd_step(net, lr=0.1):
    """One plain gradient step on the cross-entropy of the network's log-outputs."""
    net.zero_grad()
    loss = CrossEntropyLoss()(net(X), LABELS)
    loss.backward()
    for p in net.parameters():
        p.data -= lr * p.grad
    return loss.item()


def assert_same_module(a, b):
    assert type(a) is type(b) and repr(a) == repr(b)
    assert [n for n, _ in a.named_parameters()] == [n for n, _ in b.named_parameters()]
    sa, sb = a.state_dict(), b.state_dict()
    assert list(sa) == list(sb)
    for name in sa:
        assert_array_equal(sa[name], sb[name], err_msg=name, strict=True)
    for (_, pa), (_, pb) in zip(a.named_parameters(), b.named_parameters()):
        assert pa.requires_grad == pb.requires_grad
    assert [m.training for m in a.modules()] == [m.training for m in b.modules()]


def round_trip(module, tmp_path, name="net.mlf"):
    return mlfoundations.load(mlfoundations.save(module, tmp_path / name))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_trained_mlp_round_trips_bit_for_bit(dtype, tmp_path):
    net = mlp(dtype)
    for _ in range(3):
        sgd_step(net)
    loaded = round_trip(net, tmp_path)
    assert_same_module(loaded, net)
    assert loaded[0].weight.dtype == dtype
    assert_array_equal(loaded(X).numpy(), net(X).numpy(), strict=True)


def test_training_continues_identically_after_loading(tmp_path):
    net = mlp()
    sgd_step(net)
    loaded = round_trip(net, tmp_path)
    losses = [(sgd_step(net), sgd_step(loaded)) for _ in range(3)]
    assert all(a == b for a, b in losses)
    assert_same_module(loaded, net)


def test_file_arrays_are_the_state_dict(tmp_path):
    net = mlp()
    path = mlfoundations.save(net, tmp_path / "net.mlf")
    with zipfile.ZipFile(path) as archive:
        arrays = np.load(io.BytesIO(archive.read("arrays.npz")), allow_pickle=False)
        stored = {name: arrays[name] for name in arrays.files}
    expected = net.state_dict()
    assert sorted(stored) == sorted(expected)
    for name, value in expected.items():
        assert_array_equal(stored[name], value, strict=True)
    # and the state dict loads straight into a fresh network of the same architecture
    fresh = mlp()
    fresh.load_state_dict(stored)
    assert_array_equal(fresh(X).numpy(), net(X).numpy(), strict=True)


def test_dropout_keeps_its_generator_state_and_mode(tmp_path):
    net = Sequential(Linear(4, 6, rng=0), Dropout(0.3, rng=5), LogSoftmax())
    net(X)  # advance the dropout generator past its seed
    loaded = round_trip(net, tmp_path)
    assert_array_equal(loaded(X).numpy(), net(X).numpy(), strict=True)  # same masks, training mode
    net.eval()
    loaded_eval = round_trip(net, tmp_path, "eval.mlf")
    assert loaded_eval.training is False and loaded_eval[1].training is False
    assert_array_equal(loaded_eval(X).numpy(), net(X).numpy(), strict=True)


def test_multi_head_attention_round_trips(tmp_path):
    mha = MultiHeadAttention(8, 2, rng=0)
    x = np.random.default_rng(2).standard_normal((3, 5, 8))
    loaded = round_trip(mha, tmp_path)
    assert_same_module(loaded, mha)
    out, weights = mha(x, need_weights=True)
    out2, weights2 = loaded(x, need_weights=True)
    assert_array_equal(out2.numpy(), out.numpy(), strict=True)
    assert_array_equal(weights2.numpy(), weights.numpy(), strict=True)


def test_tied_weights_stay_tied_and_are_stored_once(tmp_path):
    first, second = Linear(4, 4, rng=0), Linear(4, 4, rng=1)
    second.weight = first.weight
    net = Sequential(first, Tanh(), second)
    path = mlfoundations.save(net, tmp_path / "tied.mlf")
    loaded = mlfoundations.load(path)
    assert loaded[0].weight is loaded[2].weight
    assert loaded[0].bias is not loaded[2].bias
    with zipfile.ZipFile(path) as archive:
        names = np.load(io.BytesIO(archive.read("arrays.npz")), allow_pickle=False).files
    assert sorted(names) == ["0.bias", "0.weight", "2.bias"]
    sgd_step_tied = [loaded, net]
    for model in sgd_step_tied:
        model.zero_grad()
        model(X).sum().backward()
        for p in model.parameters():
            p.data -= 0.01 * p.grad
    assert_same_module(loaded, net)


def test_a_module_used_twice_stays_one_module(tmp_path):
    shared = Linear(4, 4, rng=0)
    net = Sequential(shared, Tanh(), shared)
    loaded = round_trip(net, tmp_path)
    assert loaded[0] is loaded[2]
    assert list(loaded.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert_array_equal(loaded(X).numpy(), net(X).numpy(), strict=True)


def test_frozen_parameter_and_loss_module_round_trip(tmp_path):
    net = mlp()
    net[0].weight.requires_grad = False
    assert round_trip(net, tmp_path)[0].weight.requires_grad is False
    loss = CrossEntropyLoss(reduction="sum", label_smoothing=0.1)
    loaded = round_trip(loss, tmp_path, "loss.mlf")
    logits = net(X)
    assert loaded(logits, LABELS).item() == loss(logits, LABELS).item()


@register
@dataclasses.dataclass(frozen=True, slots=True)
class Config:
    width: int
    activation: str


@register
class Block(Module):
    """A user module: a parameter, a child, lists of children and Tensors, plain arrays."""

    def __init__(self):
        self.scale = Tensor(np.linspace(0.5, 1.5, 4), requires_grad=True)
        self.inner = Linear(4, 4, rng=0)
        self.layers = [Linear(4, 3, rng=1), Tanh(), Linear(3, 4, rng=2, bias=False)]
        self.offsets = [Tensor(np.arange(4.0), requires_grad=True)]
        self.note = {"centre": np.arange(4.0), "tag": ("a", 1, None), 3: 2.5}
        self.config = Config(width=4, activation="tanh")

    def forward(self, x):
        h = self.inner(x) * self.scale
        for layer in self.layers:
            h = layer(h)
        return h + self.offsets[0] + self.note["centre"]


def test_registered_user_module_round_trips(tmp_path):
    block = Block()
    loaded = round_trip(Sequential(block, ReLU()), tmp_path)
    assert type(loaded[0]) is Block
    assert_same_module(loaded, Sequential(block, ReLU()))
    assert loaded[0].note["tag"] == ("a", 1, None) and loaded[0].note[3] == 2.5
    assert loaded[0].config == Config(width=4, activation="tanh")
    assert_array_equal(loaded(X).numpy(), Sequential(block, ReLU())(X).numpy(), strict=True)


def test_unregistered_user_module_is_refused_at_save(tmp_path):
    class Unlisted(Module):
        def forward(self, x):
            return x

    message = r"Sequential._layers.1: the class .*Unlisted is not in mlfoundations' registry.*register"
    with pytest.raises(TypeError, match=message):
        mlfoundations.save(Sequential(Linear(2, 2, rng=0), Unlisted()), tmp_path / "x.mlf")
    with pytest.raises(TypeError, match=r"not in mlfoundations' registry"):
        mlfoundations.save(Unlisted(), tmp_path / "x.mlf")
    assert not (tmp_path / "x.mlf").exists()


def test_register_refuses_what_it_cannot_rebuild():
    class Slotted:
        __slots__ = ("a",)

    class Mapping(dict):
        pass

    with pytest.raises(TypeError, match="register takes a class, got int 3"):
        register(3)
    with pytest.raises(TypeError, match="Slotted cannot be registered: its instances have no __dict__"):
        register(Slotted)
    with pytest.raises(TypeError, match=r"Mapping cannot be registered: object.__new__\(.*Mapping\) is not safe"):
        register(Mapping)
