"""What `mlfoundations.load` refuses and `mlfoundations.save` protects against.

Loading must never run code from a file: pickles (with a side-effecting
``__reduce__``) under the model's extension or as ``.npz`` are refused and their side
effect never happens. Every malformed, unknown-version, tampered or foreign file is a
`FormatError` (a ValueError) that says what is wrong; path mistakes are the usual
OSError subclasses. Files are crafted here from the layout documented in
`mlfoundations.persistence` (zip of header.json + arrays.npz, SHA-256 of the canonical
header, a newline and the arrays), re-sealed with a correct checksum where a test
targets a later check.
"""

import hashlib
import io
import json
import os
import pathlib
import pickle
import re
import zipfile

import numpy as np
import pytest

import mlfoundations
from mlfoundations import models
from mlfoundations.persistence import FORMAT_NAME, FORMAT_VERSION, FormatError

X = np.random.default_rng(0).standard_normal((30, 3))
Y = X @ np.array([1.0, -2.0, 0.5]) + 0.1 * np.random.default_rng(1).standard_normal(30)


class SideEffect:
    """Unpickling this creates the file ``marker``: the attack a model file must not allow."""

    def __init__(self, marker):
        self.marker = pathlib.Path(marker)

    def __reduce__(self):
        return (pathlib.Path.touch, (self.marker,))


# -- helpers: build and re-seal files following the documented layout ---------------------
def saved(tmp_path, estimator=None, name="model.mlf"):
    estimator = estimator if estimator is not None else models.Ridge(alpha=0.5).fit(X, Y)
    return mlfoundations.save(estimator, tmp_path / name)


def read_parts(path):
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("header.json")), archive.read("arrays.npz")


def read_arrays(blob):
    with np.load(io.BytesIO(blob), allow_pickle=False) as npz:
        return {name: npz[name] for name in npz.files}


def npz_bytes(arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # pickles object arrays: the payloads below rely on it
    return buffer.getvalue()


def digest(header, blob):
    body = {k: v for k, v in header.items() if k != "sha256"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8") + b"\n" + blob).hexdigest()


def write_parts(path, header, blob, *, reseal=True, header_bytes=None):
    if reseal:
        header = {**header, "sha256": digest(header, blob)}
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("header.json", header_bytes if header_bytes is not None else json.dumps(header))
        archive.writestr("arrays.npz", blob)
    return path


def manifest(arrays):
    return {name: {"dtype": a.dtype.str, "shape": list(a.shape)} for name, a in arrays.items()}


# -- loading never unpickles ---------------------------------------------------------------
def test_the_payload_really_has_a_side_effect(tmp_path):
    # so that the tests below, where the marker stays absent, could fail
    marker = tmp_path / "proof"
    pickle.loads(pickle.dumps(SideEffect(marker)))
    assert marker.exists()


def _raw_pickle(tmp_path, marker, name):
    path = tmp_path / name
    path.write_bytes(pickle.dumps(SideEffect(marker)))
    return path


def _npy_with_pickle(tmp_path, marker, name):
    path = tmp_path / name
    with open(path, "wb") as f:
        np.save(f, np.array([SideEffect(marker)], dtype=object), allow_pickle=True)
    return path


def _npz_with_pickle(tmp_path, marker, name):
    path = tmp_path / name
    path.write_bytes(npz_bytes({"coef_": np.array([SideEffect(marker)], dtype=object)}))
    return path


def _model_with_extra_object_array(tmp_path, marker, name):
    header, blob = read_parts(saved(tmp_path, name="good.mlf"))
    arrays = {**read_arrays(blob), "evil": np.array([SideEffect(marker)], dtype=object)}
    header["arrays"]["evil"] = {"dtype": "|O", "shape": [1]}
    return write_parts(tmp_path / name, header, npz_bytes(arrays))


def _model_with_object_array_in_place_of_coef(tmp_path, marker, name):
    header, blob = read_parts(saved(tmp_path, name="good.mlf"))
    arrays = {**read_arrays(blob), "coef_": np.array([SideEffect(marker)] * 3, dtype=object)}
    return write_parts(tmp_path / name, header, npz_bytes(arrays))


def _model_with_pickled_header(tmp_path, marker, name):
    header, blob = read_parts(saved(tmp_path, name="good.mlf"))
    return write_parts(tmp_path / name, header, blob, header_bytes=pickle.dumps(SideEffect(marker)))


@pytest.mark.parametrize("name", ["model.mlf", "model.npz"])
@pytest.mark.parametrize(
    "make",
    [
        _raw_pickle,
        _npy_with_pickle,
        _npz_with_pickle,
        _model_with_extra_object_array,
        _model_with_object_array_in_place_of_coef,
        _model_with_pickled_header,
    ],
)
def test_pickles_are_refused_and_never_run(make, name, tmp_path):
    marker = tmp_path / "marker"
    path = make(tmp_path, marker, name)
    with pytest.raises(FormatError, match="not a zip archive|no header.json|cannot be read without pickle"
                       "|has dtype|not valid JSON"):
        mlfoundations.load(path)
    assert not marker.exists()


# -- foreign and malformed files -------------------------------------------------------------
@pytest.mark.parametrize("content", [b"", b"hello", b"PK\x03\x04 truncated zip"])
def test_a_file_that_is_not_a_zip_archive(content, tmp_path):
    path = tmp_path / "model.mlf"
    path.write_bytes(content)
    with pytest.raises(FormatError, match="is not an mlfoundations model file: it is not a zip archive"):
        mlfoundations.load(path)


def test_a_truncated_model_file(tmp_path):
    path = saved(tmp_path)
    path.write_bytes(path.read_bytes()[:-40])
    # zipfile may then find the end record of the arrays.npz inside: no header either way
    with pytest.raises(FormatError, match="not a zip archive|the archive has no header.json"):
        mlfoundations.load(path)


def test_a_plain_npz_archive_has_no_header(tmp_path):
    path = tmp_path / "weights.npz"
    np.savez(path, coef_=np.ones(3))
    with pytest.raises(FormatError, match=r"the archive has no header.json header \(members: \['coef_.npy'\]\)"):
        mlfoundations.load(path)


def test_an_extra_member_is_refused(tmp_path):
    path = saved(tmp_path)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("run.py", "print('hi')")
    with pytest.raises(FormatError, match=r"must hold exactly header.json and arrays.npz"):
        mlfoundations.load(path)


def test_a_compressed_member_is_refused(tmp_path):
    header, blob = read_parts(saved(tmp_path))
    path = tmp_path / "deflated.mlf"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("header.json", json.dumps(header))
        archive.writestr("arrays.npz", blob)
    with pytest.raises(FormatError, match="member header.json is compressed"):
        mlfoundations.load(path)


def test_compressed_or_foreign_arrays_are_refused(tmp_path):
    header, blob = read_parts(saved(tmp_path))
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **read_arrays(blob))
    path = write_parts(tmp_path / "inner.mlf", header, buffer.getvalue())
    with pytest.raises(FormatError, match=r"the arrays \['coef_.npy'\] are compressed"):
        mlfoundations.load(path)
    path = write_parts(tmp_path / "npy.mlf", header, b"\x93NUMPY not a zip")
    with pytest.raises(FormatError, match="arrays.npz is not an .npz archive of arrays"):
        mlfoundations.load(path)
    # a pickle in front of a valid zip: zipfile would accept it, np.load must not be reached with it
    marker = tmp_path / "marker"
    path = write_parts(tmp_path / "prefixed.mlf", header, pickle.dumps(SideEffect(marker)) + blob)
    with pytest.raises(FormatError, match=r"arrays.npz is not an .npz archive of arrays"):
        mlfoundations.load(path)
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (b"{not json", "its header.json is not valid JSON"),
        (b"\xff\xfe{}", "its header.json is not valid JSON"),
        (b'{"format": NaN}', "NaN is not valid JSON"),
        (b'{"format": "a", "format": "b"}', "repeats a key"),
        (b"[1, 2]", "its header's format is 'list'"),
        (b'{"format": "sklearn-joblib"}',
         "is not an mlfoundations model file: its header's format is 'sklearn-joblib'"),
    ],
)
def test_a_header_that_is_not_ours(text, match, tmp_path):
    header, blob = read_parts(saved(tmp_path))
    path = write_parts(tmp_path / "bad.mlf", header, blob, header_bytes=text)
    with pytest.raises(FormatError, match=match):
        mlfoundations.load(path)


@pytest.mark.parametrize("version", [2, 0, "1", None])
def test_an_unknown_format_version_names_found_and_supported(version, tmp_path):
    header, blob = read_parts(saved(tmp_path))
    header["format_version"] = version
    path = write_parts(tmp_path / "future.mlf", header, blob)
    ours = re.escape(mlfoundations.__version__)
    expected = (rf"has format version {re.escape(repr(version))} \(written by mlfoundations '{ours}'\); "
                rf"this mlfoundations \({ours}\) reads format version 1 only")
    with pytest.raises(FormatError, match=expected):
        mlfoundations.load(path)


# -- tampering --------------------------------------------------------------------------------
def test_an_edited_header_is_detected(tmp_path):
    header, blob = read_parts(saved(tmp_path))
    header["params"]["alpha"] = 50.0
    path = write_parts(tmp_path / "edited.mlf", header, blob, reseal=False)
    with pytest.raises(FormatError, match="edited.mlf was modified after it was saved: the SHA-256"):
        mlfoundations.load(path)


def test_edited_arrays_are_detected(tmp_path):
    header, blob = read_parts(saved(tmp_path))
    arrays = read_arrays(blob)
    arrays["coef_"] = arrays["coef_"] * 2  # same dtype and shape: only the checksum can tell
    path = write_parts(tmp_path / "edited.mlf", header, npz_bytes(arrays), reseal=False)
    with pytest.raises(FormatError, match="was modified after it was saved"):
        mlfoundations.load(path)


def test_a_flipped_byte_is_detected(tmp_path):
    path = saved(tmp_path)
    raw = bytearray(path.read_bytes())
    coef = models.Ridge(alpha=0.5).fit(X, Y).coef_.tobytes()
    at = bytes(raw).index(coef)  # inside the stored coef_ array
    raw[at] ^= 0x01
    path.write_bytes(bytes(raw))
    with pytest.raises(FormatError, match="is corrupted or was modified after it was saved .*CRC"):
        mlfoundations.load(path)


def test_a_missing_checksum(tmp_path):
    header, blob = read_parts(saved(tmp_path))
    del header["sha256"]
    path = write_parts(tmp_path / "nosum.mlf", header, blob, reseal=False)
    with pytest.raises(FormatError, match="the header has no sha256 checksum"):
        mlfoundations.load(path)


# -- the registry: classes are looked up, never imported ---------------------------------------
@pytest.mark.parametrize("name", ["builtins.eval", "os.system", "subprocess.Popen", "sklearn.linear_model.Ridge"])
def test_a_class_outside_the_registry_is_refused(name, tmp_path):
    header, blob = read_parts(saved(tmp_path))
    header["class"] = name
    path = write_parts(tmp_path / "foreign.mlf", header, blob)
    with pytest.raises(FormatError, match=rf"the class '{name}' is not one that mlfoundations loads"):
        mlfoundations.load(path)


def test_a_nested_class_outside_the_registry_is_refused(tmp_path):
    header, blob = read_parts(saved(tmp_path, models.LinearRegression().fit(X, Y)))
    text = json.dumps(header).replace("mlfoundations.models.ols_results.OLSResults", "collections.OrderedDict")
    path = write_parts(tmp_path / "nested.mlf", json.loads(text), blob)
    with pytest.raises(FormatError, match="the class 'collections.OrderedDict' is not one that mlfoundations loads"):
        mlfoundations.load(path)


def test_a_registered_class_of_the_wrong_kind_is_refused(tmp_path):
    header, blob = read_parts(saved(tmp_path))
    header["class"] = "mlfoundations.models.ols_results.OLSResults"
    path = write_parts(tmp_path / "kind.mlf", header, blob)
    with pytest.raises(FormatError, match="OLSResults is not a saved 'estimator'"):
        mlfoundations.load(path)


# -- arrays and the header's table of them ----------------------------------------------------
def _edit_arrays(tmp_path, edit_arrays=None, edit_table=None):
    header, blob = read_parts(saved(tmp_path))
    arrays = read_arrays(blob)
    if edit_arrays:
        edit_arrays(arrays)
    if edit_table:
        edit_table(header["arrays"])
    return write_parts(tmp_path / "arrays.mlf", header, npz_bytes(arrays))


@pytest.mark.parametrize(
    ("edit_arrays", "edit_table", "match"),
    [
        (lambda a: a.pop("coef_"), None, r"the arrays do not match the header \(missing \['coef_'\], extra \[\]\)"),
        (lambda a: a.update(extra=np.ones(2)), None, r"missing \[\], extra \['extra'\]"),
        (lambda a: a.update(coef_=a["coef_"].astype(np.float32)), None,
         r"the array 'coef_' has dtype <f4 and shape \[3\], the header says '<f8' and \[3\]"),
        (lambda a: a.update(coef_=a["coef_"][:2]), None,
         r"has dtype <f8 and shape \[2\], the header says '<f8' and \[3\]"),
        (lambda a: a.update(spare=np.ones(2)), lambda t: t.update(spare={"dtype": "<f8", "shape": [2]}),
         r"holds arrays that its header never uses: \['spare'\]"),
    ],
)
def test_arrays_must_match_the_header(edit_arrays, edit_table, match, tmp_path):
    with pytest.raises(FormatError, match=match):
        mlfoundations.load(_edit_arrays(tmp_path, edit_arrays, edit_table))


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        ('"array": "coef_"', '"array": "nowhere"', "refers to an array 'nowhere' that the file does not hold"),
        ('"type": "ndarray"', '"type": "pickle"', "unknown value type 'pickle'"),
        ('"alpha": 0.5', '"alpha": 0.5, "gamma": 1', r"Ridge has no hyperparameters \['gamma'\]"),
        ('"state": [', '"state": [["coef_", 1], ', r"invalid or repeated attribute name 'coef_'"),
        ('"state": [', '"state": [["x", {"type": "ref", "id": 99}], ', "reference to the unknown object id 99"),
        ('"state": [', '"state": [["x", {"type": "dtype", "str": "|O"}], ', "the dtype '|O' is not allowed"),
        ('"state": [', '"state": [["x", {"type": "generator", "bit_generator": "os", "state": 1}], ',
         "unknown bit generator 'os'"),
    ],
)
def test_malformed_values_in_the_header(old, new, match, tmp_path):
    header, blob = read_parts(saved(tmp_path))
    text = json.dumps(header)
    assert old in text
    path = write_parts(tmp_path / "values.mlf", json.loads(text.replace(old, new, 1)), blob)
    with pytest.raises(FormatError, match=match):
        mlfoundations.load(path)


def test_a_hyperparameter_the_file_lacks_takes_its_default(tmp_path):
    # a class that gained a hyperparameter still loads files written before
    header, blob = read_parts(saved(tmp_path, models.Ridge(alpha=0.5, solver="svd").fit(X, Y)))
    del header["params"]["solver"]
    loaded = mlfoundations.load(write_parts(tmp_path / "old.mlf", header, blob))
    assert loaded.solver == "auto" and loaded.alpha == 0.5


# -- paths ----------------------------------------------------------------------------------------
def test_load_missing_path_and_directory(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        mlfoundations.load(tmp_path / "absent.mlf")
    saved(tmp_path, name="model.mlf")
    with pytest.raises(FileNotFoundError, match=r"did you mean 'model.mlf'\?"):
        mlfoundations.load(tmp_path / "model")
    with pytest.raises(IsADirectoryError, match="the path is a directory"):
        mlfoundations.load(tmp_path)


def test_save_refuses_to_overwrite_unless_asked(tmp_path):
    path = saved(tmp_path)
    before = path.read_bytes()
    bigger = models.Ridge(alpha=5.0).fit(X, Y)
    with pytest.raises(FileExistsError, match=r"the file exists \(pass overwrite=True to replace it\)"):
        mlfoundations.save(bigger, path)
    assert path.read_bytes() == before
    assert mlfoundations.save(bigger, path, overwrite=True) == path
    assert mlfoundations.load(path).alpha == 5.0
    assert sorted(os.listdir(tmp_path)) == ["model.mlf"]  # no temporary file left behind


def test_save_path_errors(tmp_path):
    model = models.Ridge().fit(X, Y)
    with pytest.raises(IsADirectoryError, match="the path is a directory"):
        mlfoundations.save(model, tmp_path, overwrite=True)
    with pytest.raises(FileNotFoundError, match="no such directory"):
        mlfoundations.save(model, tmp_path / "missing" / "model.mlf")
    with pytest.raises(TypeError, match="path must be a str or os.PathLike, got int"):
        mlfoundations.save(model, 3)
    with pytest.raises(TypeError, match="overwrite must be True or False"):
        mlfoundations.save(model, tmp_path / "m.mlf", overwrite="yes")


def test_save_adds_the_default_extension_only_when_there_is_none(tmp_path):
    model = models.Ridge().fit(X, Y)
    assert mlfoundations.save(model, tmp_path / "plain") == tmp_path / "plain.mlf"
    assert mlfoundations.save(model, str(tmp_path / "model.json")) == tmp_path / "model.json"
    assert mlfoundations.load(tmp_path / "model.json").alpha == 1.0


# -- what save refuses -------------------------------------------------------------------------------
class MyPCA(models.PCA):
    pass


def _mixed_labels():
    model = models.Ridge().fit(X, Y)
    model.labels_ = np.array(["a", 1], dtype=object)
    return model


@pytest.mark.parametrize(
    ("obj", "match"),
    [
        (np.ones(3),
         "save takes an estimator of mlfoundations.models or an mlfoundations.nn.Module, got numpy.ndarray"),
        (models.LinearRegression().fit(X, Y).results_, "got mlfoundations.models.ols_results.OLSResults"),
        (MyPCA(), r"MyPCA: the class is not in mlfoundations' registry .*mlfoundations.persistence.register"),
        (models.RidgeCV(scoring=lambda est, X, y: 0.0),
         r"cannot save RidgeCV.scoring: a value of type builtins.function"),
        (_mixed_labels(), r"cannot save Ridge.labels_: an object array can be saved only when it holds str.*int"),
    ],
)
def test_save_refuses_what_it_cannot_store(obj, match, tmp_path):
    with pytest.raises(TypeError, match=match):
        mlfoundations.save(obj, tmp_path / "model.mlf")
    assert os.listdir(tmp_path) == []  # nothing written


# -- the documented layout ---------------------------------------------------------------------
def test_the_file_layout(tmp_path):
    model = models.LinearRegression().fit(X, Y)
    path = saved(tmp_path, model)
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == ["header.json", "arrays.npz"]
    assert all(i.compress_type == zipfile.ZIP_STORED for i in infos)
    header, blob = read_parts(path)
    assert header["format"] == FORMAT_NAME == "mlfoundations-model"
    assert header["format_version"] == FORMAT_VERSION == 1
    assert header["library_version"] == mlfoundations.__version__
    assert header["class"] == "mlfoundations.models.linear_regression.LinearRegression"
    assert header["kind"] == "estimator" and header["fitted"] is True
    assert header["params"] == model.get_params(deep=False)
    assert header["sha256"] == digest(header, blob)
    arrays = read_arrays(blob)
    assert header["arrays"] == manifest(arrays)
    np.testing.assert_array_equal(arrays["coef_"], model.coef_, strict=True)
    np.testing.assert_array_equal(arrays["results_.params"], model.results_.params, strict=True)
    state = dict(header["state"])
    assert state["n_features_in_"] == 3 and state["rank_"] == 3
    assert state["results_"]["class"] == "mlfoundations.models.ols_results.OLSResults"
