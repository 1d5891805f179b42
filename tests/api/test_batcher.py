"""The API's micro-batcher: requests that arrive together are answered together, and each
succeeds or fails on its own."""

from __future__ import annotations

import asyncio
import json

import pytest

from api.conftest import example
from dist401k.api import Batcher
from dist401k.assess import assess_cases
from dist401k.case import parse_case

NAMES = ["hardship-medical", "rule-of-55", "disaster"]


def _case(name: str):
    return parse_case(json.loads(json.dumps(example(name), default=str)))


def test_one_poisoned_request_fails_alone_and_its_neighbours_get_their_own_answers():
    cases = [_case(n) for n in NAMES]
    poison = _case("birth-adoption")
    batches: list[int] = []

    def engine(items):
        batches.append(len(items))
        if any(c is poison for c in items):
            raise RuntimeError("a case the engine cannot evaluate")
        return assess_cases(items)

    async def together():
        batcher = Batcher(engine, gap=0.05, max_wait=0.5)
        return await asyncio.gather(batcher.submit(cases[0]), batcher.submit(poison),
                                    *(batcher.submit(c) for c in cases[1:]),
                                    return_exceptions=True)

    answers = asyncio.run(together())
    assert batches[0] == 4, batches  # they were batched together
    assert isinstance(answers[1], RuntimeError)
    alone = [assess_cases([c])[0] for c in cases]
    assert [answers[0], *answers[2:]] == alone


def test_a_lone_failing_request_gets_its_error_once():
    calls = []

    def engine(items):
        calls.append(items)
        raise ValueError("bad")

    async def one():
        return await Batcher(engine).submit("x")

    with pytest.raises(ValueError, match="bad"):
        asyncio.run(one())
    assert calls == [["x"]]
