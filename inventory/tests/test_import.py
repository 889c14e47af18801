"""Importing the data map: every problem is reported, nothing partial, re-imports change nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from inventory.models import DataSystem, Holding
from inventory.services.datamap import datamap_import
from inventory.signals import holdings_changed
from inventory.tests.sheets import GOOD_ROW, csv_bytes, row, sales_rows, xlsx_bytes
from windown.models import AuditEvent

CHINESE_HEADER = [
    "系统",
    "系统类型",
    "服务商",
    "区域",
    "存储国家",
    "部门",
    "负责人邮箱",
    "数据类别",
    "来源",
    "司法辖区",
    "记录总数",
    "活跃记录数",
    "休眠记录数",
    "最早记录日期",
    "最新记录日期",
    "字段",
    "备注",
]


def run(by, data, filename="datamap.csv", dry_run=False):
    return datamap_import(by=by, data=data, filename=filename, dry_run=dry_run)


def problems_of(report):
    return [(p.row, p.column) for p in report.problems]


def test_it_imports_an_xlsx_data_map(director):
    report = run(director, xlsx_bytes(sales_rows(20)), "map.xlsx")
    assert report.ok and report.applied
    assert report.holdings.created == 20
    assert report.systems.created == 2
    holding = Holding.objects.get(
        system__name="Sales system 0", category__key="commerce.order", jurisdiction="DE"
    )
    assert (holding.records_total, holding.records_active, holding.records_dormant) == (
        10000,
        2500,
        7500,
    )
    assert holding.fields == ["order_no", "address"]
    assert str(holding.oldest_record) == "2019-03-01"
    system = holding.system
    assert (system.kind, system.hosting_provider, system.storage_country.code) == (
        "database",
        "Aliyun",
        "CN",
    )


def test_it_imports_a_csv_data_map(director):
    report = run(director, csv_bytes(sales_rows(12)))
    assert report.ok and report.holdings.created == 12
    assert Holding.objects.filter(winddown=director.winddown).count() == 12


def test_it_reads_utf8_with_a_byte_order_mark(director):
    data = b"\xef\xbb\xbf" + csv_bytes([row(notes="客户名单 — Müller")])
    report = run(director, data)
    assert report.ok and report.encoding == "utf-8-sig"
    assert Holding.objects.get().notes == "客户名单 — Müller"


def test_it_detects_a_gbk_file_saved_by_chinese_excel_with_chinese_headers(director):
    rows = [
        row(
            system="销售部笔记本电脑",
            department="Sales",
            notes="客户联系表（张强）",  # noqa: RUF001 - Chinese punctuation on purpose
            fields="姓名；电话",  # noqa: RUF001
        ),
        row(system="销售部笔记本电脑", jurisdiction="CN", notes="微信导出的订单记录"),
    ]
    data = csv_bytes(rows, encoding="gbk", header=CHINESE_HEADER)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really GBK
    report = run(director, data)
    assert report.ok, report.problems
    assert report.encoding == "gb18030"
    system = DataSystem.objects.get(winddown=director.winddown)
    assert system.name == "销售部笔记本电脑"
    notes = set(Holding.objects.values_list("notes", flat=True))
    assert notes == {"客户联系表（张强）", "微信导出的订单记录"}  # noqa: RUF001
    assert Holding.objects.get(jurisdiction="DE").fields == ["姓名", "电话"]


def test_chinese_header_aliases_work_in_xlsx_too(director):
    report = run(director, xlsx_bytes([GOOD_ROW], header=CHINESE_HEADER), "数据地图.xlsx")
    assert report.ok and report.holdings.created == 1


@pytest.mark.parametrize(
    ("changes", "column", "words"),
    [
        ({"category": "user.contact.mail"}, "category", "Did you mean “user.contact.email”"),
        ({"system_kind": "labtop"}, "system_kind", "Did you mean “laptop”"),
        ({"source": "orders"}, "source", "Did you mean “order”"),
        ({"records_active": "9000"}, "records_active", "exceed the total"),
        (
            {"records_total": "-5", "records_active": "0", "records_dormant": "0"},
            "records_total",
            "negative",
        ),
        ({"records_total": "many"}, "records_total", "not a whole number"),
        ({"records_total": ""}, "records_total", "required"),
        ({"oldest_record": "31.12.2019"}, "oldest_record", "YYYY-MM-DD"),
        ({"newest_record": "2026-02-30"}, "newest_record", "YYYY-MM-DD"),
        ({"oldest_record": "2026-12-01"}, "newest_record", "older than the oldest"),
        ({"custodian_email": "nobody@example.com"}, "custodian_email", "Unknown custodian"),
        ({"jurisdiction": "EU"}, "jurisdiction", "not a jurisdiction"),
        ({"storage_country": "XX"}, "storage_country", "not an ISO country code"),
        ({"system": ""}, "system", "required"),
        ({"department": ""}, "department", "required"),
    ],
)
def test_each_kind_of_bad_value_is_reported_with_row_column_and_message(
    director, changes, column, words
):
    rows = [row(jurisdiction="FR"), row(**changes)]
    report = run(director, csv_bytes(rows))
    assert not report.ok
    assert [(p.row, p.column) for p in report.problems] == [(3, column)]
    assert words in report.problems[0].message
    assert not Holding.objects.exists()


def test_every_problem_of_every_row_is_reported_at_once(director):
    rows = [
        row(category="commerce.orders", jurisdiction="FR"),
        row(system_kind="cloud", oldest_record="yesterday", jurisdiction="GB"),
        row(),
    ]
    report = run(director, csv_bytes(rows))
    assert problems_of(report) == [(2, "category"), (3, "system_kind"), (3, "oldest_record")]
    assert report.problem_count == 3


def test_a_row_repeating_a_slice_is_refused(director):
    report = run(
        director,
        csv_bytes([row(), row(records_total="5", records_active="0", records_dormant="0")]),
    )
    assert problems_of(report) == [(3, "jurisdiction")]
    assert "Row 2 already declares" in report.problems[0].message


def test_rows_describing_one_system_differently_are_refused(director):
    report = run(director, csv_bytes([row(), row(jurisdiction="FR", system_kind="saas")]))
    assert problems_of(report) == [(3, "system_kind")]


def test_a_missing_or_unknown_column_is_reported_on_the_header_row(director):
    header = [c for c in GOOD_ROW if c != "source"] + ["colour"]
    report = run(director, csv_bytes([row()], header=header))
    assert ("colour" in [p.column for p in report.problems]) and (1, "source") in problems_of(
        report
    )
    assert not Holding.objects.exists()


def test_one_bad_row_among_good_ones_imports_nothing_and_audits_nothing(director):
    events = AuditEvent.objects.count()
    rows = [*sales_rows(30), row(system="Sales system 0", category="commerce.nope")]
    report = run(director, xlsx_bytes(rows), "map.xlsx")
    assert not report.ok and report.problem_count == 1
    assert not DataSystem.objects.exists() and not Holding.objects.exists()
    assert AuditEvent.objects.count() == events


def test_importing_the_same_file_again_changes_nothing(director):
    data = xlsx_bytes(sales_rows(40))
    run(director, data, "map.xlsx")
    before = list(Holding.objects.order_by("pk").values())
    second = run(director, data, "map.xlsx")
    assert (second.holdings.created, second.holdings.updated, second.holdings.unchanged) == (
        0,
        0,
        40,
    )
    assert (second.systems.created, second.systems.updated, second.systems.unchanged) == (0, 0, 2)
    assert list(Holding.objects.order_by("pk").values()) == before


def test_a_changed_row_updates_its_holding_in_place(director):
    run(director, csv_bytes([row(), row(jurisdiction="FR")]))
    pk = Holding.objects.get(jurisdiction="DE").pk
    report = run(director, csv_bytes([row(records_total="12000"), row(jurisdiction="FR")]))
    assert (report.holdings.created, report.holdings.updated, report.holdings.unchanged) == (
        0,
        1,
        1,
    )
    assert report.changes[0].changed == ["records_total"]
    assert Holding.objects.get(jurisdiction="DE").pk == pk
    assert Holding.objects.get(pk=pk).records_total == 12000


def test_a_dry_run_reports_created_updated_unchanged_and_writes_nothing(director):
    run(director, csv_bytes([row(), row(jurisdiction="FR")]))
    events = AuditEvent.objects.count()
    rows = [row(records_total="11000"), row(jurisdiction="FR"), row(jurisdiction="JP")]
    report = run(director, csv_bytes(rows), dry_run=True)
    assert report.ok and not report.applied
    assert (report.holdings.created, report.holdings.updated, report.holdings.unchanged) == (
        1,
        1,
        1,
    )
    assert [(c.row, c.action) for c in report.changes] == [(2, "updated"), (4, "created")]
    assert Holding.objects.count() == 2
    assert Holding.objects.get(jurisdiction="DE").records_total == 10000
    assert AuditEvent.objects.count() == events


def test_one_audit_event_summarises_an_import_with_counts_and_the_files_sha256(director):
    import hashlib

    data = csv_bytes(sales_rows(25))
    run(director, data, "sales.csv")
    events = AuditEvent.objects.filter(action="inventory.datamap_imported")
    assert events.count() == 1
    payload = events.get().payload
    assert payload["sha256"] == hashlib.sha256(data).hexdigest()
    assert payload["filename"] == "sales.csv"
    assert payload["holdings"] == {"created": 25, "updated": 0, "unchanged": 0}
    assert payload["rows"] == 25
    assert not AuditEvent.objects.filter(action="inventory.holding_created").exists()


def test_an_import_sends_holdings_changed_with_the_ids_once_committed(
    director, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, winddown, holding_ids, deleted, **kwargs):
        received.append((winddown, sorted(holding_ids), deleted))

    holdings_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run(director, csv_bytes(sales_rows(5)))
    finally:
        holdings_changed.disconnect(receiver)
    ids = sorted(Holding.objects.values_list("pk", flat=True))
    assert received == [(director.winddown, ids, False)]


def test_a_file_over_the_size_limit_is_refused_with_a_clear_message(director, settings):
    settings.WINDOWN_IMPORT_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match=r"files over 0\.0 MB are refused|refused"):
        run(director, csv_bytes(sales_rows(30)))
    assert not Holding.objects.exists()


def test_a_file_that_is_neither_xlsx_nor_csv_is_refused(director):
    with pytest.raises(ValidationError, match=r"xlsx or \.csv"):
        run(director, b"%PDF-1.7", "map.pdf")
    with pytest.raises(ValidationError, match="not a readable XLSX"):
        run(director, b"not a zip", "map.xlsx")


def test_a_custodian_imports_only_their_own_department(sales_custodian):
    rows = [row(), row(department="Finance", system="Finance ERP", jurisdiction="FR")]
    report = run(sales_custodian, csv_bytes(rows))
    assert problems_of(report) == [(3, "department")]
    assert run(sales_custodian, csv_bytes([row()])).ok


def test_a_custodian_cannot_move_another_departments_system(sales_custodian, finance_system):
    report = run(sales_custodian, csv_bytes([row(system=finance_system.name)]))
    assert problems_of(report) == [(2, "department")]
    finance_system.refresh_from_db()
    assert finance_system.department == "Finance"


def test_an_auditor_may_not_import(auditor):
    with pytest.raises(PermissionDenied):
        run(auditor, csv_bytes([row()]))


def test_the_custodian_email_names_the_systems_custodian(director, sales_custodian):
    email = sales_custodian.user.email.upper()
    assert run(director, csv_bytes([row(custodian_email=email)])).ok
    assert DataSystem.objects.get().custodian == sales_custodian


def test_the_management_command_imports_and_dry_runs(director, tmp_path, capsys):
    path = tmp_path / "map.csv"
    path.write_bytes(csv_bytes(sales_rows(6)))
    call_command("import_datamap", "acme", str(path), "--dry-run")
    assert "Would import 6 rows" in capsys.readouterr().out
    assert not Holding.objects.exists()
    call_command("import_datamap", "acme", str(path))
    out = capsys.readouterr().out
    assert "holdings: 6 created, 0 updated, 0 unchanged" in out
    call_command("import_datamap", "acme", str(path))
    assert "holdings: 0 created, 0 updated, 6 unchanged" in capsys.readouterr().out
    assert Holding.objects.count() == 6


def test_the_management_command_lists_problems_and_fails(director, tmp_path, capsys):
    path = tmp_path / "map.csv"
    path.write_bytes(csv_bytes([row(category="user.contact.mail")]))
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_datamap", "acme", str(path))
    assert "row 2, category: Unknown category" in capsys.readouterr().err
    assert not Holding.objects.exists()


def test_a_slice_written_by_someone_else_during_the_import_aborts_it_cleanly(director, monkeypatch):
    """Another writer declares the same slice between planning and writing."""
    from inventory.services import datamap as service
    from inventory.tests.factories import DataSystemFactory, HoldingFactory

    system = DataSystemFactory(winddown=director.winddown, name="Order DB")
    plan = service._plan_holdings

    def plan_then_race(*args):
        planned = plan(*args)
        HoldingFactory(system=system, jurisdiction="DE")  # the other writer
        return planned

    monkeypatch.setattr(service, "_plan_holdings", plan_then_race)
    with pytest.raises(ValidationError, match="changed while this file was imported"):
        run(director, csv_bytes([row(), row(jurisdiction="FR")]))
    assert not Holding.objects.exists()
    assert not AuditEvent.objects.filter(action="inventory.datamap_imported").exists()
