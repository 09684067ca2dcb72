"""Pages of the household list that stay fast deep into a province."""

from collections import Counter, defaultdict

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils.functional import cached_property

from communes.models import Commune, Village


class VillagePaginator(Paginator):
    """Pages of households in list order (commune name, village name, code) that stay fast deep
    into a province: an OFFSET of 100,000 sorts and skips 100,000 rows. One grouped count says how
    many households each village holds; a page then reads only the villages it spans.

    `columns(households)` adds what the page shows to the page's households only."""

    def __init__(self, object_list, per_page, *, columns=lambda households: households, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.columns = columns

    @cached_property
    def groups(self) -> list[tuple[list[Q], int]]:
        """[(filters of the villages sharing one (commune name, village name), households)] in list
        order. Names are ranked by the database, whose collation orders the list."""
        counts = list(self.object_list.order_by().values_list("commune", "village").annotate(n=Count("pk")))
        commune_rank = _name_ranks(Commune.objects.filter(pk__in={c for c, _v, _n in counts}))
        village_rank = _name_ranks(Village.objects.filter(pk__in={v for _c, v, _n in counts}))
        filters, households = defaultdict(list), Counter()
        for commune, village, n in counts:
            key = (commune_rank[commune], village_rank[village])
            filters[key].append(Q(commune=commune, village=village))
            households[key] += n
        return [(filters[key], households[key]) for key in sorted(filters)]

    @cached_property
    def count(self) -> int:
        return sum(n for _filters, n in self.groups)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        spanned, before, seen = Q(), 0, 0
        for filters, n in self.groups:
            if seen + n <= bottom:
                before = seen = seen + n
                continue
            if seen >= top:
                break
            for village in filters:
                spanned |= village
            seen += n
        rows = []
        if spanned:
            rows = list(self.columns(self.object_list.filter(spanned)[bottom - before : top - before]))
        return self._get_page(rows, number, self)


def _name_ranks(units) -> dict[int, int]:
    """Each unit's place in name order, equal names sharing a place."""
    ranks, rank, previous = {}, -1, None
    for pk, name in units.order_by("name").values_list("pk", "name"):
        if name != previous:
            rank, previous = rank + 1, name
        ranks[pk] = rank
    return ranks


PAGE_SIZE = 50


def query_without_page(request) -> str:
    """The query string of a list without its page number, for the links to other pages."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
