"""``fixbook bisect``: placeholder until the bisect module lands (issue 5)."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("case")


def run_bisect(args: argparse.Namespace) -> int:
    raise SystemExit("fixbook bisect is not implemented yet")
