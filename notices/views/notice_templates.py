"""Edit a campaign's notice per language and preview it; edit the wind-down's receipt."""

from __future__ import annotations

from csp.decorators import csp_update
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from notices.forms import ReceiptTemplateForm, TemplateForm
from notices.models import Language
from notices.rendering import VARIABLES
from notices.services.campaigns import template_save
from notices.services.receipts import receipt_template, receipt_template_save
from notices.services.recipients import notice_preview
from notices.views.campaigns import CampaignMixin
from windown.access import WindDownMixin
from windown.views.errors import show_error


class LanguageMixin(CampaignMixin):
    def dispatch(self, request, *args, **kwargs):
        if kwargs["language"] not in Language.values:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class TemplateEditView(LanguageMixin, FormView):
    permission = "notices.manage"
    template_name = "notices/noticetemplate_form.html"
    form_class = TemplateForm

    def get_form_kwargs(self):
        self.campaign = self.get_campaign()
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.campaign.templates.filter(
            language=self.kwargs["language"]
        ).first()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {
            **context,
            "campaign": self.campaign,
            "language": self.kwargs["language"],
            "variables": VARIABLES,
        }

    def form_valid(self, form):
        try:
            template_save(
                by=self.membership,
                campaign=self.campaign,
                language=self.kwargs["language"],
                **form.cleaned_data,
            )
        except ValidationError as error:
            show_error(error, form=form)
            return self.form_invalid(form)
        messages.success(self.request, _("Notice saved."))
        return redirect(self.campaign.get_absolute_url())


# The preview shows the e-mail's HTML, styled inline as e-mail must be, in a sandboxed srcdoc
# iframe (no script runs in it); a srcdoc document inherits the page's Content-Security-Policy,
# so this one page allows inline style and nothing else more.
@method_decorator(csp_update({"style-src": ["'unsafe-inline'"]}), name="dispatch")
class PreviewView(LanguageMixin, TemplateView):
    permission = "notices.view"
    template_name = "notices/noticetemplate_preview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.get_campaign()
        notice = notice_preview(
            by=self.membership, campaign=campaign, language=self.kwargs["language"]
        )
        return {
            **context,
            "campaign": campaign,
            "notice": notice,
            "language": self.kwargs["language"],
        }


class ReceiptTemplateEditView(WindDownMixin, FormView):
    """Edit the wind-down's completion receipt in one language (the shipped text until then)."""

    permission = "notices.manage"
    template_name = "notices/receipttemplate_form.html"
    form_class = ReceiptTemplateForm

    def dispatch(self, request, *args, **kwargs):
        if kwargs["language"] not in Language.values:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return receipt_template(self.winddown, self.kwargs["language"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {**context, "language": self.kwargs["language"], "variables": VARIABLES}

    def form_valid(self, form):
        try:
            receipt_template_save(
                by=self.membership, language=self.kwargs["language"], **form.cleaned_data
            )
        except ValidationError as error:
            show_error(error, form=form)
            return self.form_invalid(form)
        messages.success(self.request, _("Receipt saved."))
        return redirect("notices:index", slug=self.winddown.slug)
