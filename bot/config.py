"""Settings, read once from the environment (and a ``.env`` file) at start."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything an operator can set; names match the README's table."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    discord_token: SecretStr | None = Field(default=None, alias="DISCORD_TOKEN")
    database: str = Field(default="bakerbot.sqlite3", alias="BAKERBOT_DATABASE")
    dev_guild: int | None = Field(default=None, alias="BAKERBOT_DEV_GUILD")
    text_answers: bool = Field(default=False, alias="BAKERBOT_TEXT_ANSWERS")
    data_dir: Path | None = Field(default=None, alias="BAKERBOT_DATA_DIR")
    shard_count: int | None = Field(default=None, alias="BAKERBOT_SHARD_COUNT", ge=1)
    shard_ids: tuple[int, ...] | None = Field(default=None, alias="BAKERBOT_SHARD_IDS")
    log_level: str = Field(default="INFO", alias="BAKERBOT_LOG_LEVEL")

    @field_validator("discord_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("dev_guild", "shard_count", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _parse_shard_ids(cls, value: object) -> object:
        """Accept "0,1,2" as well as a JSON list, since env vars are plain text."""
        if isinstance(value, str):
            value = value.strip().strip("[]")
            return tuple(int(part) for part in value.split(",") if part.strip()) or None
        return value
