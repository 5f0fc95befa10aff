"""The medical disclaimer: in the footer of every page, and above the new-topic form on boards
about treatment and diagnosis. Its text comes from config."""
from __future__ import annotations


def test_footer_of_every_page(client, app, make_board):
    make_board(slug="coping")
    text = app.config["MEDICAL_DISCLAIMER"]
    for url in ("/", "/boards/coping", "/signin", "/support", "/no-such-page"):
        assert text in client.get(url).get_data(as_text=True), url


def test_above_the_new_topic_form_on_boards_that_show_it(client, app, login, member, make_board):
    make_board(slug="treatments", shows_disclaimer=True)
    make_board(slug="coping", shows_disclaimer=False)
    login(member)
    page = client.get("/boards/treatments/new").get_data(as_text=True)
    assert 'class="disclaimer-box"' in page
    assert page.index('class="disclaimer-box"') < page.index('name="title"')
    assert 'class="disclaimer-box"' not in client.get("/boards/coping/new").get_data(as_text=True)


def test_text_is_configurable(client, app, login, member, make_board):
    make_board(slug="treatments", shows_disclaimer=True)
    saved = app.config["MEDICAL_DISCLAIMER"]
    app.config["MEDICAL_DISCLAIMER"] = "Ask your neurologist first."
    try:
        login(member)
        page = client.get("/boards/treatments/new").get_data(as_text=True)
    finally:
        app.config["MEDICAL_DISCLAIMER"] = saved
    assert page.count("Ask your neurologist first.") == 2  # above the form and in the footer


def test_seeded_treatment_and_diagnosis_boards_show_it(db):
    from forum.services.seeding import DEFAULT_BOARDS

    showing = {slug for slug, _, _, shows in DEFAULT_BOARDS if shows}
    assert showing == {"treatments", "diagnosis"}
