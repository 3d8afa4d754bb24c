"""Worked examples of testing with fakecheckout."""

from __future__ import annotations
