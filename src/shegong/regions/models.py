from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shegong.core.regioncode import RegionCode
from shegong.core.scoping import PREFIX_LENGTH, ScopedQuerySet, code_range


class Level(models.IntegerChoices):
    NATION = 0, _("全国")
    PROVINCE = 1, _("省级")
    PREFECTURE = 2, _("地级")
    COUNTY = 3, _("县级")
    TOWNSHIP = 4, _("乡级")
    VILLAGE = 5, _("村级")


NATION_CODE = "000000000000"


class RegionQuerySet(ScopedQuerySet):
    region_field = "code"
    public_reason = (
        "The region tree is published reference data (NBS codes and names): any user may "
        "resolve, suggest and show any region; jurisdiction is checked on what is placed there."
    )

    def children_of(self, region: "Region") -> "RegionQuerySet":
        return self.filter(parent_id=region.code).order_by("code")


class Region(models.Model):
    """An administrative division (行政区划) keyed by its 12-digit statistical code."""

    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=100, db_index=True)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        db_constraint=False,  # loaded set-based, parents first; integrity is checked by the loader
    )
    urban_rural_class = models.CharField(_("城乡分类代码"), max_length=3, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = pgettext_lazy("plural", "行政区划")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "code"], name="region_parent_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        return self.code[: PREFIX_LENGTH[self.level]]

    @property
    def child_prefix_length(self) -> int:
        return PREFIX_LENGTH.get(self.level + 1, 12)

    def subtree_range(self) -> tuple[str, str]:
        return code_range(self.prefix)

    def ancestors(self) -> list["Region"]:
        """From the nation down to this region's parent, in one query."""
        codes = [NATION_CODE] + [
            RegionCode.from_prefix(self.code[:length])
            for level, length in PREFIX_LENGTH.items()
            if 0 < level < self.level
        ]
        found = {r.code: r for r in Region.objects.filter(code__in=codes)}
        return [found[c] for c in dict.fromkeys(codes) if c in found and c != self.code]

    @property
    def full_name(self) -> str:
        names = [r.name for r in self.ancestors() if r.level > 0 and r.name != "市辖区"]
        return "".join([*names, self.name])
