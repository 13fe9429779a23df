"""Login throttling as a state machine, driven by a fake clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tanfeng.access.credentials import LoginGuard, ThrottlePolicy
from tanfeng.errors import InputError, LockedOutError


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


POLICY = ThrottlePolicy(max_failures_per_user=5, max_failures_per_address=8, window=timedelta(minutes=15),
                        lockout=timedelta(minutes=15))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def guard(clock: FakeClock) -> LoginGuard:
    return LoginGuard(clock, POLICY)


def test_five_failures_lock_the_user_out_for_fifteen_minutes(guard: LoginGuard, clock: FakeClock) -> None:
    for _ in range(4):
        assert guard.record_failure("wang", "10.0.0.1").allowed
        clock.advance(seconds=10)
    decision = guard.record_failure("wang", "10.0.0.1")
    assert not decision.allowed
    assert decision.retry_after == timedelta(minutes=15)
    assert "user" in decision.reason
    clock.advance(minutes=14, seconds=59)
    assert not guard.check("wang", "10.0.0.2").allowed  # locked from every address
    assert guard.check("wang", "10.0.0.2").retry_after == timedelta(seconds=1)
    clock.advance(seconds=1)
    assert guard.check("wang", "10.0.0.1").allowed


def test_after_a_lockout_the_count_starts_again(guard: LoginGuard, clock: FakeClock) -> None:
    for _ in range(5):
        guard.record_failure("wang")
    clock.advance(minutes=15)
    assert guard.record_failure("wang").allowed  # one failure after the lock-out: 1 of 5


def test_failures_outside_the_window_do_not_count(guard: LoginGuard, clock: FakeClock) -> None:
    for _ in range(4):
        guard.record_failure("wang")
    clock.advance(minutes=15)
    assert guard.record_failure("wang").allowed
    for _ in range(3):
        guard.record_failure("wang")
    assert guard.check("wang").allowed
    assert not guard.record_failure("wang").allowed


def test_success_resets_the_user(guard: LoginGuard) -> None:
    for _ in range(4):
        guard.record_failure("wang", "10.0.0.1")
    guard.record_success("wang", "10.0.0.1")
    for _ in range(4):  # from another address: the first one is near its own limit
        assert guard.record_failure("wang", "10.0.0.2").allowed


def test_user_names_are_compared_case_insensitively(guard: LoginGuard) -> None:
    for name in ["Wang", "WANG", "wang ", "wAng", "wang"]:
        guard.record_failure(name)
    assert not guard.check("wang").allowed


def test_an_address_spraying_many_users_is_locked(guard: LoginGuard) -> None:
    for i in range(8):
        guard.record_failure(f"user{i}", "203.0.113.9")
    decision = guard.check("someone-new", "203.0.113.9")
    assert not decision.allowed
    assert "client address" in decision.reason
    assert guard.check("someone-new", "203.0.113.10").allowed


def test_success_does_not_clear_the_address_by_default(guard: LoginGuard) -> None:
    for i in range(7):
        guard.record_failure(f"user{i}", "203.0.113.9")
    guard.record_success("attacker-own-account", "203.0.113.9")
    assert not guard.record_failure("user7", "203.0.113.9").allowed


def test_policy_can_let_success_clear_the_address(clock: FakeClock) -> None:
    guard = LoginGuard(clock, POLICY.model_copy(update={"success_resets_address": True}))
    for i in range(7):
        guard.record_failure(f"user{i}", "10.1.1.1")
    guard.record_success("colleague", "10.1.1.1")
    assert guard.record_failure("user7", "10.1.1.1").allowed


def test_failures_while_locked_do_not_extend_the_lock(guard: LoginGuard, clock: FakeClock) -> None:
    for _ in range(5):
        guard.record_failure("wang")
    clock.advance(minutes=10)
    guard.record_failure("wang")
    clock.advance(minutes=5)
    assert guard.check("wang").allowed


def test_raise_if_denied(guard: LoginGuard, clock: FakeClock) -> None:
    guard.check("wang").raise_if_denied()
    for _ in range(5):
        guard.record_failure("wang")
    clock.advance(minutes=5, seconds=30)
    with pytest.raises(LockedOutError, match="too many failed logins") as info:
        guard.check("wang").raise_if_denied()
    assert info.value.retry_after_seconds == 9 * 60 + 30


def test_prune_forgets_old_state(guard: LoginGuard, clock: FakeClock) -> None:
    guard.record_failure("wang", "10.0.0.1")
    for _ in range(5):
        guard.record_failure("li")
    assert guard.prune() == 0
    clock.advance(minutes=16)
    assert guard.prune() == 3


def test_default_policy() -> None:
    policy = ThrottlePolicy()
    assert (policy.max_failures_per_user, policy.window, policy.lockout) == (
        5, timedelta(minutes=15), timedelta(minutes=15))


def test_a_naive_clock_is_refused() -> None:
    guard = LoginGuard(lambda: datetime(2026, 3, 1, 8, 0))
    with pytest.raises(InputError, match="timezone-aware"):
        guard.check("wang")
