"""Fixtures for treatment experience reports."""
from __future__ import annotations

import pytest

from forum.extensions import db
from forum.services import treatments


@pytest.fixture
def make_experience():
    """make_experience(author, treatment="botulinum-toxin", rating=4, weeks=10, effects=(), shared=False, story=...)."""

    def _make(author, treatment="botulinum-toxin", *, rating=4, weeks=10, effects=(), shared=False, story="It helped me.",
              condition="hemifacial_spasm", other_name=None):
        data = treatments.ExperienceInput(
            condition=condition, rating=rating, treatment=treatment, other_name=other_name, weeks_of_relief=weeks,
            side_effects=tuple(effects), story=story, shared=shared,
        )
        experience = treatments.file_experience(author, data)
        db.session.commit()
        return experience

    return _make


@pytest.fixture
def reporters(make_user, make_experience):
    """reporters(n, **kw): n members, each with a report on the treatment; returns the reports."""

    def _make(n, treatment="botulinum-toxin", **kwargs):
        return [make_experience(make_user(), treatment, **kwargs) for _ in range(n)]

    return _make


def form(**overrides) -> dict:
    data = {"condition": "hemifacial_spasm", "rating": "4", "weeks_of_relief": "12", "side_effects": ["dry_eye"],
            "dose": "25 units", "frequency": "every 12 weeks", "story": "It took two weeks to work."}
    data.update(overrides)
    return data
