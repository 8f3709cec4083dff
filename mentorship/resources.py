"""Excel import and export of the organisation directory: municipalities and organisations by their codes.

Regions are not created by an import (an administrator adds a region once); a municipality named
in the file is created when the user may add municipalities to its region (the regional
coordinator), otherwise it must already be in the directory. Organisations are created where the
user may add them (the regional coordinator in the region, the municipal officer in their
municipality) and updated where they may change them (a school's director and curator keep their
own card: headcounts, address). A row outside that scope is an error of that row.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from import_export import resources

from .access import municipalities_where, regions_where
from .choices import BodyKind, MunicipalityKind, OrganisationKind, PartnerKind
from .exports import ListExport, register_export
from .imports import bulk
from .imports.engine import CREATED, UNCHANGED, UPDATED, ImportKind, Plan, RowInvalid
from .imports.registry import register
from .imports.widgets import BooleanWidget, ChoiceWidget, CodeWidget, IntegerWidget, TextWidget, column
from .models import Municipality, Organisation, Region
from .views.directory import BodyListView, OrganisationListView, PartnerListView

ORGANISATION_FIELDS = (
    "code",
    "full_name",
    "short_name",
    "kind",
    "inn",
    "ogrn",
    "address",
    "students_count",
    "teachers_count",
    "is_active",
)


class OrganisationResource(resources.ModelResource):
    """Справочник организаций: one row per organisation, with its municipality and region by code."""

    region = column("region", "Код региона", CodeWidget(Region))
    municipality = column("municipality", "Код муниципалитета", CodeWidget(Municipality))
    municipality_name = column("municipality_name", "Муниципалитет", TextWidget())
    municipality_kind = column("municipality_kind", "Вид муниципалитета", ChoiceWidget(MunicipalityKind.choices))
    code = column("code", "Код организации", TextWidget())
    full_name = column("full_name", "Полное наименование", TextWidget())
    short_name = column("short_name", "Краткое наименование", TextWidget())
    kind = column("kind", "Тип организации", ChoiceWidget(OrganisationKind.choices))
    inn = column("inn", "ИНН", TextWidget())
    ogrn = column("ogrn", "ОГРН", TextWidget())
    address = column("address", "Адрес", TextWidget())
    students_count = column("students_count", "Число обучающихся", IntegerWidget())
    teachers_count = column("teachers_count", "Число педагогических работников", IntegerWidget())
    is_active = column("is_active", "Действует", BooleanWidget())

    class Meta:
        model = Organisation
        fields = ("region", "municipality", "municipality_name", "municipality_kind", *ORGANISATION_FIELDS)
        import_order = fields
        import_id_fields = ("code",)
        skip_unchanged = True


class OrganisationPlan(Plan):
    """Organisations matched by code; new municipalities gathered and created before them."""

    def __init__(self, kind: ImportKind, context: Any) -> None:
        super().__init__(kind, context)
        user = context.user
        self.user = user
        self.visible_regions = Region.objects.restrict(user, "view")
        self.visible_municipalities = Municipality.objects.restrict(user, "view")
        self.municipality_regions = set(regions_where(user, "mentorship.add_municipality").values_list("pk", flat=True))
        self.add_in = set(municipalities_where(user, "mentorship.add_organisation").values_list("pk", flat=True))
        self.changeable = Organisation.objects.restrict(user, "change")
        self.regions: dict[str, int | None] = {}
        #: code → (pk or None for a new one, region pk, name, kind)
        self.municipalities: dict[str, tuple[int | None, int, str, str]] = {}
        self.new_municipalities: dict[str, Municipality] = {}
        self.seen: dict[str, int] = {}
        self.creates: list[tuple[str, Organisation]] = []
        self.updates: list[tuple[Organisation, str, list[str]]] = []
        self.make = bulk.instance_factory(Organisation)
        self.make_municipality = bulk.instance_factory(Municipality)
        self.compared = [name for name in ORGANISATION_FIELDS if name != "code"]

    def region(self, code: str) -> int:
        if code not in self.regions:
            self.regions[code] = self.visible_regions.filter(code=code).values_list("pk", flat=True).first()
        if self.regions[code] is None:
            raise RowInvalid.one("region", f"регион с кодом «{code}» не найден среди доступных вам.")
        return self.regions[code]

    def municipality(self, number: int, values: dict[str, Any]) -> tuple[int | None, str]:
        code = values.pop("municipality")
        region_id = self.region(values.pop("region"))
        name = values.pop("municipality_name", "")
        kind = values.pop("municipality_kind", "") or MunicipalityKind.DISTRICT
        if not code:
            raise RowInvalid.one("municipality", "укажите код муниципалитета.")
        if code not in self.municipalities:
            found = self.visible_municipalities.filter(code=code).values_list("pk", "region_id", "name", "kind").first()
            if found is None and Municipality.objects.filter(code=code).exists():
                raise RowInvalid.one("municipality", f"муниципалитет с кодом «{code}» вам недоступен.")
            if found is None:
                if region_id not in self.municipality_regions:
                    raise RowInvalid.one(
                        "municipality",
                        f"муниципалитета с кодом «{code}» нет в справочнике, а добавлять муниципалитеты "
                        "в этот регион вам не разрешено.",
                    )
                if not name:
                    raise RowInvalid.one("municipality_name", "укажите название нового муниципалитета.")
                draft = self.make_municipality(region_id=region_id, code=code, name=name, kind=kind)
                try:
                    draft.clean_fields(exclude=["region"])
                except ValidationError as exc:
                    raise RowInvalid(
                        [
                            ("municipality" if n == "code" else "municipality_name", m)
                            for n, ms in exc.message_dict.items()
                            for m in ms
                        ]
                    ) from exc
                self.new_municipalities[code] = draft
                found = (None, region_id, name, kind)
            self.municipalities[code] = found
        pk, known_region, known_name, _ = self.municipalities[code]
        if known_region != region_id:
            raise RowInvalid.one("municipality", f"муниципалитет с кодом «{code}» относится к другому региону.")
        if name and name != known_name:
            raise RowInvalid.one(
                "municipality_name", f"муниципалитет с кодом «{code}» в справочнике называется «{known_name}»."
            )
        return pk, code

    def add(self, number: int, values: dict[str, Any]) -> tuple[str, str]:
        municipality_id, municipality_code = self.municipality(number, values)
        code = values.get("code", "")
        if not code:
            raise RowInvalid.one("code", "укажите код организации.")
        if code in self.seen:
            raise RowInvalid.one("code", f"организация с этим кодом уже есть в файле в строке {self.seen[code]}.")
        self.seen[code] = number
        label = f"{values.get('short_name') or code} ({code})"
        for name in ("students_count", "teachers_count"):
            if values.get(name) is None:
                values.pop(name, None)
        existing = Organisation.objects.filter(code=code).first()
        if existing is None:
            if municipality_id is not None and municipality_id not in self.add_in:
                raise RowInvalid.one("municipality", "добавлять организации в этот муниципалитет вам не разрешено.")
            if municipality_id is None and self.municipalities[municipality_code][1] not in self.municipality_regions:
                raise RowInvalid.one("municipality", "добавлять организации в этот муниципалитет вам не разрешено.")
            organisation = self.make(municipality_id=municipality_id, **values)
            organisation.clean_fields(exclude=["municipality"])
            self.creates.append((municipality_code, organisation))
            return CREATED, label
        if not self.changeable.filter(pk=existing.pk).exists():
            raise RowInvalid.one(
                "code", f"организация с кодом «{code}» есть в справочнике, но изменять её вам не разрешено."
            )
        changed = [name for name in self.compared if name in values and getattr(existing, name) != values[name]]
        moves = municipality_id != existing.municipality_id
        if not changed and not moves:
            return UNCHANGED, label
        if moves and (municipality_id is None or municipality_id not in self.add_in):
            raise RowInvalid.one(
                "municipality", "перенести организацию в другой муниципалитет может только тот, кто ведёт оба."
            )
        for name in changed:
            setattr(existing, name, values[name])
        existing.municipality_id = municipality_id
        existing.clean_fields(exclude=["municipality"])
        self.updates.append((existing, municipality_code, [*changed, *(["municipality"] if moves else [])]))
        return UPDATED, label

    def write(self) -> None:
        user, reason = self.context.history_user, self.context.reason
        municipalities = list(self.new_municipalities.values())
        bulk.insert(Municipality, municipalities, user=user, reason=reason)
        created = {municipality.code: municipality.pk for municipality in municipalities}
        organisations = []
        for municipality_code, organisation in self.creates:
            if organisation.municipality_id is None:
                organisation.municipality_id = created[municipality_code]
            organisations.append(organisation)
        bulk.insert(Organisation, organisations, user=user, reason=reason)
        for organisation, _, names in self.updates:
            bulk.update(Organisation, [organisation], names, user=user, reason=reason)


@register
class OrganisationImport(ImportKind):
    key = "organisations"
    title = "Справочник организаций (муниципалитеты и образовательные организации)"
    resource_class = OrganisationResource
    plan_class = OrganisationPlan
    permission = "mentorship.change_organisation"
    required = frozenset({"region", "municipality", "code", "full_name", "short_name"})
    synonyms = {
        "code": ("Код ОО",),
        "short_name": ("Краткое наименование ОО", "Сокращённое наименование"),
        "full_name": ("Полное наименование ОО", "Наименование"),
        "students_count": ("Количество обучающихся", "Численность обучающихся"),
        "teachers_count": ("Количество педагогов", "Число педагогов", "Численность педагогических работников"),
    }
    example = {
        "region": "02",
        "municipality": "80652000",
        "municipality_name": "Уфимский район",
        "municipality_kind": MunicipalityKind.DISTRICT.label,
        "code": "UFA-SCH-01",
        "full_name": (
            "Муниципальное общеобразовательное бюджетное учреждение «Средняя общеобразовательная школа с. Булгаково»"
        ),
        "short_name": "МОБУ СОШ с. Булгаково",
        "kind": OrganisationKind.SCHOOL.label,
        "address": "Республика Башкортостан, Уфимский район, с. Булгаково, ул. Школьная, 1",
        "students_count": 640,
        "teachers_count": 48,
        "is_active": "да",
    }


@register_export
class OrganisationsExport(ListExport):
    """«Образовательные организации» as on the directory's list page (the directory holds no personal data)."""

    key = "organisations"
    title = "Образовательные организации"
    # Legal entities (names, codes, addresses, head counts): nobody is named.
    personal_data = False
    list_view = OrganisationListView
    select_related = ("municipality__region",)

    def headers(self) -> list[str]:
        return [column.column_name for column in OrganisationResource().get_import_fields()]

    def rows(self, queryset: Any) -> Any:
        kinds = dict(OrganisationKind.choices)
        municipality_kinds = dict(MunicipalityKind.choices)
        for organisation in queryset.iterator(chunk_size=self.chunk_size):
            municipality = organisation.municipality
            yield [
                municipality.region.code,
                municipality.code,
                municipality.name,
                municipality_kinds.get(municipality.kind, municipality.kind),
                organisation.code,
                organisation.full_name,
                organisation.short_name,
                kinds.get(organisation.kind, organisation.kind),
                organisation.inn,
                organisation.ogrn,
                organisation.address,
                organisation.students_count,
                organisation.teachers_count,
                "да" if organisation.is_active else "нет",
            ]


class _LegalEntityExport(ListExport):
    """A directory list of legal entities kept for a region or one of its municipalities."""

    kinds: dict[str, str]
    # Legal entities (names, codes, addresses): nobody is named.
    personal_data = False

    def headers(self) -> list[str]:
        return ["Регион", "Муниципалитет", "Код", "Полное наименование", "Краткое наименование", "Вид", "ИНН", "Адрес"]

    def rows(self, queryset: Any) -> Any:
        for entity in queryset.select_related("region", "municipality").iterator(chunk_size=self.chunk_size):
            yield [
                entity.region.name,
                entity.municipality.name if entity.municipality_id else "весь регион",
                entity.code,
                entity.full_name,
                entity.short_name,
                self.kinds.get(entity.kind, entity.kind),
                entity.inn,
                entity.address,
            ]


@register_export
class BodiesExport(_LegalEntityExport):
    """«Органы и центры» as on the directory's list page."""

    key = "bodies"
    title = "Органы управления и центры"
    list_view = BodyListView
    kinds = dict(BodyKind.choices)


@register_export
class PartnersExport(_LegalEntityExport):
    """«Организации-партнёры» as on the directory's list page."""

    key = "partners"
    title = "Организации-партнёры"
    list_view = PartnerListView
    kinds = dict(PartnerKind.choices)
