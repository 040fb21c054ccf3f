"""The demo: a realistic fictional pole, or a whole académie, for first start, tests and benchmarks."""

from poledesk.data.demo.build import (
    DemoSummary,
    create_demo_store,
)

__all__ = [
    "DemoSummary",
    "create_demo_store",
]
