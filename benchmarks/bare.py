"""The framework's own ceiling: a bare Flask endpoint, served by gunicorn with the same
``gunicorn.conf.py`` as the app (``gunicorn benchmarks.bare:app``)."""

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/bare")
def bare():
    return jsonify({"ok": True})
