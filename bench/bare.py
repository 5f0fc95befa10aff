"""A bare Flask app returning a fixed small HTML page: the yardstick for every forum page."""
from flask import Flask

PAGE = (
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Bare</title></head>"
    "<body><main><h1>Hello</h1><p>A fixed page from a bare Flask app.</p></main></body></html>"
)

app = Flask(__name__)


@app.get("/")
def index() -> str:
    return PAGE
