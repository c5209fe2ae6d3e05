"""End-to-end tests: every one also proves that nothing the bot sent could ping."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio

from tests.conftest import assert_no_pings


@pytest_asyncio.fixture(autouse=True)
async def _no_pings(simcord_env: Any) -> AsyncIterator[None]:
    yield
    assert_no_pings(simcord_env)
