"""`integer__in` lookups that ignore values no column can hold.

Django already turns an out-of-range integer in `exact` and comparison lookups into an empty result
(IntegerFieldOverflow), but not in `__in`: a form's multiple choice given a huge id then makes the
database driver overflow (SQLite: OverflowError, PostgreSQL: "out of range"), a server error.
Registered on IntegerField (and so on every id column) by communes.apps.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            kept = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
            if not kept:
                raise EmptyResultSet
            self.rhs = kept
        return super().process_rhs(compiler, connection)


def register():
    IntegerField.register_lookup(IntegerFieldIn)
