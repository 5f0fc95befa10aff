def test_home_page(client, make_board):
    make_board(name="Coping day to day")
    response = client.get("/")
    assert response.status_code == 200
    assert b"Coping day to day" in response.data


def test_topic_flow(client, login, member, make_board):
    board = make_board(slug="coping")
    login(member)
    r = client.post("/boards/coping/new", data={"title": "Hello everyone", "body": "**Hi** there"})
    assert r.status_code == 302, r.data
    r = client.get(r.headers["Location"])
    assert r.status_code == 200
    assert b"<strong>Hi</strong>" in r.data
    r = client.get("/boards/coping")
    assert b"Hello everyone" in r.data
