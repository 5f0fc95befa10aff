"""Fixtures for local support groups."""
from __future__ import annotations

import pytest

from forum.extensions import db
from forum.services import groups


def group_form(**overrides) -> dict:
    data = {"name": "Lisbon facial spasm circle", "format": "in_person", "country": "Portugal", "city": "Lisbon",
            "schedule": "First Tuesday of the month, 7 pm", "description": "A relaxed meeting over tea."}
    data.update(overrides)
    return data


@pytest.fixture
def make_group(moderator):
    """make_group(organiser, listed=True, **fields): a proposed group, verified unless listed=False."""

    def _make(organiser, listed=True, **fields):
        group = groups.propose_group(organiser, groups.GroupInput(**group_form(**fields)))
        if listed:
            groups.verify_group(moderator, group)
        db.session.commit()
        return group

    return _make
