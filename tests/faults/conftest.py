"""Fixtures of the fault suite: one private PostgreSQL + Redis (+ beat) for the whole suite."""

import pytest

from tests.faults.harness import RESULTS, Stack, TimedSink
from tests.faults.servers import missing


@pytest.fixture(scope="session")
def stack():
    reason = missing()
    if reason:
        pytest.skip(reason)
    stack = Stack()
    try:
        stack.ensure_beat()
        yield stack
    finally:
        stack.destroy()


@pytest.fixture
def sink():
    sink = TimedSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def workers(stack, request, tmp_path):
    started = []

    def start(sink, **kwargs):
        started.append(stack.worker(sink, **kwargs))
        return started[-1]

    yield start
    for worker in started:
        worker.stop()
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:  # what the workers said, to see why
        for number, worker in enumerate(started, start=1):
            log = tmp_path / f"worker-{number}.log"
            log.write_text("".join(worker.output))
            said = [line for line in worker.output if "notices.tick" not in line]
            tail = f"(all of it in {log})\n" + "".join(said[-150:])
            request.node.add_report_section("teardown", f"worker {number} output", tail)
    if stack.beat is not None and report is not None and report.failed:
        request.node.add_report_section("teardown", "beat output", "".join(stack.beat.output[-40:]))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def pytest_terminal_summary(terminalreporter):
    if RESULTS:
        terminalreporter.section("faults: lost / duplicates / stall / time to finish")
        for line in RESULTS:
            terminalreporter.write_line(line)
