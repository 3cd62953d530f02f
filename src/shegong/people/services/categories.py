"""The category taxonomy (服务对象类别), edited in the product by the provincial level or the
nation: codes are stable once given (residents, imports and the API name categories by code),
names and codes unique, every change kept in the category's history."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.people.models import Category
from shegong.people.selectors import category_taken, ensure_may_edit_categories

EDITABLE = ("name", "cared_for", "has_level", "order")


def _ensure_may_edit(acting_user: User) -> None:
    ensure_may_edit_categories(fetched_by=acting_user)


def _check_unique(*, code: str = "", name: str = "", exclude_pk: int | None = None) -> None:
    taken = category_taken(code=code, name=name, exclude_pk=exclude_pk)
    if taken == "code":
        raise ValidationError({"code": _("代码“%(c)s”已被其他类别使用。") % {"c": code}})
    if taken == "name":
        raise ValidationError({"name": _("名称“%(n)s”已被其他类别使用。") % {"n": name}})


@transaction.atomic
def category_create(*, acting_user: User, data: dict) -> Category:
    _ensure_may_edit(acting_user)
    code = (data.get("code") or "").strip().lower()
    name = (data.get("name") or "").strip()
    _check_unique(code=code, name=name)
    category = Category(
        code=code,
        name=name,
        cared_for=bool(data.get("cared_for", True)),
        has_level=bool(data.get("has_level", False)),
        order=data.get("order") if data.get("order") is not None else 100,
    )
    category.full_clean()
    category._history_user = acting_user
    category.save()
    return category


@transaction.atomic
def category_update(*, category: Category, acting_user: User, data: dict) -> Category:
    """Change a category's name, whether it needs visit plans, its level flag and its order;
    the code stays (it is how residents, imports and API clients name the category)."""
    _ensure_may_edit(acting_user)
    if "code" in data and (data["code"] or "").strip().lower() != category.code:
        raise ValidationError({"code": _("类别代码确定后不能修改。")})
    category = Category.objects.select_for_update().get(pk=category.pk)
    changes = {}
    for key in EDITABLE:
        if key in data and data[key] is not None:
            value = data[key].strip() if key == "name" else data[key]
            if getattr(category, key) != value:
                changes[key] = value
    if "name" in changes:
        _check_unique(name=changes["name"], exclude_pk=category.pk)
    if not changes:
        return category
    for key, value in changes.items():
        setattr(category, key, value)
    category.full_clean()
    category._history_user = acting_user
    category.save(update_fields=list(changes))
    return category
