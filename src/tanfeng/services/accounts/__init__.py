"""Use cases around accounts: users, passwords, API tokens, logins, browser sessions.

Rules live in :mod:`tanfeng.access` (roles, policy, hashing, tokens, throttling); these modules store
what they produce and audit every change (the audit entries never hold a password hash or a token).
The principal's ``user_id`` is the account's user name.

Every write runs in :func:`tanfeng.store.transaction.atomic`: its own transaction, or a savepoint when the
caller began one (then the caller commits). Queries are :mod:`tanfeng.store.repository_accounts`'.

============  ==========================================================================
module        use case
============  ==========================================================================
``users``     create accounts and the first administrator; list and show them; deactivate, reset passwords
``logins``    the login guard, password logins, browser sessions
``tokens``    API tokens: issue, revoke, list, authenticate
``schemas``   accounts, tokens and actors as the use cases answer them
============  ==========================================================================

Callers write ``from tanfeng.services import accounts``.
"""

from __future__ import annotations

from tanfeng.services.accounts.logins import (
    GENERIC_LOGIN_ERROR,
    authenticate,
    end_session,
    load_guard,
    session_user,
    start_session,
)
from tanfeng.services.accounts.schemas import (
    SESSION_TTL,
    Actor,
    TokenInfo,
    UserInfo,
    principal_of,
)
from tanfeng.services.accounts.tokens import (
    authenticate_token,
    issue_api_token,
    list_tokens,
    revoke_api_token,
)
from tanfeng.services.accounts.users import (
    add_user,
    create_admin,
    get_user,
    list_users,
    reset_password,
    set_active,
)

__all__ = ["GENERIC_LOGIN_ERROR", "SESSION_TTL", "Actor", "TokenInfo", "UserInfo", "add_user",
           "authenticate", "authenticate_token", "create_admin", "end_session", "get_user", "issue_api_token",
           "list_tokens", "list_users", "load_guard", "principal_of", "reset_password", "revoke_api_token",
           "session_user", "set_active", "start_session"]
