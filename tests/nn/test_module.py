"""Module, Sequential, state dictionaries, saving, functional_call."""

import numpy as np
import pytest

from mlfoundations.autodiff import Tensor
from mlfoundations.nn import (
    CrossEntropyLoss,
    Dropout,
    IncompatibleKeys,
    Linear,
    Module,
    MultiHeadAttention,
    ReLU,
    Sequential,
    Tanh,
    functional_call,
    load_state_dict_file,
    save_state_dict,
)


def mlp(seed=0):
    return Sequential(Linear(4, 5, rng=seed), ReLU(), Linear(5, 3, rng=seed + 1))


class Block(Module):
    """A module holding a parameter, a child, a list of children and a list of Tensors."""

    def __init__(self):
        super().__init__()
        self.scale = Tensor(np.ones(3), requires_grad=True)
        self.inner = Linear(3, 3, rng=0)
        self.layers = [Linear(3, 2, rng=1), Tanh(), Linear(2, 3, rng=2, bias=False)]
        self.offsets = [Tensor(np.zeros(3), requires_grad=True)]
        self.note = np.arange(3.0)  # a plain array is not a parameter
        self.rate = 0.5

    def forward(self, x):
        h = self.inner(x) * self.scale
        for layer in self.layers:
            h = layer(h)
        return h + self.offsets[0]


def test_named_parameters_follow_pytorchs_dotted_names():
    names = [name for name, _ in Block().named_parameters()]
    assert names == [
        "scale", "offsets.0",  # the module's own Tensors first, then its children's
        "inner.weight", "inner.bias", "layers.0.weight", "layers.0.bias", "layers.2.weight",
    ]
    assert [name for name, _ in mlp().named_parameters()] == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_parameters_lists_a_shared_tensor_once_but_state_dict_keeps_every_name():
    shared = Linear(3, 3, rng=0)
    net = Sequential(shared, ReLU(), shared)
    assert len(net.parameters()) == 2
    assert [name for name, _ in net.named_parameters()] == ["0.weight", "0.bias"]
    assert list(net.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    # loading through either name writes the one shared tensor
    net.load_state_dict({k: np.full(v.shape, 2.0) for k, v in net.state_dict().items()})
    np.testing.assert_array_equal(shared.weight.data, 2.0)


def test_parameters_are_the_module_tensors_themselves():
    block = Block()
    params = block.parameters()
    assert params[0] is block.scale and params[2] is block.inner.weight
    assert all(p.requires_grad for p in params)


def test_zero_grad_clears_every_parameter_gradient():
    net = mlp()
    x = np.random.default_rng(0).standard_normal((6, 4))
    CrossEntropyLoss()(net(x), [0, 1, 2, 0, 1, 2]).backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_train_and_eval_propagate_to_every_submodule():
    block = Block()
    assert block.training and block.layers[1].training
    assert block.eval() is block
    assert not any(m.training for m in block.modules())
    block.train()
    assert all(m.training for m in block.modules())
    with pytest.raises(TypeError, match="mode must be True or False"):
        block.train("no")


def test_dropout_inside_sequential_is_the_identity_in_eval_mode():
    net = Sequential(Linear(4, 4, rng=0), Dropout(0.5, rng=1))
    x = np.ones((3, 4))
    train_out = net(x).numpy()
    eval_out = net.eval()(x).numpy()
    np.testing.assert_array_equal(eval_out, net[0](x).numpy())
    assert not np.array_equal(train_out, eval_out)


def test_state_dict_holds_copies():
    net = mlp()
    state = net.state_dict()
    state["0.weight"][...] = 0.0
    assert not np.all(net[0].weight.data == 0.0)


def test_load_state_dict_writes_in_place_and_round_trips():
    source, target = mlp(0), mlp(10)
    weight_before = target[0].weight
    result = target.load_state_dict(source.state_dict())
    assert result == IncompatibleKeys([], [])
    assert target[0].weight is weight_before  # optimizers keep their references
    for (name, a), (_, b) in zip(source.state_dict().items(), target.state_dict().items()):
        np.testing.assert_array_equal(a, b, err_msg=name)


def test_load_state_dict_strict_names_missing_unexpected_and_mismatched_keys():
    net = mlp()
    state = net.state_dict()
    del state["2.bias"]
    state["3.weight"] = np.zeros(2)
    with pytest.raises(ValueError, match=r"missing keys \['2.bias'\]; unexpected keys \['3.weight'\]"):
        net.load_state_dict(state)
    state = net.state_dict()
    state["0.weight"] = state["0.weight"].T
    with pytest.raises(ValueError, match=r"shape mismatch for '0.weight': the parameter has shape \(5, 4\), "
                                         r"the state_dict holds \(4, 5\)"):
        net.load_state_dict(state)


def test_a_failed_load_writes_nothing():
    net = mlp()
    before = net.state_dict()
    state = {k: np.zeros_like(v) for k, v in before.items()}
    state["2.weight"] = np.zeros((1, 1))
    with pytest.raises(ValueError, match="shape mismatch"):
        net.load_state_dict(state)
    for name, value in net.state_dict().items():
        np.testing.assert_array_equal(value, before[name])


def test_load_state_dict_non_strict_reports_and_skips():
    net = mlp()
    state = {"0.weight": np.zeros((5, 4)), "extra": np.ones(1)}
    result = net.load_state_dict(state, strict=False)
    assert result.missing_keys == ["0.bias", "2.weight", "2.bias"]
    assert result.unexpected_keys == ["extra"]
    np.testing.assert_array_equal(net[0].weight.data, 0.0)
    state["0.weight"] = np.zeros((4, 4))
    with pytest.raises(ValueError, match="shape mismatch for '0.weight'"):
        net.load_state_dict(state, strict=False)


def test_load_state_dict_refuses_bad_values_and_containers():
    net = mlp()
    state = net.state_dict()
    state["0.bias"] = np.full(5, np.nan)
    with pytest.raises(ValueError, match=r"state_dict\['0.bias'\] contains NaN"):
        net.load_state_dict(state)
    with pytest.raises(TypeError, match="state_dict must be a mapping"):
        net.load_state_dict([("0.weight", np.zeros((5, 4)))])


def test_load_state_dict_keeps_the_parameter_dtype():
    net = Sequential(Linear(2, 2, rng=0, dtype=np.float32))
    net.load_state_dict({"0.weight": np.eye(2), "0.bias": np.ones(2)})
    assert net[0].weight.dtype == np.float32
    np.testing.assert_array_equal(net[0].weight.data, np.eye(2, dtype=np.float32))


def test_save_and_load_round_trip_through_npz_without_pickle(tmp_path):
    net = Block()
    path = tmp_path / "block.weights"  # the name is used as given
    net.save(path)
    assert path.exists()
    with np.load(path, allow_pickle=False) as archive:
        assert sorted(archive.files) == sorted(net.state_dict())
    other = Block()
    for p in other.parameters():
        p.data[...] = 0.0
    assert other.load(path) == IncompatibleKeys([], [])
    for name, value in net.state_dict().items():
        np.testing.assert_array_equal(other.state_dict()[name], value)


def test_save_state_dict_and_load_state_dict_file_functions(tmp_path):
    state = {"a.weight": np.arange(6.0).reshape(2, 3), "b": np.float32([1.5])}
    save_state_dict(state, tmp_path / "s.npz")
    loaded = load_state_dict_file(tmp_path / "s.npz")
    assert list(loaded) == ["a.weight", "b"]
    np.testing.assert_array_equal(loaded["a.weight"], state["a.weight"])
    assert loaded["b"].dtype == np.float32
    with pytest.raises(TypeError, match="state_dict keys must be str"):
        save_state_dict({1: np.zeros(1)}, tmp_path / "bad.npz")
    with pytest.raises(ValueError, match=r"state_dict\['x'\] contains inf"):
        save_state_dict({"x": np.array([np.inf])}, tmp_path / "bad.npz")


def test_loading_refuses_files_that_would_need_pickle(tmp_path):
    objects = tmp_path / "objects.npz"
    np.savez(objects, w=np.array([{"code": 1}], dtype=object))
    with pytest.raises(ValueError, match="object arrays, readable only by unpickling; refused"):
        load_state_dict_file(objects)
    text = tmp_path / "not_numpy.npz"
    text.write_bytes(b"definitely not a zip archive")
    with pytest.raises(ValueError, match="is not an .npz archive of numeric arrays"):
        load_state_dict_file(text)
    single = tmp_path / "single.npy"
    np.save(single, np.zeros(3))
    with pytest.raises(ValueError, match="holds a single array, not an .npz archive"):
        load_state_dict_file(single)


def test_repr_looks_like_pytorchs():
    assert repr(Linear(3, 2, bias=False, rng=0)) == "Linear(in_features=3, out_features=2, bias=False)"
    assert repr(Dropout(0.25)) == "Dropout(p=0.25)"
    assert repr(CrossEntropyLoss()) == "CrossEntropyLoss(reduction='mean')"
    nested = Sequential(Sequential(ReLU()), MultiHeadAttention(4, 2, rng=0))
    assert repr(nested) == (
        "Sequential(\n"
        "  (0): Sequential(\n"
        "    (0): ReLU()\n"
        "  )\n"
        "  (1): MultiHeadAttention(\n"
        "    embed_dim=4, num_heads=2\n"
        "    (q_proj): Linear(in_features=4, out_features=4, bias=True)\n"
        "    (k_proj): Linear(in_features=4, out_features=4, bias=True)\n"
        "    (v_proj): Linear(in_features=4, out_features=4, bias=True)\n"
        "    (out_proj): Linear(in_features=4, out_features=4, bias=True)\n"
        "  )\n"
        ")"
    )


def test_sequential_indexing_len_iteration_and_forward():
    net = mlp()
    assert len(net) == 3 and isinstance(net[1], ReLU) and net[-1] is list(net)[2]
    head = net[:2]
    assert isinstance(head, Sequential) and len(head) == 2 and head[0] is net[0]
    x = np.random.default_rng(1).standard_normal((2, 4))
    np.testing.assert_array_equal(net(x).numpy(), net[2](net[1](net[0](x))).numpy())
    assert Sequential()(x) is x  # the empty composition is the identity
    with pytest.raises(TypeError, match="Sequential takes Modules; argument 1 is a str"):
        Sequential(Linear(2, 2), "relu")


def test_a_module_without_forward_says_so():
    with pytest.raises(NotImplementedError, match="Module must define forward"):
        Module()(1.0)


def test_functional_call_swaps_parameters_and_restores_them():
    layer = Linear(2, 1, rng=0)
    weight = layer.weight
    w = Tensor([[1.0, 2.0]], requires_grad=True)
    out = functional_call(layer, {"weight": w}, np.array([[3.0, 4.0]]))
    assert layer.weight is weight
    out.sum().backward()
    np.testing.assert_array_equal(w.grad, [[3.0, 4.0]])
    assert weight.grad is None
    np.testing.assert_allclose(out.numpy(), [[11.0 + layer.bias.data[0]]], rtol=1e-15)


def test_functional_call_reaches_list_slots_and_restores_on_error():
    block = Block()
    zeros = {name: np.zeros(p.shape) for name, p in block.named_parameters()}
    out = functional_call(block, zeros, np.ones((2, 3)))
    np.testing.assert_array_equal(out.numpy(), 0.0)
    assert block.offsets[0] is dict(block.named_parameters())["offsets.0"]
    with pytest.raises(ValueError, match="Block has no parameter named 'nope'"):
        functional_call(block, {"nope": np.zeros(1)}, np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"parameter 'inner.bias' has shape \(3,\), got \(2,\)"):
        functional_call(block, {"inner.bias": np.zeros(2)}, np.ones((2, 3)))
    original = block.layers[0].weight
    with pytest.raises(ValueError, match="in_features=3"):
        functional_call(block, {"layers.0.weight": np.zeros((2, 3))}, np.ones((2, 5)))
    assert block.layers[0].weight is original
