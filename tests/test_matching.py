"""The matching core: reading pasted errors, normalising messages, ranking cases."""

from __future__ import annotations

import pytest

from fixbook.knowledge.matching import (
    THRESHOLD,
    PastedError,
    Pattern,
    class_matches,
    normalise,
    parse,
    rank,
    regex_search,
    shown_versions,
)

PREDICTIVE = Pattern(
    case="numpyro/predictive-deterministic-shape",
    library="numpyro",
    raises="ValueError",
    match="Incompatible shapes for broadcasting",
    libraries=("numpyro", "jax"),
)
TRACER_BOOL = Pattern(
    case="numpyro/python-if",
    library="numpyro",
    raises="jax.errors.TracerBoolConversionError",
    match="Attempted boolean conversion of traced array",
)
CONCRETE = Pattern(
    case="jax/concrete",
    library="jax",
    raises="jax.errors.ConcretizationTypeError",
    match="Abstract tracer value",
)
OLD_WORDING = Pattern(
    case="tensorflow/variables",
    library="tensorflow",
    raises="ValueError",
    match="tf\\.function only supports singleton tf\\.Variables",
    messages=("tf\\.function-decorated function tried to create variables on non-first call",),
)

CHAINED = """\
Traceback (most recent call last):
  File "/home/u/.venv/lib/python3.11/site-packages/tensorflow/python/ops/array_ops.py", line 1757
ValueError: Cannot convert a partially known TensorShape to a Tensor: (?,)

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "run.py", line 6, in <module>
    model.run()
TypeError: something else: 3
"""

NOTEBOOK = """\
---------------------------------------------------------------------------
ValueError                                Traceback (most recent call last)
Cell In[3], line 2
----> 2 pred = Predictive(model, samples)(key, x_new)

File ~/.venv/lib/python3.11/site-packages/numpyro/infer/util.py:1032, in Predictive.__call__
-> 1032 return _predictive(

ValueError: Incompatible shapes for broadcasting: shapes=[(1000,), (30,)]
"""

PYTEST = """\
    def test_model():
>       pred = Predictive(model, samples)(key, x_new)
E       ValueError: Incompatible shapes for broadcasting: shapes=[(50, 100), (30,)]

tests/test_model.py:12: ValueError
"""


def test_parse_reads_the_whole_chain_in_order() -> None:
    pasted = parse(CHAINED)
    assert [e.cls for e in pasted.errors] == ["ValueError", "TypeError"]
    assert (
        pasted.errors[0].message == "Cannot convert a partially known TensorShape to a Tensor: (?,)"
    )
    assert pasted.libraries == {"tensorflow"}


def test_parse_reads_notebook_and_pytest_formatting() -> None:
    for text in (NOTEBOOK, PYTEST):
        last = parse(text).errors[-1]
        assert last.cls == "ValueError"
        assert last.message.startswith("Incompatible shapes for broadcasting: shapes=[(")
    assert parse(NOTEBOOK).libraries == {"numpyro"}


def test_parse_unwraps_jax_filtered_stack_traces_and_keeps_qualified_names() -> None:
    text = (
        "jax._src.traceback_util.UnfilteredStackTrace: jax.errors.TracerBoolConversionError: "
        "Attempted boolean conversion of traced array with shape bool[]..\n"
        "The error occurred while tracing the function f at x.py:3\n"
    )
    (error,) = parse(text).errors
    assert error.cls == "jax.errors.TracerBoolConversionError"
    assert error.name == "TracerBoolConversionError"
    assert "The error occurred while tracing" in error.message


def test_parse_a_bare_message_has_no_class() -> None:
    (error,) = parse("  Incompatible shapes for broadcasting: shapes=[(3,), (5,)]\n").errors
    assert error == PastedError("", "Incompatible shapes for broadcasting: shapes=[(3,), (5,)]")
    assert parse("").errors == ()


def test_shown_versions_reads_pins_and_version_lines() -> None:
    text = "numpyro==0.14.0\nTensorflow version: 2.3.0\njax 0.4.25 on linux\nfoo==1.0, bar 2.0\n"
    assert shown_versions(text) == {
        "numpyro": "0.14.0",
        "tensorflow": "2.3.0",
        "jax": "0.4.25",
        "foo": "1.0",
    }


def test_normalise_masks_what_varies_between_users() -> None:
    a = normalise("Incompatible shapes for broadcasting: shapes=[(1000,), (30,)] in /home/a/x.py")
    b = normalise("Incompatible shapes for broadcasting: shapes=[(7, 2), (9,)] in C:\\u\\y.py")
    assert a == b
    assert normalise("got int32 at 0x7f00aa and float64[3]") == normalise(
        "got float16 at 0x1 and int8[7, 2]"
    )
    assert "tracer" in normalise(
        "value: Traced<ShapedArray(int32[])>with<DynamicJaxprTrace(level=1/0)>"
    )
    assert normalise("Could not locate class 'A'") == normalise("Could not locate class 'Other'")


def test_class_matches_by_name_builtin_hierarchy_aliases_and_stored_mro() -> None:
    assert class_matches(PastedError("ValueError", ""), PREDICTIVE)
    assert not class_matches(PastedError("TypeError", ""), PREDICTIVE)
    import_error = Pattern("x/y", "x", "ImportError", "m")
    assert class_matches(PastedError("ModuleNotFoundError", ""), import_error)
    # documented alias: TracerBoolConversionError is a ConcretizationTypeError
    assert class_matches(PastedError("jax._src.errors.TracerBoolConversionError", ""), CONCRETE)
    assert not class_matches(PastedError("jax.errors.ConcretizationTypeError", ""), TRACER_BOOL)
    # the MRO a results file recorded for the case's own exception
    custom = Pattern(
        "x/y", "x", "BaseThing", "m", mro=("pkg.SubThing", "pkg.BaseThing", "Exception")
    )
    assert class_matches(PastedError("pkg.SubThing", ""), custom)


def test_regex_search_is_bounded_and_never_raises() -> None:
    assert regex_search("bad thing \\d+", "a bad thing 42")
    assert not regex_search("(unclosed", "anything")
    assert not regex_search("(a+)+$", "a" * 5000 + "!")


def test_rank_exact_then_near_with_a_threshold() -> None:
    patterns = [TRACER_BOOL, OLD_WORDING, PREDICTIVE]
    matches = rank(parse(NOTEBOOK), patterns)
    assert [(m.case, m.exact) for m in matches] == [(PREDICTIVE.case, True)]
    near = rank(parse("ValueError: incompatible shape broadcasting for the sites"), patterns)
    assert near and not near[0].exact and THRESHOLD <= near[0].score < 1
    assert rank(parse("KeyError: 'foo'"), patterns) == []


def test_rank_matches_other_wordings_from_messages() -> None:
    text = "ValueError: tf.function-decorated function tried to create variables on non-first call."
    (match,) = rank(parse(text), [OLD_WORDING, PREDICTIVE])
    assert match.case == OLD_WORDING.case and match.exact


def test_a_traceback_through_other_libraries_only_is_never_exact() -> None:
    text = (
        '  File "/x/site-packages/flowMC/Sampler.py", line 204, in sample\n'
        "ValueError: Incompatible shapes for broadcasting: shapes=[(3,), (5,)]\n"
    )
    matches = rank(parse(text), [PREDICTIVE])
    assert all(not m.exact for m in matches)


@pytest.mark.parametrize("position", [0, 1])
def test_a_cause_earlier_in_the_chain_also_matches(position: int) -> None:
    errors = [
        "ValueError: Incompatible shapes for broadcasting: shapes=[(1,), (2,)]",
        "KeyError: 'a'",
    ]
    if position:
        errors.reverse()
    text = "\n\nThe above exception was the direct cause of the following exception:\n\n".join(
        errors
    )
    (match,) = rank(parse(text), [PREDICTIVE])
    assert match.exact
    assert match.score == (0.95 if position == 0 else 1.0)


def test_warnings_crashes_and_log_claims() -> None:
    warns = Pattern(
        "keras/h5", "keras", "UserWarning", "saving your model as an HDF5 file", kind="warns"
    )
    crash = Pattern("tensorflow/abort", "tensorflow", "", r"Check failed: \w+ == 0", kind="crashes")
    logged = Pattern("keras/legacy", "keras", "", "", kind="stderr", stderr="legacy \\.h5 format")
    hangs = Pattern("jax/fork", "jax", "", "", kind="hangs")
    patterns = [warns, crash, logged, hangs]
    warning = "/x.py:3: UserWarning: You are saving your model as an HDF5 file via `model.save()`."
    assert [(m.case, m.exact) for m in rank(parse(warning), patterns)] == [(warns.case, True)]
    log = "2026-11-30 10:00:00 F0000 xla/shape.cc:12] Check failed: rank == 0 (2 vs. 0)\nAborted\n"
    assert [(m.case, m.exact) for m in rank(parse(log), patterns)] == [(crash.case, True)]
    notice = "WARNING:absl:You are saving in the legacy .h5 format; prefer .keras\n"
    assert rank(parse(notice), patterns)[0].case == logged.case
    assert rank(parse(notice), patterns)[0].exact
    assert not any(m.case == hangs.case for m in rank(parse(notice + log + warning), patterns))


#: Two cases documenting one JAX message: raised by JAX alone, and inside NumPyro's MCMC.
SHARED_JAX = Pattern(
    case="jax/python-if",
    library="jax",
    raises="jax.errors.TracerBoolConversionError",
    match="Attempted boolean conversion of traced array",
    libraries=("jax",),
)
SHARED_NUMPYRO = Pattern(
    case="numpyro/python-if",
    library="numpyro",
    raises="jax.errors.TracerBoolConversionError",
    match="Attempted boolean conversion of traced array",
    libraries=("numpyro", "jax"),
)
BOOL_LINE = "jax.errors.TracerBoolConversionError: Attempted boolean conversion of traced array"


@pytest.mark.parametrize(
    ("modules", "first"),
    [
        ((), "jax/python-if"),
        (("jax/_src/core.py",), "jax/python-if"),
        (("numpyro/infer/mcmc.py", "jax/_src/core.py"), "numpyro/python-if"),
    ],
)
def test_exact_matches_of_one_message_rank_the_case_the_frames_point_to(
    modules: tuple[str, ...], first: str
) -> None:
    frames = "".join(
        f'  File "/env/lib/python3.11/site-packages/{module}", line 1, in f\n' for module in modules
    )
    matches = rank(parse(frames + BOOL_LINE), [SHARED_NUMPYRO, SHARED_JAX])
    assert [m.exact for m in matches] == [True, True]
    assert matches[0].case == first and matches[0].specificity > matches[1].specificity


def test_exact_matches_of_one_message_rank_the_case_explaining_more_of_it() -> None:
    generic = Pattern(
        case="jax/arange",
        library="jax",
        raises="jax.errors.ConcretizationTypeError",
        match="Abstract tracer value encountered where concrete value is expected",
    )
    specific = Pattern(
        case="jax/nonzero",
        library="jax",
        raises="jax.errors.ConcretizationTypeError",
        match="Abstract tracer value encountered",
        messages=(r"Abstract tracer value encountered[\s\S]*The error arose in jnp\.nonzero",),
    )
    text = (
        "jax.errors.ConcretizationTypeError: Abstract tracer value encountered where concrete"
        " value is expected: traced array\nThe error arose in jnp.nonzero\n"
    )
    matches = rank(parse(text), [generic, specific])
    assert [(m.case, m.exact) for m in matches] == [("jax/nonzero", True), ("jax/arange", True)]
