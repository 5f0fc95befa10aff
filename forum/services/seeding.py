"""The starting boards, and the demo community that `flask --app forum seed-demo` adds."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from forum.models import Board, Role, Topic, User, utcnow
from forum.models.base import db

# (slug, name, description, shows the medical disclaimer above the new-topic form)
DEFAULT_BOARDS = [
    ("introductions", "Introductions", "New here? Say hello and tell us as much or as little as you like.", False),
    ("coping", "Coping day to day", "Triggers, tiredness, work, driving, light and screens: what gets you through the day.", False),
    ("treatments", "Treatments", "Botulinum toxin, medication, therapy and surgery: members' experiences, side effects and questions.", True),
    ("diagnosis", "Diagnosis and tests", "Getting a diagnosis: appointments, examinations, MRI and what the words mean.", True),
    ("research", "Research and new therapies", "Studies, trials and new approaches, and how to read them.", False),
    ("stories", "Stories", "Your journey with facial spasms, in your own words.", False),
    ("caregivers", "Caregivers and family", "For partners, parents, children and friends of people with facial spasms.", False),
    ("local-groups", "Local support groups", "Meet-ups, online circles and groups near you.", False),
]


def seed_boards() -> int:
    """Create the default boards that are missing; returns how many were added."""
    existing = set(db.session.scalars(select(Board.slug)))
    added = 0
    for position, (slug, name, description, disclaimer) in enumerate(DEFAULT_BOARDS, start=1):
        if slug in existing:
            continue
        db.session.add(Board(slug=slug, name=name, description=description, position=position, shows_disclaimer=disclaimer))
        added += 1
    db.session.flush()
    return added


DEMO_PASSWORD = "demo-password-1"


def seed_demo() -> dict[str, int]:
    """Boards, demo members of each role, and a demo community; safe to run again."""
    from forum.demo.community import DEMO_MEMBERS, DEMO_TOPICS
    from forum.services import accounts, posting

    counts = {"boards": seed_boards(), "members": 0, "topics": 0, "posts": 0}
    members: dict[str, User] = {}
    joined = utcnow() - timedelta(days=400)
    for index, spec in enumerate(DEMO_MEMBERS):
        user = db.session.scalar(select(User).where(User.username_key == User.key_for(spec["username"])))
        if user is None:
            user = accounts.create_user(
                spec["username"],
                f"{spec['username'].lower()}@demo.invalid",
                DEMO_PASSWORD,
                role=Role(spec["role"]),
                bio=spec.get("bio"),
                is_demo=True,
                created_at=joined + timedelta(days=9 * index),
            )
            counts["members"] += 1
        members[spec["username"]] = user
    boards = {b.slug: b for b in db.session.scalars(select(Board))}
    existing_titles = set(db.session.scalars(select(Topic.title).where(Topic.is_demo.is_(True))))
    start = utcnow() - timedelta(days=len(DEMO_TOPICS) + 2)
    for index, spec in enumerate(DEMO_TOPICS):
        if spec["title"] in existing_titles or spec["board"] not in boards:
            continue
        first, *replies = spec["posts"]
        post = posting.start_topic(boards[spec["board"]], members[first["author"]], spec["title"], first["body"])
        topic = db.session.get(Topic, post.topic_id)
        _backdate(post, topic, start + timedelta(days=index))
        counts["topics"] += 1
        counts["posts"] += 1
        for offset, reply in enumerate(replies, start=1):
            reply_post = posting.reply_to_topic(topic, members[reply["author"]], reply["body"])
            _backdate(reply_post, topic, start + timedelta(days=index, hours=offset * 3))
            counts["posts"] += 1
    db.session.flush()
    counts.update(seed_demo_articles(members))
    counts.update(seed_demo_treatments(members))
    counts.update(seed_demo_groups(members))
    counts.update(seed_demo_conversations(members))
    return counts


def _backdate(post, topic, when) -> None:
    """Spread demo posts over past days so the community reads naturally."""
    post.created_at = when
    post.is_demo = True
    topic.is_demo = True
    if post.is_first:
        topic.created_at = when
    topic.last_posted_at = when
    db.session.flush()


def seed_demo_articles(members: dict[str, User]) -> dict[str, int]:
    """Verify the demo experts, then publish and pin the demo articles (safe to run again)."""
    from forum.demo.articles import DEMO_ARTICLES
    from forum.demo.community import DEMO_MEMBERS
    from forum.models import Article
    from forum.services import articles, experts

    counts = {"experts": 0, "articles": 0}
    admin = next(members[m["username"]] for m in DEMO_MEMBERS if m["role"] == "admin")
    reviewer = next(members[m["username"]] for m in DEMO_MEMBERS if m["role"] == "moderator")
    for spec in DEMO_MEMBERS:
        if spec.get("credential") and experts.active_profile(members[spec["username"]].id) is None:
            experts.grant(admin, members[spec["username"]], spec["credential"], spec.get("institution"))
            counts["experts"] += 1
    boards = {b.slug: b for b in db.session.scalars(select(Board))}
    existing = set(db.session.scalars(select(Article.slug)))
    start = utcnow() - timedelta(days=len(DEMO_ARTICLES) + 1)
    home_position = 0
    for index, spec in enumerate(DEMO_ARTICLES):
        if spec["slug"] in existing or not all(slug in boards for slug in spec["boards"]):
            continue
        data = articles.ArticleInput(
            spec["title"], spec["summary"], spec["body"],
            [{"citation": r["citation"], "url": r.get("url"), "doi": r.get("doi")} for r in spec["references"]],
            [boards[slug].id for slug in spec["boards"]],
        )
        author = members[spec["author"]]
        article = articles.create_article(author, data, slug=spec["slug"], is_demo=True)
        articles.submit(article, author)
        articles.publish(article, reviewer, when=start + timedelta(days=index))
        if spec.get("pin_home"):
            home_position += 1
            articles.pin(article, reviewer, home_position)
        for slug in spec["boards"]:
            articles.pin(article, reviewer, index + 1, board_id=boards[slug].id)
        counts["articles"] += 1
    db.session.flush()
    return counts


def seed_demo_treatments(members: dict[str, User]) -> dict[str, int]:
    """Demo treatment reports and the expert article of each treatment (safe to run again)."""
    from forum.demo.treatments import DEMO_EXPERIENCES, DEMO_TREATMENT_ARTICLES
    from forum.models import Article, ArticleStatus, TreatmentArticle, TreatmentExperience
    from forum.models.treatment import Treatment
    from forum.services import treatments

    added = 0
    existing = {tuple(row) for row in db.session.execute(select(TreatmentExperience.user_id, TreatmentExperience.treatment))}
    for spec in DEMO_EXPERIENCES:
        author = members.get(spec["author"])
        if author is None or (author.id, Treatment(spec["treatment"])) in existing:
            continue
        data = treatments.ExperienceInput(
            condition=spec["condition"], rating=spec["rating"], treatment=spec["treatment"], dose=spec["dose"],
            frequency=spec["frequency"], weeks_of_relief=spec["weeks"], side_effects=tuple(spec["effects"]),
            story=spec["story"], shared=spec["shared"],
        )
        treatments.file_experience(author, data).is_demo = True
        added += 1
    articles = {slug: id_ for slug, id_ in db.session.execute(select(Article.slug, Article.id).where(Article.status == ArticleStatus.PUBLISHED))}
    for treatment, slug in DEMO_TREATMENT_ARTICLES.items():
        if slug in articles and db.session.get(TreatmentArticle, Treatment(treatment)) is None:
            db.session.add(TreatmentArticle(treatment=Treatment(treatment), article_id=articles[slug], updated_at=utcnow()))
    db.session.flush()
    return {"treatment_reports": added}


def seed_demo_groups(members: dict[str, User]) -> dict[str, int]:
    """Demo support groups, verified by a demo moderator (safe to run again)."""
    from forum.demo.community import DEMO_MEMBERS
    from forum.demo.groups import DEMO_GROUPS
    from forum.models import SupportGroup
    from forum.services import groups

    reviewer = next(members[m["username"]] for m in DEMO_MEMBERS if m["role"] == "moderator")
    existing = set(db.session.scalars(select(SupportGroup.name)))
    added = 0
    for spec in DEMO_GROUPS:
        if spec["name"] in existing or spec["organiser"] not in members:
            continue
        data = groups.GroupInput(name=spec["name"], format=spec["format"], schedule=spec["schedule"],
                                 description=spec["description"], country=spec["country"], city=spec["city"])
        group = groups.propose_group(members[spec["organiser"]], data)
        group.is_demo = True
        groups.verify_group(reviewer, group)
        added += 1
    db.session.flush()
    return {"groups": added}


def seed_demo_conversations(members: dict[str, User]) -> dict[str, int]:
    """Demo private conversations between demo members (safe to run again)."""
    from forum.demo.messages import DEMO_CONVERSATIONS
    from forum.models import ConversationMember
    from forum.models.messages import Conversation
    from forum.services import messages

    existing = set(db.session.scalars(select(Conversation.title)))
    added = 0
    for spec in DEMO_CONVERSATIONS:
        if spec["title"] in existing or any(name not in members for name in spec["members"]):
            continue
        (first_author, first_body), *rest = spec["messages"]
        others = ", ".join(name for name in spec["members"] if name != first_author)
        conversation, _ = messages.start_conversation(members[first_author], others, spec["title"], first_body)
        for author, body in rest:
            membership = db.session.get(ConversationMember, (conversation.id, members[author].id))
            messages.send_message(members[author], conversation, membership, body)
        added += 1
    db.session.flush()
    return {"conversations": added}
