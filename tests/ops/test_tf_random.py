"""TF-exact random generation: Philox4x32-10, glibc's float math, TFRandomState's distributions.

Expected numbers are TensorFlow 2.21's CPU kernel outputs (recorded once from real TF with the
given ``seed``/``seed2`` attrs), the Random123 known-answer tests for Philox, and glibc 2.36's
``logf``/``sincosf`` results on inputs where they are not the correctly rounded value.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from scopeflow.ops._philox import philox_at, philox_range, philox_scalar
from scopeflow.ops._tf_libm import logf_glibc, sincosf_glibc
from scopeflow.ops._tf_random import TFRandomState

M64 = (1 << 64) - 1


def _bits(t: torch.Tensor) -> list[int]:
    return t.numpy().view(np.uint32).tolist()


# --- Philox -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "counter", "expected"),
    [
        (0, 0, (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
        (M64, (1 << 128) - 1, (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
        (
            0x299F31D0A4093822,
            0x0370734413198A2E85A308D3243F6A88,
            (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1),
        ),
    ],
)
def test_philox_random123_known_answers(key: int, counter: int, expected: tuple[int, ...]) -> None:
    assert philox_scalar(key, counter) == expected
    assert tuple(philox_range(key, counter, 1)[0].tolist()) == expected


@pytest.mark.parametrize("counter", [0, 2**32 - 3, 2**64 - 2, (5 << 64) + 2**64 - 1, 2**128 - 2])
def test_philox_vector_matches_scalar_across_carries(counter: int) -> None:
    key = 0x0123456789ABCDEF
    blocks = philox_range(key, counter, 5)
    for i in range(5):
        assert tuple(blocks[i].tolist()) == philox_scalar(key, (counter + i) % 2**128)
    at = philox_at(key, counter, np.array([4, 0, 2], dtype=np.uint64))
    np.testing.assert_array_equal(at, blocks[[4, 0, 2]])


def test_philox_chunked_parallel_path_is_contiguous() -> None:
    key, counter = 7, (3 << 64) + 11
    big = philox_range(key, counter, 70000)  # crosses the 65536-block chunk boundary
    for i in (0, 65535, 65536, 69999):
        assert tuple(big[i].tolist()) == philox_scalar(key, counter + i)


# --- glibc float math ---------------------------------------------------------------------------


def test_logf_is_glibc_not_correctly_rounded() -> None:
    x = np.array([973836288, 974305280, 981604352], dtype=np.uint32).view(np.float32)
    glibc = [3237034091, 3236929223, 3235727795]
    assert logf_glibc(x).view(np.uint32).tolist() == glibc
    rounded = np.log(x.astype(np.float64)).astype(np.float32).view(np.uint32).tolist()
    assert rounded != glibc  # these are inputs where glibc is off by one ulp


def test_sincosf_is_glibc() -> None:
    x = np.array([1009207857, 1028609534], dtype=np.uint32).view(np.float32)
    s, c = sincosf_glibc(x)
    assert s.view(np.uint32).tolist() == [1009207667, 1028603732]
    assert c.view(np.uint32).tolist() == [1065352341, 1065331727]


def test_sincosf_matches_math_in_every_quadrant() -> None:
    x = np.linspace(0.0, 6.283, 4001, dtype=np.float32)
    s, c = sincosf_glibc(x)
    np.testing.assert_allclose(s, np.sin(x.astype(np.float64)), atol=2e-7)
    np.testing.assert_allclose(c, np.cos(x.astype(np.float64)), atol=2e-7)
    tiny = np.array([1e-5, 0.0], dtype=np.float32)
    assert sincosf_glibc(tiny)[0].tolist() == tiny.tolist()
    assert sincosf_glibc(tiny)[1].tolist() == [1.0, 1.0]


# --- TFRandomState vs TF ------------------------------------------------------------------------


def test_uniform_float32_and_second_run() -> None:
    st = TFRandomState(1, 0)
    first = st.uniform([6], torch.float32)
    assert _bits(first) == [1062210784, 1033956288, 1063536000, 1043157304, 1031881136,
                            1057724796]  # fmt: skip
    assert st.counter == 6 * 256  # ReserveRandomOutputs(6, 256)
    assert TFRandomState(1, 0).uniform([6], torch.float32).tolist() == first.tolist()


def test_reservation_advances_by_256_blocks_per_output() -> None:
    st = TFRandomState(1, 0)
    st.uniform([1000003], torch.float32)
    assert _bits(st.uniform([3], torch.float32)) == [1060654986, 1053972252, 1059324438]


def test_uniform_other_dtypes() -> None:
    d = TFRandomState(1, 1).uniform([3], torch.float64).tolist()
    assert d == [0.44435335140432874, 0.5664781839985626, 0.22541803229708535]
    h = TFRandomState(1, 2).uniform([5], torch.float16)
    assert h.numpy().view(np.uint16).tolist() == [12920, 14156, 14956, 14196, 13772]
    b = TFRandomState(1, 3).uniform([5], torch.bfloat16)
    assert b.dtype == torch.bfloat16
    assert b.float().tolist() == [0.4921875, 0.296875, 0.6171875, 0.890625, 0.9296875]


def test_normal_float32_and_float64() -> None:
    n = TFRandomState(1, 4).normal([6], torch.float32)
    assert _bits(n) == [1065797261, 3211050085, 1050598411, 1067281881, 3206616989, 1058125373]
    d = TFRandomState(1, 5).normal([3], torch.float64).tolist()
    assert d == [-0.5181609768698988, 0.9348281158623926, 0.5407504868898039]


def test_truncated_normal_float32_and_float64() -> None:
    t = TFRandomState(1, 7).truncated_normal([6], torch.float32)
    assert _bits(t) == [3207087518, 3193493301, 3201394073, 3191684486, 1056364337, 1021566680]
    d = TFRandomState(1, 8).truncated_normal([3], torch.float64).tolist()
    assert d == [1.0634887170090175, -0.7883938469234799, 0.7234565875388349]


def test_truncated_normal_groups_are_independent_and_bounded() -> None:
    big = TFRandomState(9, 9).truncated_normal([4001], torch.float32)
    assert float(big.abs().max()) < 2.0
    small = TFRandomState(9, 9).truncated_normal([6], torch.float32)
    assert small.tolist() == big[:6].tolist()  # group g always starts at block 256 * g


def test_uniform_int() -> None:
    i32 = TFRandomState(1, 10).uniform_int([6], -7, 100, torch.int32)
    assert i32.tolist() == [-2, 89, 37, 31, 48, 10]
    i64 = TFRandomState(1, 11).uniform_int([4], -7, 2**40, torch.int64)
    assert i64.tolist() == [264355887575, 199369476340, 528923252297, 939511266211]
    w32 = TFRandomState(87654321, 8).uniform_int([3], -(2**31), 2**31 - 1, torch.int32)
    assert w32.tolist() == [459540604, 99612834, 1416270462]
    w64 = TFRandomState(87654321, 8).uniform_int([2], -(2**63), 2**63 - 1, torch.int64)
    assert w64.tolist() == [427833866898901116, 4875741388738302590]


def test_shuffle_and_multinomial() -> None:
    perm = TFRandomState(87654321, 6).shuffle_permutation(10)
    assert perm.tolist() == [4, 0, 9, 7, 6, 2, 5, 1, 8, 3]
    logits = np.array(
        [[1.764052391052246, 0.40015721321105957, 0.978738009929657, 2.2408931255340576,
          1.8675580024719238, -0.9772778749465942, 0.9500884413719177],
         [-0.15135720372200012, -0.10321885347366333, 0.4105985164642334, 0.14404356479644775,
          1.4542734622955322, 0.7610377073287964, 0.12167501449584961],
         [0.44386324286460876, 0.3336743414402008, 1.4940791130065918, -0.2051582634449005,
          0.3130677044391632, -0.8540957570075989, -2.5529897212982178]]
    )  # fmt: skip
    m = TFRandomState(87654321, 4).multinomial(logits, 9, torch.int64)
    assert m.tolist() == [[3, 6, 1, 4, 3, 2, 3, 0, 3], [5, 4, 3, 6, 6, 3, 6, 4, 6],
                          [2, 2, 2, 2, 0, 4, 5, 2, 2]]  # fmt: skip
    inf = TFRandomState(1, 1).multinomial(np.array([[-math.inf, -math.inf]]), 3, torch.int32)
    assert inf.tolist() == [[2, 2, 2]]  # TF: no finite logit -> index num_classes


def test_zero_seeds_are_random_and_empty_shapes() -> None:
    a = TFRandomState(0, 0).uniform([8], torch.float32)
    b = TFRandomState(0, 0).uniform([8], torch.float32)
    assert a.tolist() != b.tolist()
    st = TFRandomState(3, 4)
    assert st.normal([0, 5], torch.float32).shape == (0, 5)
    assert st.counter == 4 << 64  # nothing reserved for an empty output
    with pytest.raises(ValueError, match="must be >= 0"):
        st.uniform([-1], torch.float32)
