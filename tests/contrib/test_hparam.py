"""``tf.contrib.training.HParams``: TF 1.15's behaviour (contrib/training/python/training/hparam.py
and its hparam_test.py cases), which TF 2 no longer ships, so the expectations are written here."""

import json

import pytest

import scopeflow.compat.v1 as tf
from scopeflow.contrib.training import HParams, parse_values
from scopeflow.errors import UnsupportedError


def _hp():
    return HParams(aaa=1, b=2.0, c_c="relu6", d="/a/b=c/d")


def test_constructor_and_parse_scalars():
    hp = _hp()
    assert hp.values() == {"aaa": 1, "b": 2.0, "c_c": "relu6", "d": "/a/b=c/d"}
    assert "aaa" in hp
    assert "zz" not in hp
    hp.parse("aaa=12")
    assert hp.aaa == 12
    assert hp.b == 2.0
    hp.parse("c_c=relu4, b=-2.0e10")
    assert hp.b == -2.0e10
    assert hp.c_c == "relu4"
    hp.parse("c_c=,b=0,")
    assert hp.c_c == ""
    assert hp.b == 0.0
    assert type(hp.b) is float
    hp.parse('c_c=2.3",b=+2,')
    assert hp.c_c == '2.3"'
    assert hp.b == 2.0
    hp.parse("d=/a/b/c/d,aaa=11,")
    assert hp.d == "/a/b/c/d"
    assert hp.aaa == 11


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("xyzzy=1", "Unknown hyperparameter type for xyzzy", id="unknown"),
        pytest.param(
            "aaa=2.0",
            "Could not parse hparam 'aaa' of type 'int' with value '2.0' in aaa=2.0",
            id="int-from-float",
        ),
        pytest.param(
            "aaa=1,aaa=2", "Multiple assignments to variable 'aaa' in aaa=1,aaa=2", id="reuse"
        ),
        pytest.param(
            "b=relu",
            "Could not parse hparam 'b' of type 'float' with value 'relu'",
            id="float-from-str",
        ),
        pytest.param(
            "aaa=[123]",
            "Must not pass a list for single-valued parameter: aaa",
            id="list-for-scalar",
        ),
        pytest.param("=1", "Malformed hyperparameter value: =1", id="malformed"),
    ],
)
def test_parse_errors(text, message):
    with pytest.raises(ValueError, match="^" + message.replace("[", r"\[").replace("]", r"\]")):
        _hp().parse(text)


def test_bools_and_lists():
    hp = HParams(flag=False, sizes=[1, 2], rates=[0.1], names=["a", "b"], on=True)
    hp.parse("flag=true,on=0,sizes=[3, 4,5],rates=[1,2.5],names=[x y]")
    assert hp.flag is True
    assert hp.on is False
    assert hp.sizes == [3, 4, 5]
    assert hp.rates == [1.0, 2.5]
    assert hp.names == ["x", "y"]
    hp.parse("flag=False,on=True,sizes=[]")
    assert hp.flag is False
    assert hp.on is True
    assert hp.sizes == []
    with pytest.raises(ValueError, match="Could not parse hparam 'flag' of type 'bool' with "
                       "value 'yes' in flag=yes"):  # fmt: skip
        hp.parse("flag=yes")
    with pytest.raises(ValueError, match=r"Must pass a list for multi-valued parameter: sizes\."):
        hp.parse("sizes=3")
    with pytest.raises(ValueError, match=r"Assignment of a list to a list index\."):
        hp.parse("sizes[1]=[2]")
    with pytest.raises(ValueError, match=r"Multiple assignments to variable 'sizes\[1\]'"):
        parse_values("sizes[1]=2,sizes[1]=3", {"sizes": int})
    assert parse_values("x=5,L=[1,2],arr[1]=3", {"x": int, "L": int, "arr": int}) == {
        "x": 5, "L": [1, 2], "arr": {1: 3}}  # fmt: skip
    assert parse_values("x=5,zz=1", {"x": int}, ignore_unknown=True) == {"x": 5}
    # An index assignment reaches set_hparam as a dict, which TF 1.15 rejects.
    with pytest.raises(ValueError, match=r"Must pass a list for multi-valued parameter: sizes\."):
        hp.parse("sizes[0]=7")


def test_set_hparam_casts():
    hp = HParams(aaa=1, b=2.0, c_c="relu6", flag=True, nothing=None, lst=[1.0])
    hp.set_hparam("b", 3)
    assert hp.b == 3.0
    assert type(hp.b) is float
    hp.set_hparam("nothing", "anything")
    assert hp.nothing == "anything"
    hp.set_hparam("lst", [2, 3.5])
    assert hp.lst == [2.0, 3.5]
    for name, value, kind in [("aaa", 2.5, "int"), ("c_c", 3, "str"), ("flag", 1, "bool"),
                              ("b", "x", "float"), ("aaa", True, "int")]:  # fmt: skip
        with pytest.raises(ValueError, match=f"Could not cast hparam '{name}' of type "
                           f"'<class '{kind}'>' from value {value!r}"):  # fmt: skip
            hp.set_hparam(name, value)
    with pytest.raises(KeyError):
        hp.set_hparam("missing", 1)


def test_add_del_get_contains():
    hp = HParams(aaa=1, lst=[1, 2])
    hp.add_hparam("new", "v")
    assert hp.values() == {"aaa": 1, "lst": [1, 2], "new": "v"}
    for reserved in ("values", "parse", "aaa"):
        with pytest.raises(ValueError, match=f"Hyperparameter name is reserved: {reserved}"):
            hp.add_hparam(reserved, 1)
    with pytest.raises(ValueError, match="Multi-valued hyperparameters cannot be empty: e"):
        hp.add_hparam("e", [])
    hp.del_hparam("new")
    hp.del_hparam("never_there")
    assert "new" not in hp
    assert not hasattr(hp, "new")
    assert hp.get("aaa") == 1
    assert hp.get("zz", 7) == 7
    assert hp.get("aaa", 5) == 1
    assert hp.get("lst", [3]) == [1, 2]
    with pytest.raises(ValueError, match=r"Hparam 'aaa' of type '<class 'int'>' is incompatible "
                       r"with default=a\. Could not cast hparam 'aaa'"):  # fmt: skip
        hp.get("aaa", "a")
    with pytest.raises(ValueError, match=r"Hparam 'lst' of type 'list<<class 'int'>>' is "
                       r"incompatible with default=3$"):  # fmt: skip
        hp.get("lst", 3)


def test_json_str_repr_model_structure():
    hp = HParams(aaa=1, b=2.0, c_c="relu6", fn=len, lst=[1, 2])
    assert json.loads(hp.to_json()) == {"aaa": 1, "b": 2.0, "c_c": "relu6", "lst": [1, 2]}
    assert hp.to_json(sort_keys=True, indent=None, separators=(",", ":")).startswith('{"aaa":1,')
    hp.parse_json('{"aaa": 5, "b": 3, "lst": [4]}')
    assert (hp.aaa, hp.b, hp.lst) == (5, 3.0, [4])
    assert str(HParams(b=2.0, a=1)) == "b=2.0,a=1"
    assert repr(HParams(b=2.0, a=1)) == "HParams([('a', 1), ('b', 2.0)])"
    hp.set_model_structure({"layers": 3})
    assert hp.get_model_structure() == {"layers": 3}
    assert HParams(model_structure="m").get_model_structure() == "m"


def test_proto_is_unsupported():
    with pytest.raises(UnsupportedError, match="HParamDef"):
        HParams(hparam_def=object())
    with pytest.raises(UnsupportedError, match="HParamDef"):
        HParams(a=1).to_proto()


def test_public_path():
    hp = tf.contrib.training.HParams(batch_size=32)
    assert hp.parse("batch_size=64").batch_size == 64
