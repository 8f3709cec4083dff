"""Document pages: the order register, an order's page and its actions, PDFs, certificates, background jobs.

Objects come only through ``restrict()`` (the base views) or the selectors: outside the scope is
404, a visible order the user may not change or sign is 403. Writes go through ``services``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Model, QuerySet
from django.db.models.fields.files import FieldFile
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from mentorship import access, security
from mentorship.choices import SecurityEventKind
from mentorship.errors import DomainError
from mentorship.views.files import ScopedFileView, file_name, file_response
from mentorship.views.generic import ActionView, CreateActionView, ObjectListView, ScopedMixin
from participants.forms import PairsConfirmForm
from roadmaps.models import Roadmap

from . import documents, selectors, services
from .choices import DocumentKind, OrderKind, OrderStatus, RenderStatus
from .filters import OrderFilter
from .forms import (
    CertificateForm,
    LinkItemForm,
    OrderCreateForm,
    OrderEditForm,
    ScanForm,
)
from .models import DocumentJob, Order


class PdfDownloadMixin(ABC):
    """Hands a PDF out: the one place where a download of a document naming people is recorded.

    Each document's view declares ``personal_data`` (whether the document names people, 152-ФЗ; see
    ``documents.PeopleNamed`` for which do and why) and, if it does, ``people_named``: what it is
    and how many people it names, or None for a document of that kind that lists nobody.
    """

    request: HttpRequest
    #: whether the document names people: each download then leaves a row in the security event log
    personal_data: ClassVar[bool] = True

    @abstractmethod
    def people_named(self, document: Any) -> documents.PeopleNamed | None:
        """What the document is and how many people it names; None when it names nobody.

        Abstract, so a new document's view cannot be instantiated without saying.
        """

    def pdf_download(self, document: Any, pdf: bytes | FieldFile, filename: str) -> HttpResponse:
        if isinstance(pdf, FieldFile):
            response = file_response(pdf, filename=filename)
        else:
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        named = self.people_named(document) if self.personal_data else None
        if named is not None:
            security.record(
                SecurityEventKind.PERSONAL_DATA_EXPORT,
                actor=self.request.user,
                request=self.request,
                what=named.what,
                people=named.people,
            )
        return response


# --- the register ---------------------------------------------------------------------------------


class OrderListView(ObjectListView):
    """Реестр приказов: the user's organisations' orders by year and number."""

    model = Order
    template_name = "reports/order_list.html"
    title = "Реестр приказов"
    search_fields = ("title", "organisation__short_name")
    filterset_class = OrderFilter
    paginate_by = 50

    def base_queryset(self) -> QuerySet[Order]:
        return selectors.order_list(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_add"] = access.own_organisations(self.request.user, Order).exists()
        return context


class OrderDetailView(ScopedMixin, DetailView):
    model = Order
    template_name = "reports/order_detail.html"

    def get_object(self, queryset: QuerySet | None = None) -> Order:
        return selectors.order_detail(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        order, user = self.object, self.request.user
        context.update(
            title=str(order),
            events=selectors.order_events(user=user, order=order),
            may_change=access.can(user, order, "change"),
            may_sign=order.status == OrderStatus.DRAFT and access.can(user, order, "sign"),
            is_large=order.appendix_rows > services.LARGE_ROWS,
            large_rows=services.LARGE_ROWS,
        )
        return context


class OrderActionView(ActionView):
    """One form about an order, written by ``perform`` through a service."""

    model = Order
    # A bare confirmation (Form) takes no user; the forms that offer choices name it themselves.
    form_takes_user = False


class OrderCreateView(CreateActionView):
    add_model = Order
    form_class = OrderCreateForm
    template_name = "reports/order_form.html"
    heading = "Новый приказ"
    button = "Создать проект"
    success_message = "Проект приказа создан по данным портала: проверьте текст и приложение."
    permission_message = "Приказы ведут руководитель, куратор и координатор образовательной организации."

    def get_initial(self) -> dict[str, Any]:
        return {"date": timezone.localdate()}

    def perform(self, form: OrderCreateForm) -> Order:
        data = form.cleaned_data
        return services.order_create(
            actor=self.request.user,
            organisation=data["organisation"],
            kind=data["kind"],
            date=data["date"],
            place=data["place"],
            school_year=data["school_year"],
            roadmap=data["roadmap"],
            event_date=data["event_date"],
        )

    def back_url(self) -> str:
        return reverse("reports:orders")

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


class OrderPairsCreateView(CreateActionView):
    """«Утвердить отмеченные»: a draft order «Об утверждении наставнических пар/групп» of the ticked pairs.

    The pairs list (participants) links here with the ticked ids; reports is above participants, so
    the order is made here and the participants page only links to it. Signing the draft approves them.
    """

    add_model = Order
    form_class = PairsConfirmForm
    template_name = "reports/order_pairs_form.html"
    heading = "Приказ об утверждении пар и групп"
    button = "Создать проект приказа"
    success_message = "Проект приказа создан: проверьте его и подпишите — подписание утвердит пары."
    permission_message = "Приказы ведут руководитель, куратор и координатор образовательной организации."

    def get_initial(self) -> dict[str, Any]:
        return super().get_initial() | {"pairs": self.request.GET.getlist("pairs")}

    def perform(self, form: PairsConfirmForm) -> Order:
        pairs = list(form.cleaned_data["pairs"])
        organisations = {pair.organisation for pair in pairs}
        if len(organisations) != 1:
            raise DomainError("В один приказ входят пары одной образовательной организации.", field="pairs")
        (organisation,) = organisations
        day = form.cleaned_data["on"]
        return services.order_create(
            actor=self.request.user,
            organisation=organisation,
            kind=OrderKind.PAIRS,
            date=day,
            school_year=pairs[0].school_year,
            pair_ids=[pair.pk for pair in pairs],
        )

    def back_url(self) -> str:
        return reverse("participants:pairs")

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        chosen = form.data.getlist("pairs") if form.is_bound else form.initial.get("pairs", [])
        ids = [value for value in chosen if str(value).isdigit()]
        context["chosen"] = form.fields["pairs"].queryset.filter(pk__in=ids).prefetch_related("members__person")
        return context


class OrderEditView(OrderActionView):
    form_class = OrderEditForm
    heading = "Изменение проекта"

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"instance": self.target, "user": self.request.user}

    def perform(self, form: OrderEditForm) -> Order:
        return services.order_update(actor=self.request.user, order=self.target, data=form.service_data())


class OrderRefreshView(OrderActionView):
    form_class = Form
    heading = "Обновить приложение по данным портала"
    button = "Обновить приложение"
    note = (
        "Таблица приложения (пары, список наставников, дорожная карта) будет собрана заново; пункты останутся как есть."
    )
    success_message = "Приложение обновлено."

    def perform(self, form: Form) -> Order:
        return services.order_refresh(actor=self.request.user, order=self.target)


class OrderSignView(OrderActionView):
    form_class = Form
    action = "sign"
    heading = "Подписать и зарегистрировать"
    button = "Подписать и присвоить номер"
    note = (
        "Приказу будет присвоен следующий номер реестра за год его даты, его PDF сохранится и больше не изменится, "
        "как и текст приказа."
    )

    @property
    def success_message(self) -> str:
        outcome = getattr(self, "signed", None) and getattr(self.signed, "pairs_outcome", "")
        return f"Приказ подписан и зарегистрирован. {outcome}" if outcome else "Приказ подписан и зарегистрирован."

    def perform(self, form: Form) -> Order:
        self.signed = services.order_sign(actor=self.request.user, order=self.target)
        return self.signed


class OrderDeleteView(OrderActionView):
    form_class = Form
    action = "delete"
    heading = "Удалить проект"
    button = "Удалить проект"
    success_message = "Проект приказа удалён."

    def perform(self, form: Form) -> None:
        services.order_delete(actor=self.request.user, order=self.target)

    def get_success_url(self) -> str:
        return reverse("reports:orders")


class OrderScanView(OrderActionView):
    form_class = ScanForm
    heading = "Приложить скан"
    button = "Загрузить скан"
    success_message = "Скан подписанного приказа сохранён."

    def perform(self, form: ScanForm) -> Order:
        return services.order_scan_attach(actor=self.request.user, order=self.target, upload=form.cleaned_data["scan"])


class OrderLinkItemView(OrderActionView):
    form_class = LinkItemForm
    heading = "Связать с пунктом дорожной карты"
    button = "Связать"
    success_message = "Приказ отмечен как результат пункта дорожной карты."

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user, "order": self.target}

    def perform(self, form: LinkItemForm) -> Order:
        return services.order_link_item(actor=self.request.user, order=self.target, item=form.cleaned_data["item"])


# --- files ----------------------------------------------------------------------------------------


class BackgroundPdfView(PdfDownloadMixin, LoginRequiredMixin, View, ABC):
    """A PDF rendered on the spot when small, in the background when large; a GET never writes.

    A crawler or a browser prefetching the link must create nothing, so the job of a large document
    is queued only by a POST (the «Сформировать PDF» button): the GET leads to the user's job already
    under way, or shows the page with the button and the last PDF made, if any.
    """

    kind: DocumentKind
    template_name = "reports/document_request.html"

    @abstractmethod
    def get_document(self, pk: int) -> Model:
        """The document's record, through the scope (404 outside)."""

    @abstractmethod
    def is_large(self, document: Model) -> bool:
        """Whether the document is rendered in the background."""

    @abstractmethod
    def render_now(self, document: Model) -> HttpResponse:
        """The answer for a document small enough to render during the request."""

    @abstractmethod
    def job_title(self, document: Model) -> str:
        """The job's title in «Мои документы»."""

    def document_url(self, document: Model) -> str:
        return document.get_absolute_url()

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self.get_document(pk)
        if not self.is_large(document):
            return self.render_now(document)
        jobs = selectors.my_jobs(user=request.user).filter(kind=self.kind, object_id=document.pk)
        pending = jobs.filter(status=RenderStatus.PENDING).first()
        if pending is not None:
            return redirect(pending.get_absolute_url())
        context = {
            "title": f"PDF: {self.job_title(document)}",
            "ready": jobs.filter(status=RenderStatus.READY).first(),
            "large_rows": services.LARGE_ROWS,
            "back_url": self.document_url(document),
        }
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        document = self.get_document(pk)
        if not self.is_large(document):
            return redirect(request.path)
        job = services.document_job_request(
            actor=request.user, kind=self.kind, object_id=document.pk, title=self.job_title(document)
        )
        return redirect(job.get_absolute_url())


class OrderPdfView(BackgroundPdfView):
    """A signed order's stored PDF; a draft's preview rendered now, or in the background if large."""

    kind = DocumentKind.ORDER
    personal_data = True

    def people_named(self, order: Order) -> documents.PeopleNamed | None:
        return documents.order_people(order)

    def get_document(self, pk: int) -> Order:
        return selectors.order_detail(user=self.request.user, pk=pk)

    def is_large(self, order: Order) -> bool:
        return order.status != OrderStatus.SIGNED and order.appendix_rows > services.LARGE_ROWS

    def job_title(self, order: Order) -> str:
        return f"Проект: {order.title}"

    def render_now(self, order: Order) -> HttpResponse:
        if order.status == OrderStatus.SIGNED:
            if not order.pdf:
                messages.info(
                    self.request, "PDF подписанного приказа формируется; страница обновится, когда он будет готов."
                )
                return redirect(order.get_absolute_url())
            return self.pdf_download(order, order.pdf, _order_filename(order))
        return self.pdf_download(order, services.order_render(order).content, _order_filename(order))


class OrderScanFileView(PdfDownloadMixin, ScopedFileView):
    """The scan of a signed order's paper, for those who see the order: it names whom the order names."""

    model = Order
    field = "scan"
    personal_data = True

    def people_named(self, order: Order) -> documents.PeopleNamed | None:
        named = documents.order_people(order)
        return None if named is None else documents.PeopleNamed(f"Скан: {order}", named.people)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        order = self.get_scoped_object("view")
        if not order.scan:
            raise Http404("Файл не приложен.")
        return self.pdf_download(order, order.scan, file_name(order.scan))


def _order_filename(order: Order) -> str:
    if order.number:
        return f"prikaz-{order.year}-{order.number}.pdf"
    return f"proekt-prikaza-{order.pk}.pdf"


class RoadmapPdfView(BackgroundPdfView):
    """A roadmap as a landscape table; a long one is rendered in the background."""

    kind = DocumentKind.ROADMAP
    # Activities, deadlines and results; the responsible are named by their posts.
    personal_data = False

    def people_named(self, roadmap: Roadmap) -> None:
        return None

    def get_document(self, pk: int) -> Roadmap:
        return get_object_or_404(Roadmap.objects.restrict(self.request.user, "view"), pk=pk)

    def is_large(self, roadmap: Roadmap) -> bool:
        return documents.roadmap_item_count(roadmap) > services.LARGE_ROWS

    def job_title(self, roadmap: Roadmap) -> str:
        return roadmap.title

    def document_url(self, roadmap: Roadmap) -> str:
        return reverse("roadmaps:detail", args=[roadmap.pk])

    def render_now(self, roadmap: Roadmap) -> HttpResponse:
        pdf = documents.roadmap_render(user=self.request.user, roadmap_id=roadmap.pk)
        return self.pdf_download(roadmap, pdf.content, f"dorozhnaya-karta-{roadmap.pk}.pdf")


class CertificateView(PdfDownloadMixin, LoginRequiredMixin, FormView):
    """Грамоты и благодарственные письма наставникам: the PDF comes back as the form's answer."""

    personal_data = True

    form_class = CertificateForm
    template_name = "reports/certificate_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        return {"day": timezone.localdate()}

    def form_valid(self, form: CertificateForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            certificate = documents.certificate_build(
                user=self.request.user,
                award=data["award"],
                person_id=data["person"].pk if data.get("person") else None,
                pair_id=data["pair"].pk if data.get("pair") else None,
                day=data["day"],
                reason=data["reason"],
                place=data["place"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        pdf = documents.certificate_render(certificate)
        return self.pdf_download(certificate, pdf.content, f"gramota-{data['award']}.pdf")

    def people_named(self, certificate: documents.Certificate) -> documents.PeopleNamed:
        return documents.certificate_people(certificate)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"title": "Грамоты и благодарственные письма"}


class MonitoringReportView(PdfDownloadMixin, LoginRequiredMixin, View):
    """Справка о ходе внедрения ЦМН for a school, a municipality or the region, as the dashboard shows it."""

    # Figures, shares and charts per place: an aggregate that names nobody.
    personal_data = False

    def people_named(self, document: Any) -> None:
        return None

    def get(self, request: HttpRequest, level: str, pk: int) -> HttpResponse:
        from monitoring.params import period_param, school_year_param

        from .monitoring_report import monitoring_report_render

        year, period = period_param(request)
        pdf = monitoring_report_render(
            user=request.user, level=level, pk=pk, school_year=school_year_param(request), year=year, period=period
        )
        return self.pdf_download((level, pk), pdf.content, f"spravka-{level}-{pk}.pdf")


class JobListView(LoginRequiredMixin, ListView):
    template_name = "reports/job_list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[DocumentJob]:
        return selectors.my_jobs(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"title": "Мои документы"}


class JobDetailView(LoginRequiredMixin, DetailView):
    template_name = "reports/job_detail.html"
    context_object_name = "job"

    def get_queryset(self) -> QuerySet[DocumentJob]:
        return selectors.my_jobs(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"title": self.object.title, "statuses": RenderStatus}


class JobFileView(PdfDownloadMixin, LoginRequiredMixin, View):
    """A background job's PDF, for the user who asked for it; it names whom its document names."""

    personal_data = True

    def people_named(self, job: DocumentJob) -> documents.PeopleNamed | None:
        return documents.job_people(job)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = get_object_or_404(selectors.my_jobs(user=request.user), pk=pk)
        if job.status != RenderStatus.READY or not job.file:
            return HttpResponseRedirect(job.get_absolute_url())
        return self.pdf_download(job, job.file, file_name(job.file))
