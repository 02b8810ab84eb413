"""Error reports (mail to ADMINS, the DEBUG page) without anyone's personal data.

Django's reports carry what was typed into a form (a resident's name, flat, phone), the query
string (a phone searched for), cookies, the client address and, on the HTML page, every local
variable of every frame. Ours keep the traceback, the method, the path and the names of the
parameters, and replace every value with Django's "********************".
"""

from django.conf import settings
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

# Request headers that say nothing about who sent the request; every other META value goes.
KEPT_META = frozenset(
    {"REQUEST_METHOD", "PATH_INFO", "CONTENT_TYPE", "CONTENT_LENGTH", "SERVER_NAME",
     "SERVER_PORT", "HTTP_ACCEPT_LANGUAGE", "HTTP_HOST"}
)  # fmt: skip


class PersonalDataReporterFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_safe_request_meta(self, request):
        return {
            key: value if key in KEPT_META else self.cleansed_substitute
            for key, value in getattr(request, "META", {}).items()
        }

    def get_safe_cookies(self, request):
        return dict.fromkeys(getattr(request, "COOKIES", {}), self.cleansed_substitute)

    def get_traceback_frame_variables(self, request, tb_frame):
        if settings.DEBUG:
            # The developer's own machine and data: locals help, and nothing is mailed.
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]


class PersonalDataExceptionReporter(ExceptionReporter):
    """Also hides the query string, which Django shows as it came (GET values, the URL)."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if self.request is not None:
            hidden = self.filter.cleansed_substitute
            data["request_GET_items"] = [(key, hidden) for key in self.request.GET]
            data["request_insecure_uri"] = self.request.build_absolute_uri(self.request.path)
            data["request_FILES_items"] = [(key, hidden) for key in self.request.FILES]
        return data
