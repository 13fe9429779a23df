"""Accounts, roles, scoping and credentials — pure: no storage, no web.

:mod:`tanfeng.access.policy` decides who may do what (the matrix is ``data/permissions.csv``);
:mod:`tanfeng.access.credentials` hashes passwords, issues and checks API tokens and throttles logins.
See ``docs/security.md``.
"""

from tanfeng.access.policy import (
    Action,
    Decision,
    Principal,
    Resource,
    ResourceKind,
    Role,
    authorize,
    require,
)

__all__ = ["Action", "Decision", "Principal", "Resource", "ResourceKind", "Role", "authorize", "require"]
