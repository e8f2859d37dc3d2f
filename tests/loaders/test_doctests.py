"""The examples in the loader modules' docstrings hold."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from partnermap.loaders import (
    _attributes,
    _graphs,
    _partner_names,
    _school_names,
    _tables,
    _values,
    dycd,
    resolution,
)


@pytest.mark.parametrize(
    "module",
    [_attributes, _graphs, _partner_names, _school_names, dycd, _tables, _values, resolution],
)
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
