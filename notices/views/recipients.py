"""Staff pages for recipients: search and import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from notices.forms import ImportForm
from notices.selectors import recipients_of
from notices.services.importing import ImportRefused, recipients_import
from windown.access import WindDownMixin


class RecipientListView(WindDownMixin, FormView):
    """List and search recipients; members who manage notices import files here."""

    permission = "notices.view"
    template_name = "notices/recipient_list.html"
    form_class = ImportForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()
        page = Paginator(recipients_of(self.winddown, query=query), 50).get_page(
            self.request.GET.get("page")
        )
        return {**context, "page_obj": page, "is_paginated": page.has_other_pages(), "q": query}

    def post(self, request, *args, **kwargs):
        from windown import roles

        if not roles.holds(self.membership, "notices.manage"):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            report = recipients_import(
                by=self.membership,
                file=upload.file,
                filename=upload.name,
                skip_invalid=form.cleaned_data["skip_invalid"],
            )
        except ImportRefused as refused:
            return self.render_to_response(self.get_context_data(form=form, refused=refused.report))
        except ValidationError as error:
            form.add_error("file", error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(rows)s rows read: %(created)s new recipients, %(invalid)s invalid rows skipped.")
            % {"rows": report.rows, "created": report.created, "invalid": report.invalid},
        )
        return redirect("notices:recipient-list", slug=self.winddown.slug)
