"""age's X25519 key pairs, as pyrage exposes them."""

from typing import Self

class Recipient:
    @classmethod
    def from_str(cls, value: str) -> Self: ...

class Identity:
    @classmethod
    def generate(cls) -> Self: ...
    @classmethod
    def from_str(cls, value: str) -> Self: ...
    def to_public(self) -> Recipient: ...
