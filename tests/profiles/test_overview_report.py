"""The monthly partner overview PDF (合作伙伴总览, SPEC §10.1 R-PRF-3; issue #15): `huoban tick`
writes the month before's report on the first run of a month, once; staff download it and the
current overview from the console; partner users cannot."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from django.core.management import call_command

from huoban import clock
from huoban.performance.cases import record_ownership_change
from huoban.performance.relations import columns
from huoban.performance.risks import raise_risk
from huoban.performance.services import record_health
from huoban.profiles import report
from huoban.profiles.overview import PROGRAMME, build
from tests.portal.helpers import client_for
from tests.projects.helpers import sign

DECEMBER_1 = dt.datetime(2026, 12, 1, 1, tzinfo=dt.UTC)  # 09:00 in Shanghai
# seed 001's health of 极峰科技: good, excellent, pending, medium, excellent → 4.3 green
SEED_001_HEALTH = {"trust": "good", "communication": "excellent", "benefit": "pending",
                   "risk": "medium", "long_term": "excellent"}  # fmt: skip


def test_the_month_before():
    assert report.month_before(dt.date(2026, 12, 1)) == (2026, 11)
    assert report.month_before(dt.date(2027, 1, 15)) == (2026, 12)


def test_tick_writes_the_month_before_once(actors, settings):
    with clock.frozen(dt.datetime(2026, 11, 10, 10, tzinfo=dt.UTC)):
        sign(actors.officer, actors.alpha, "300000.00", name="甲公司")
    out = io.StringIO()
    with clock.frozen(DECEMBER_1):
        call_command("tick", "--date", "2026-12-01", stdout=out)
    path = Path(settings.REPORTS_DIR) / "overview-2026-11.pdf"
    assert path.is_file() and path.read_bytes().startswith(b"%PDF")
    assert b"STSong-Light" in path.read_bytes()
    [line] = [x for x in out.getvalue().splitlines() if x.startswith("overview:")]
    assert line.startswith("overview: 2026-11 report written to reports/overview-2026-11.pdf")
    assert "2 partners" in line  # alpha and beta
    written = path.stat().st_mtime_ns
    again = io.StringIO()
    with clock.frozen(DECEMBER_1 + dt.timedelta(hours=1)):
        call_command("tick", "--date", "2026-12-01", stdout=again)
    assert "2026-11 report already written" in again.getvalue()
    assert path.stat().st_mtime_ns == written
    assert report.archived() == [("2026-11", "overview-2026-11.pdf")]
    assert not list(Path(settings.REPORTS_DIR).glob("*.part"))


def test_staff_download_the_reports_and_partners_cannot(actors, settings):
    with clock.frozen(DECEMBER_1):
        report.write_monthly(dt.date(2026, 12, 1))
        officer = client_for(actors.officer)
        page = officer.get("/console/overview/").content.decode()
        assert 'href="/console/overview/reports/overview-2026-11.pdf"' in page
        response = officer.get("/console/overview/reports/overview-2026-11.pdf")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        assert response["Content-Type"] == "application/pdf"
        current = officer.get("/console/overview/pdf/?depth=important")
        assert current.status_code == 200 and current.content.startswith(b"%PDF")
        # only a name tick could have written; nothing outside the reports folder
        assert officer.get("/console/overview/reports/secret_key").status_code == 404
        assert officer.get("/console/overview/reports/overview-2026-10.pdf").status_code == 404
        alice = client_for(actors.alice)
        assert alice.get("/console/overview/reports/overview-2026-11.pdf").status_code == 404
        assert alice.get("/console/overview/pdf/").status_code == 404


def test_the_report_carries_health_risks_and_cases(actors):
    """R-PRF-3: per partner its health (seed 001's 4.3, green), open risks and open cases —
    the columns the performance app gives the report."""
    with clock.frozen(DECEMBER_1):
        record_health(actors.alpha.code, period="2026-11", actor=actors.officer,
                      ratings=SEED_001_HEALTH)  # fmt: skip
        for title in ("分成比例未定", "核心技术依赖"):
            raise_risk(actors.alpha.code, title=title, category="technology", level="medium",
                       actor=actors.officer)  # fmt: skip
        record_ownership_change(actors.beta.code, changed_on=dt.date(2026, 11, 20),
                                new_owner="晋商投资集团", actor=actors.officer)  # fmt: skip
        given = columns()
        assert given == {actors.alpha.pk: ("4.3 良好", 2, 0), actors.beta.pk: ("", 0, 1)}
        data = build(PROGRAMME, dt.date(2026, 11, 30))
        rows = report.partner_rows(data, dt.date(2026, 11, 30), given)
    header, alpha, beta, _total = rows
    assert header[8:11] == ["健康度 Health", "未关闭风险 Risks", "处理中事件 Cases"]
    assert alpha[8:11] == ["4.3 良好", "2", "0"] and beta[8:11] == ["—", "0", "1"]
    with clock.frozen(DECEMBER_1):
        assert report.render_pdf(data, title="2026-11", as_of=dt.date(2026, 11, 30),
                                 relations=given).startswith(b"%PDF")  # fmt: skip
