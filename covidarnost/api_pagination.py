"""The API's pagination: DRF's page numbers, held to what the schema says `page` is.

DRF reads an empty `page` as page 1 and accepts "last"; the schema promises an integer from 1
up, so anything else is refused as a page that does not exist (404, as DRF answers for a
number past the end), and the schema says so (covidarnost.api_schema).
"""

from __future__ import annotations

import re

from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination

PAGE_RE = re.compile(r"[1-9][0-9]{0,8}")


class StrictPageNumberPagination(PageNumberPagination):
    def paginate_queryset(self, queryset, request, view=None):
        page = request.query_params.get(self.page_query_param)
        if page is not None and not PAGE_RE.fullmatch(page):
            raise NotFound(self.invalid_page_message)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": 999999999}
                parameter["description"] = (
                    "A page number from 1; past the last page, or not a number: 404."
                )
        return parameters
