"""Import and export in the Django admin, on django-import-export's upload → dry run → confirm flow.

ScopedImportMixin: the organizer uploads a file for their group (a coordinator picks one of
their network's groups); the dry run lists line by line what will be created, updated or
rejected and why; only a file without a rejected line can be confirmed, and the confirmed
import runs in one transaction that is rolled back whole if any line fails after all.

PersonalDataExportMixin: CSV or XLSX of the list as filtered, without personal columns unless
the organizer ticks them; every export with personal columns is recorded
(privacy.access_log.record_personal_data_export).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from import_export.admin import ExportMixin, ImportMixin
from import_export.formats import base_formats
from import_export.results import RowResult
from import_export.tmp_storages import CacheStorage

from covidarnost import permissions
from impex.formats import CSVFormat, FileError, GeoJSONFormat
from impex.forms import GroupConfirmImportForm, GroupImportForm, PersonalDataExportForm
from impex.resources import preview_lines
from privacy.access_log import record_personal_data_export


class ImportCacheStorage(CacheStorage):
    """The uploaded file between the dry run and the confirmation: in the cache (Redis in
    production, shared by every worker), under a random name, for an hour at most."""

    CACHE_LIFETIME = 60 * 60
    CACHE_PREFIX = "impex-upload-"


class ScopedImportMixin(ImportMixin):
    import_template_name = "admin/impex/import.html"
    import_form_class = GroupImportForm
    confirm_form_class = GroupConfirmImportForm
    tmp_storage_class = ImportCacheStorage
    import_formats = [CSVFormat, GeoJSONFormat]
    # Shown above the upload form: the columns and an example (a template of the admin).
    import_help_template = ""
    # Columns of the file shown in the dry run's table: (column, heading).
    import_preview_columns: tuple = ()

    import_resource_class = None

    def get_import_resource_classes(self, request):
        return [self.import_resource_class]

    def has_import_permission(self, request):
        return permissions.can_import(request.user)

    def get_import_form_kwargs(self, request):
        kwargs = super().get_import_form_kwargs(request)
        kwargs["groups"] = permissions.import_groups(request.user)
        return kwargs

    def get_confirm_form_kwargs(self, request, import_form=None):
        kwargs = super().get_confirm_form_kwargs(request, import_form)
        kwargs["groups"] = permissions.import_groups(request.user)
        return kwargs

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["group"] = import_form.cleaned_data["group"].pk
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        cleaned = getattr(form, "cleaned_data", None) or {}
        group = cleaned.get("group")
        first_line = 2
        if "format" in cleaned and cleaned["format"] not in ("", None):
            file_format = self.get_import_formats()[int(cleaned["format"])]
            first_line = getattr(file_format, "first_line", 2)
        return {"group": group, "actor": request.user, "first_line": first_line}

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        # A rejected line rolls the whole import back: never half a file.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, FileError):
            form.add_error("import_file", str(e))
        else:
            form.add_error(
                "import_file",
                _(
                    "The file cannot be read. Check that its format is the one chosen and "
                    "that it is saved in UTF-8."
                ),
            )

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        if context is not None:
            result = context.get("result")
            context["import_help_template"] = self.import_help_template
            context["preview_headings"] = [heading for _c, heading in self.import_preview_columns]
            if result is not None:
                lines = preview_lines(result, self.model)
                for line in lines:
                    line["cells"] = [
                        "" if line["values"].get(column) is None else line["values"][column]
                        for column, _heading in self.import_preview_columns
                    ]
                context["lines"] = lines
                context["counts"] = _counts(lines)
                context["file_errors"] = [_message(error.error) for error in result.base_errors]
        return response

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # Rolled back already (rollback_on_validation_errors): nothing was written.
            messages.error(
                request,
                _(
                    "Nothing was imported: some lines of the file cannot be imported. Upload it "
                    "again to see which and why."
                ),
            )
            app_label, model_name = self.get_model_info()
            url = reverse(
                f"admin:{app_label}_{model_name}_import", current_app=self.admin_site.name
            )
            return HttpResponseRedirect(url)
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        created = result.totals[RowResult.IMPORT_TYPE_NEW]
        updated = result.totals[RowResult.IMPORT_TYPE_UPDATE]
        messages.success(
            request,
            _("Imported: %(created)d created, %(updated)d updated.")
            % {"created": created, "updated": updated},
        )


def _message(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _counts(lines) -> dict[str, int]:
    counts = {"new": 0, "update": 0, "skip": 0, "rejected": 0}
    for line in lines:
        if line["rejected"]:
            counts["rejected"] += 1
        elif line["type"] in counts:
            counts[line["type"]] += 1
    return counts


class PersonalDataExportMixin(ExportMixin):
    export_template_name = "admin/impex/export.html"
    export_formats = [base_formats.CSV, base_formats.XLSX]

    export_resource_class = None

    def get_export_resource_classes(self, request):
        return [self.export_resource_class]

    def has_export_permission(self, request):
        return permissions.can_export(request.user) and self.has_view_permission(request)

    def _resource_class(self, request):
        return self.export_resource_class

    def personal_export_allowed(self, request) -> bool:
        resource_class = self._resource_class(request)
        return bool(resource_class.personal_columns) and permissions.can_export_personal_data(
            request.user
        )

    def export_action(self, request):
        if not self.has_export_permission(request):
            raise PermissionDenied
        formats = self.get_export_formats()
        resource_class = self._resource_class(request)
        form = PersonalDataExportForm(
            formats,
            [resource_class],
            allow_personal=self.personal_export_allowed(request),
            data=request.POST or None,
        )
        if request.method == "POST" and form.is_valid():
            file_format = formats[int(form.cleaned_data["format"])]()
            queryset = self.get_export_queryset(request)
            return self._do_file_export(file_format, request, queryset, export_form=form)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Export"),
            "form": form,
            "opts": self.model._meta,
            "columns": resource_class.column_labels(personal=False),
            "personal_columns": resource_class.column_labels(personal=True, only_personal=True),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.export_template_name], context)

    def get_export_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("export_form")
        personal = bool(form is not None and form.include_personal)
        # The form offers the choice only to whom it is allowed; checked again here.
        return {"personal": personal and self.personal_export_allowed(request)}

    def get_data_for_export(self, request, queryset, **kwargs):
        resource = self._resource_class(request)(
            **self.get_export_resource_kwargs(request, **kwargs)
        )
        dataset = resource.export(
            queryset=queryset, force_native_type=kwargs.get("force_native_type", False)
        )
        if resource.personal:
            record_personal_data_export(
                actor=request.user,
                model_label=self.model._meta.label_lower,
                rows=len(dataset),
                columns=list(dataset.headers or []),
                neighbors=resource.exported_residents(queryset),
            )
        return dataset
