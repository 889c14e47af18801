"""The director's webhook pages: endpoints, the secret shown once, the delivery log, resend."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView

from windown.access import WindDownMixin
from windown.views.errors import show_error
from windown.webhooks import services
from windown.webhooks.forms import EndpointChangeForm, EndpointForm
from windown.webhooks.models import WebhookDelivery
from windown.webhooks.selectors import deliveries_of, endpoints_of


def _secret_page(view, endpoint, secret):
    response = render(
        view.request,
        "windown/webhooks/endpoint_secret.html",
        {
            "winddown": view.winddown,
            "membership": view.membership,
            "endpoint": endpoint,
            "secret": secret,
        },
    )
    response["Cache-Control"] = "no-store"  # the secret must not stay in a cache
    return response


class EndpointListView(WindDownMixin, FormView):
    permission = "webhooks.view"
    template_name = "windown/webhooks/endpoint_list.html"
    form_class = EndpointForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {**context, "endpoints": endpoints_of(self.winddown)}

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST":
            self.permission = "webhooks.manage"
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            endpoint, secret = services.endpoint_create(by=self.membership, **form.cleaned_data)
        except ValidationError as error:
            show_error(error, form=form)
            return self.form_invalid(form)
        return _secret_page(self, endpoint, secret)


class EndpointDetailView(WindDownMixin, ListView):
    permission = "webhooks.view"
    template_name = "windown/webhooks/endpoint_detail.html"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST":
            self.permission = "webhooks.manage"
        return super().dispatch(request, *args, **kwargs)

    def endpoint(self):
        return get_object_or_404(self.winddown.webhook_endpoints, pk=self.kwargs["pk"])

    def get_queryset(self):
        self.object = self.endpoint()
        return deliveries_of(self.object, self.request.GET.get("status", ""))

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or EndpointChangeForm(
            initial={
                "url": self.object.url,
                "description": self.object.description,
                "events": self.object.events,
                "is_active": self.object.is_active,
            }
        )
        context = super().get_context_data(**kwargs)
        return {
            **context,
            "endpoint": self.object,
            "form": form,
            "statuses": WebhookDelivery.Status.choices,
            "status": self.request.GET.get("status", ""),
        }

    def post(self, request, slug, pk):
        form = EndpointChangeForm(request.POST)
        endpoint = self.endpoint()
        try:
            if not form.is_valid():
                raise ValidationError(form.errors.as_data())
            services.endpoint_update(by=self.membership, endpoint=endpoint, **form.cleaned_data)
        except ValidationError as error:
            show_error(error, form=form)
            self.object_list = self.get_queryset()
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("Endpoint saved."))
        return redirect("windown:webhook-detail", slug=slug, pk=pk)


class EndpointRotateView(WindDownMixin, View):
    permission = "webhooks.manage"

    def post(self, request, slug, pk):
        endpoint = get_object_or_404(self.winddown.webhook_endpoints, pk=pk)
        secret = services.endpoint_rotate_secret(by=self.membership, endpoint=endpoint)
        return _secret_page(self, endpoint, secret)


class DeliveryResendView(WindDownMixin, View):
    permission = "webhooks.manage"

    def post(self, request, slug, pk, delivery_pk):
        endpoint = get_object_or_404(self.winddown.webhook_endpoints, pk=pk)
        delivery = get_object_or_404(endpoint.deliveries, pk=delivery_pk)
        services.delivery_resend(by=self.membership, delivery=delivery)
        messages.success(request, _("The event will be sent again."))
        return redirect("windown:webhook-detail", slug=slug, pk=pk)
