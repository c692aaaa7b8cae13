"""Who may see what: office staff their own office, HQ the submitted work, admins everything."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from servplan.offices.models import Membership, Role


def membership(user: AbstractBaseUser | AnonymousUser) -> Membership | None:
    if not user.is_authenticated:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def is_admin(user) -> bool:
    m = membership(user)
    return bool(user.is_authenticated and (user.is_superuser or (m and m.role == Role.ADMIN)))


def is_hq(user) -> bool:
    m = membership(user)
    return is_admin(user) or bool(m and m.role == Role.HQ_REVIEWER)


def is_clerk_of(user, office) -> bool:
    """The office's clerk (經辦), who opens its records; admins count as every office's."""
    if is_admin(user):
        return True
    m = membership(user)
    return bool(m and m.office_id == office.id and m.role == Role.CLERK)


def office_id(user) -> int | None:
    m = membership(user)
    return m.office_id if m else None


def may_manage_deputies(user, office, principal=None) -> bool:
    """Who registers and ends an office's deputies (職務代理人): admins; the office's director,
    for anyone in it; any other signer of the office, for themselves (`principal`)."""
    if is_admin(user):
        return True
    m = membership(user)
    if not (m and m.office_id == office.pk):
        return False
    return m.role == Role.DIRECTOR or (principal is not None and principal.pk == user.pk)


def sees_deputies(user, office) -> bool:
    """The office's deputies are listed to its own staff and to admins."""
    return is_admin(user) or office_id(user) == office.pk
