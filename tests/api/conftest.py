"""Fixtures of the API tests: a client that signs its requests with a personal access token."""

from __future__ import annotations

import json

import pytest


class TokenClient:
    """The Django test client with `Authorization: Bearer …` on every request (as an API client
    of a county department would send), JSON in and out."""

    def __init__(self, client, raw_token: str | None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {raw_token}"} if raw_token else {}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(path, params or {}, headers=self.headers)

    def _send(self, method: str, path: str, body):
        return getattr(self.client, method)(
            path, json.dumps(body), content_type="application/json", headers=self.headers
        )

    def post(self, path: str, body=None):
        return self._send("post", path, body if body is not None else {})

    def patch(self, path: str, body):
        return self._send("patch", path, body)


def token_for(user) -> str:
    from shegong.accounts.services import token_create

    _token, raw = token_create(
        acting_user=user, membership=user.active_membership, name="API tests"
    )
    return raw


@pytest.fixture
def api_as(client):
    """`api_as(user)` → a TokenClient for the user's active membership; `api_as(None)` is
    anonymous."""

    def make(user) -> TokenClient:
        return TokenClient(client, token_for(user) if user is not None else None)

    return make


@pytest.fixture
def county_leader(make_member):
    """The leader of the 天河区 department (may plan, post, approve)."""
    return make_member("dept_leader", "440106000000", name="天河区委社会工作部")
