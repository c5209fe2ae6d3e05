"""The bot starts, loads every extension and answers the basics."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.simcord(strict_sync=False)


async def test_film_lookup_finds_florida_project_despite_typo(world):
    result = await world.alice.slash(world.channel, "film", title="florda project")
    embed = result.response.embeds[0]
    assert embed.title == "The Florida Project (2017)"
    assert "Source" in embed.footer.text
