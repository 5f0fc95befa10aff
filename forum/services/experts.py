"""Verifying experts: admins grant and revoke the credential shown on everything they write."""
from __future__ import annotations

from sqlalchemy import inspect, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from forum.errors import Conflict, InvalidInput, NotAllowed
from forum.models import Role, User, utcnow
from forum.models.base import db
from forum.models.expert import ExpertProfile
from forum.permissions import can_manage_experts, require
from forum.services.audit import log_action
from forum.services.notifications import notify

CREDENTIAL_MIN, CREDENTIAL_MAX = 3, 120
INSTITUTION_MAX = 150


def clean_credential(credential: str) -> str:
    credential = " ".join((credential or "").split())
    if not CREDENTIAL_MIN <= len(credential) <= CREDENTIAL_MAX:
        raise InvalidInput(f"The credential must be between {CREDENTIAL_MIN} and {CREDENTIAL_MAX} characters.")
    return credential


def clean_institution(institution: str | None) -> str | None:
    institution = " ".join((institution or "").split())
    if len(institution) > INSTITUTION_MAX:
        raise InvalidInput(f"The institution must be at most {INSTITUTION_MAX} characters.")
    return institution or None


def profile_of(user_id: int) -> ExpertProfile | None:
    """The member's expert profile, active or revoked (one query)."""
    return db.session.scalar(select(ExpertProfile).where(ExpertProfile.user_id == user_id))


def active_profile(user_id: int) -> ExpertProfile | None:
    profile = profile_of(user_id)
    return profile if profile is not None and profile.is_active else None


def attach_profile(user: User) -> User:
    """Load a member's expert profile onto them (one query), so permissions can read it."""
    if isinstance(user, User) and "expert_profile" in inspect(user).unloaded:
        set_committed_value(user, "expert_profile", profile_of(user.id))
    return user


def grant(admin: User, user: User, credential: str, institution: str | None = None) -> ExpertProfile:
    """Verify a member as an expert (or update their credential); caller commits."""
    require(can_manage_experts(admin), "Only admins can verify experts.")
    if admin.id == user.id:
        raise NotAllowed("Another admin must verify your own credential.")
    if user.is_banned:
        raise Conflict("A banned member cannot be verified as an expert.")
    credential, institution = clean_credential(credential), clean_institution(institution)
    now = utcnow()
    profile = profile_of(user.id)
    before = None
    if profile is None:
        profile = ExpertProfile(user_id=user.id)
        db.session.add(profile)
    else:
        before = {"credential": profile.credential, "institution": profile.institution, "active": profile.is_active}
    profile.credential, profile.institution = credential, institution
    profile.verified_by_id, profile.verified_at = admin.id, now
    profile.revoked_at = profile.revoked_by_id = None
    if user.role is Role.MEMBER:
        user.role = Role.EXPERT
    db.session.flush()
    set_committed_value(user, "expert_profile", profile)
    log_action(
        admin, "expert.grant", "user", user.id, subject_user_id=user.id, before=before,
        after={"credential": credential, "institution": institution},
    )
    notify([user.id], "expert", f"An admin verified you as an expert: {credential}.", f"/users/{user.username}", actor_id=admin.id)
    return profile


def revoke(admin: User, user: User, reason: str | None = None) -> ExpertProfile:
    """Remove a member's expert badge; their articles stay published. Caller commits."""
    require(can_manage_experts(admin), "Only admins can revoke an expert's verification.")
    profile = profile_of(user.id)
    if profile is None or not profile.is_active:
        raise Conflict(f"{user.username} is not a verified expert.")
    reason = " ".join((reason or "").split())[:1000] or None
    profile.revoked_at, profile.revoked_by_id = utcnow(), admin.id
    if user.role is Role.EXPERT:
        user.role = Role.MEMBER
    db.session.flush()
    set_committed_value(user, "expert_profile", profile)
    log_action(
        admin, "expert.revoke", "user", user.id, subject_user_id=user.id, reason=reason,
        before={"credential": profile.credential, "institution": profile.institution},
    )
    return profile


def all_profiles() -> list[ExpertProfile]:
    """Every expert ever verified, active first, with their member and verifier (one query)."""
    return list(
        db.session.scalars(
            select(ExpertProfile)
            .options(joinedload(ExpertProfile.user), joinedload(ExpertProfile.verified_by))
            .order_by(ExpertProfile.revoked_at.is_not(None), ExpertProfile.verified_at.desc(), ExpertProfile.id.desc())
        )
    )
